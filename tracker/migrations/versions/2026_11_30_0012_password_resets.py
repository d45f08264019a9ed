"""password reset links

Revision ID: 7a4d2e9c3b18
Revises: 5e2b8c4d1f07
Create Date: 2026-11-30 12:00:00

An admin gives a user a one-time link to set a new password, valid 24 hours. The link's secret is never
stored, only its SHA-256; the selector finds the row.
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision = "7a4d2e9c3b18"
down_revision = "5e2b8c4d1f07"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "password_reset",
        sa.Column("id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("selector", sa.String(length=32), nullable=False),
        sa.Column("secret_sha256", sa.String(length=64), nullable=False),
        sa.Column("made_by", sa.String(length=255), nullable=False),
        sa.Column("made_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("expires_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("used_at", DateTimeUTC(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_password_reset_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_reset")),
        sa.UniqueConstraint("selector", name=op.f("uq_password_reset_selector")),
    )
    with op.batch_alter_table("password_reset", schema=None) as batch_op:
        batch_op.create_index("ix_password_reset_user", ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("password_reset", schema=None) as batch_op:
        batch_op.drop_index("ix_password_reset_user")
    op.drop_table("password_reset")
