"""missions named in Russian and Kazakh beside their name

Revision ID: c4f2a9d1e6b3
Revises: b1e7a0c4d2f1
Create Date: 2026-11-30 13:00:00

A mission's `name` stays as it was entered (in English, or as the mission writes it) and is what every language
falls back to; `name_ru` and `name_kk` give it in Russian and Kazakh for the roster. Existing missions get none:
their letter language says which language the commission writes to them in, not which their name is in, so
copying the name across could put an English name in the Russian column.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c4f2a9d1e6b3"
down_revision = "b1e7a0c4d2f1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mission", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_ru", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("name_kk", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("mission", schema=None) as batch_op:
        batch_op.drop_column("name_kk")
        batch_op.drop_column("name_ru")
