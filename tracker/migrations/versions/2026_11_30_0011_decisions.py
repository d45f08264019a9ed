"""decisions that accredit or reject a whole list at once; a mission's contacts and language

Revision ID: 5e2b8c4d1f07
Revises: 3c1f7d2a9e40
Create Date: 2026-11-30 10:05:00

A commission decides by a decision: a reference and a date covering a list. Each status event the decision
made points back to it, so its annex and letters list exactly what it decided. A mission gets the contacts
the commission reaches it by, and the language its letters are written in.
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision = "5e2b8c4d1f07"
down_revision = "3c1f7d2a9e40"
branch_labels = None
depends_on = None

STATUSES = ("nominated", "accredited", "withdrawn", "revoked", "rejected")
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "decision",
        sa.Column("id", ID, nullable=False),
        sa.Column("election_id", ID, nullable=False),
        sa.Column("reference", sa.String(length=255), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("effective_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(*STATUSES, name="status", native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=255), nullable=False),
        sa.Column("accreditations", sa.Integer(), nullable=False),
        sa.Column("selection", sa.JSON(), nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["election_id"], ["election.id"], name=op.f("fk_decision_election_id_election"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision")),
    )
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.create_index("ix_decision_election", ["election_id", "decided_on"], unique=False)
    with op.batch_alter_table("mission", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contacts", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("language", sa.String(length=8), server_default=sa.text("'en'"), nullable=False))
    with op.batch_alter_table("status_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision_id", ID, nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_status_event_decision_id_decision"), "decision", ["decision_id"], ["id"], ondelete="RESTRICT"
        )
        batch_op.create_index("ix_status_event_decision", ["decision_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("status_event", schema=None) as batch_op:
        batch_op.drop_index("ix_status_event_decision")
        batch_op.drop_constraint(op.f("fk_status_event_decision_id_decision"), type_="foreignkey")
        batch_op.drop_column("decision_id")
    with op.batch_alter_table("mission", schema=None) as batch_op:
        batch_op.drop_column("language")
        batch_op.drop_column("contacts")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_index("ix_decision_election")
    op.drop_table("decision")
