"""bulletins numbered per election in publication order

Revision ID: b1e7a0c4d2f1
Revises: 7a4d2e9c3b18
Create Date: 2026-11-30 11:00:00

A published bulletin gets the next public number of its election (No. 1, 2, …) when it is published; drafts
have none, so a deleted draft leaves no gap. Bulletins published before this get their numbers in the order
they were published.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "b1e7a0c4d2f1"
down_revision = "7a4d2e9c3b18"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bulletin", schema=None) as batch_op:
        batch_op.add_column(sa.Column("number", sa.Integer(), nullable=True))
    op.execute(
        """
        UPDATE bulletin SET number = (
            SELECT numbered.n FROM (
                SELECT id, ROW_NUMBER() OVER (PARTITION BY election_id ORDER BY published_at, id) AS n
                FROM bulletin WHERE status = 'published'
            ) AS numbered WHERE numbered.id = bulletin.id
        )
        WHERE status = 'published'
        """
    )
    with op.batch_alter_table("bulletin", schema=None) as batch_op:
        batch_op.create_check_constraint("published_has_number", "(status = 'published') = (number IS NOT NULL)")
        batch_op.create_index("ux_bulletin_number", ["election_id", "number"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("bulletin", schema=None) as batch_op:
        batch_op.drop_index("ux_bulletin_number")
        batch_op.drop_constraint(op.f("ck_bulletin_published_has_number"), type_="check")
        batch_op.drop_column("number")
