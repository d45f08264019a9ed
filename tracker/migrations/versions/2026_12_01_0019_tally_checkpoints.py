"""the tally's summaries get a checkpoint every two hours, where every key with a change before has a row

Revision ID: c4e8a2f6b1d9
Revises: a7d5c3e9f1b4
Create Date: 2026-12-01 03:30:00

A tally at a past instant looked up each key's last row before it: 2,090 lookups at a national register's size,
10 ms of a tally on PostgreSQL. From here `tally_checkpoint` lists slots at which every key with a change before
has a row; a tally reads the rows at the last checkpoint before its instant and the changes since, in one pass of
the index of slots. Writers make a checkpoint when they write past the last. Existing databases got theirs here,
by a rebuild; that moved to 0020, which builds them at the end of every hour. On SQLite the index of slots holds the
counts, so a tally reads them from it alone. A downgrade drops the list; the rows at checkpoints stay, right for the
code before as any row without a change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c4e8a2f6b1d9"
down_revision = "a7d5c3e9f1b4"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TABLES = (
    ("tally_mission_slot", ("nominated", "accredited", "nominated_change", "accredited_change")),
    ("tally_breakdown_slot", ("accredited", "accredited_change")),
)


def upgrade() -> None:
    op.create_table(
        "tally_checkpoint",
        sa.Column("election_id", ID, nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["election_id"], ["election.id"], name=op.f("fk_tally_checkpoint_election_id_election"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("election_id", "slot", name=op.f("pk_tally_checkpoint")),
    )
    if op.get_bind().dialect.name == "sqlite":
        # SQLite reads the rows from a slot on from the index alone: it holds the counts.
        for table, counts in TABLES:
            op.drop_index(f"ix_{table}_slots", table_name=table)
            op.create_index(f"ix_{table}_slot_counts", table, ["election_id", "slot", *counts], unique=False)
    # The summaries are built by 0020, with the code of its day.


def downgrade() -> None:
    op.drop_table("tally_checkpoint")
    if op.get_bind().dialect.name == "sqlite":
        for table, _ in TABLES:
            op.drop_index(f"ix_{table}_slot_counts", table_name=table)
            op.create_index(f"ix_{table}_slots", table, ["election_id", "slot"], unique=False)
