"""sign-in limits

Revision ID: 86bd0a105813
Revises: 099e7214eac6
Create Date: 2026-11-30 06:28:40

One counter row per key (account and address, address, account, known browser), updated by an atomic
upsert, replaces one row per failed attempt that was counted and then inserted without a lock. The
attempts of the last 15 minutes are not carried over: the counters start empty.
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op


sa.DateTimeUTC = DateTimeUTC  # autogenerate renders advanced-alchemy's types as sa.*
sa.GUID = GUID

revision = "86bd0a105813"
down_revision = "099e7214eac6"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_limit",
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("window_start", sa.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("next_allowed", sa.DateTimeUTC(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sign_in_limit")),
    )
    with op.batch_alter_table("sign_in_limit", schema=None) as batch_op:
        batch_op.create_index("ix_sign_in_limit_window_start", ["window_start"], unique=False)

    with op.batch_alter_table("sign_in_attempt", schema=None) as batch_op:
        batch_op.drop_index("ix_sign_in_attempt_email")
        batch_op.drop_index("ix_sign_in_attempt_address")

    op.drop_table("sign_in_attempt")


def downgrade() -> None:
    op.create_table(
        "sign_in_attempt",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_attempt")),
    )
    with op.batch_alter_table("sign_in_attempt", schema=None) as batch_op:
        batch_op.create_index("ix_sign_in_attempt_address", ["address", "at"], unique=False)
        batch_op.create_index("ix_sign_in_attempt_email", ["email", "at"], unique=False)

    with op.batch_alter_table("sign_in_limit", schema=None) as batch_op:
        batch_op.drop_index("ix_sign_in_limit_window_start")

    op.drop_table("sign_in_limit")
