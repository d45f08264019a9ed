"""lists as missions send them

Revision ID: 3c1f7d2a9e40
Revises: 86bd0a105813
Create Date: 2026-11-30 09:50:00

An upload keeps its outcome in the mission's history, a refused one too (status `refused`, with the reason
given); a batch counts its rows with problems and its people already in the election, and keeps the Latin
names the registrar typed over proposed ones. A person whose Latin name was proposed by transliteration is
marked so until someone confirms it against the passport.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "3c1f7d2a9e40"
down_revision = "86bd0a105813"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_import_batch_import_status"), type_="check")
        batch_op.create_check_constraint("import_status", "status IN ('pending', 'committed', 'refused')")
        batch_op.add_column(sa.Column("rows_with_problems", sa.Integer(), server_default=sa.text("0"), nullable=False))
        batch_op.add_column(sa.Column("rows_already_there", sa.Integer(), server_default=sa.text("0"), nullable=False))
        batch_op.add_column(sa.Column("refusal", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("latin_names", sa.JSON(), server_default=sa.text("'{}'"), nullable=False))
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("latin_proposed", sa.Boolean(), server_default=sa.text("false"), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("latin_proposed")
    op.execute("DELETE FROM import_batch WHERE status = 'refused'")
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.drop_column("latin_names")
        batch_op.drop_column("refusal")
        batch_op.drop_column("rows_already_there")
        batch_op.drop_column("rows_with_problems")
        batch_op.drop_constraint(op.f("ck_import_batch_import_status"), type_="check")
        batch_op.create_check_constraint("import_status", "status IN ('pending', 'committed')")
