"""the tally's summaries get a checkpoint every two hours, where every key with a change before has a row

Revision ID: c4e8a2f6b1d9
Revises: a7d5c3e9f1b4
Create Date: 2026-12-01 03:30:00

A tally at a past instant looked up each key's last row before it: 2,090 lookups at a national register's size,
10 ms of a tally on PostgreSQL. From here `tally_checkpoint` lists slots at which every key with a change before
has a row; a tally reads the rows at the last checkpoint before its instant and the changes since, in one pass of
the index of slots. Writers make a checkpoint when they write past the last. Existing databases get theirs here,
by a rebuild of the summaries from the events, a day at a time, with a progress bar (which also builds them for a
database that comes from before 0017, whose own builds would now run the code of this one). On PostgreSQL the
rows are then laid in the order of slots, as a tally reads them; on SQLite the index of slots holds the counts, so a
tally reads them from it alone. A downgrade drops the list; the rows at checkpoints stay, right for the code before
as any row without a change.
"""

from __future__ import annotations

import sys

import click
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
    connection = op.get_bind()
    dialect = connection.dialect.name
    if dialect == "sqlite":
        # SQLite reads the rows from a slot on from the index alone: it holds the counts.
        for table, counts in TABLES:
            op.drop_index(f"ix_{table}_slots", table_name=table)
            op.create_index(f"ix_{table}_slot_counts", table, ["election_id", "slot", *counts], unique=False)
    # The revisions since 0016 leave the summaries to this one: it builds them with the code of its day.
    from tracker.summaries_rebuild import changed_days, clustered, days_of, rebuilding

    for (election_id,) in connection.execute(sa.text("SELECT id FROM election ORDER BY id")).all():
        days = days_of(connection.scalars(changed_days(dialect, election_id)))
        label = f"tally checkpoints of election {election_id}, {len(days)} days"
        with click.progressbar(length=len(days), label=label, file=sys.stderr) as bar:
            for statement in rebuilding(dialect, election_id, days):
                if statement is None:
                    bar.update(1)
                else:
                    connection.execute(statement)
    for statement in clustered(dialect):
        connection.execute(statement)


def downgrade() -> None:
    op.drop_table("tally_checkpoint")
    if op.get_bind().dialect.name == "sqlite":
        for table, _ in TABLES:
            op.drop_index(f"ix_{table}_slot_counts", table_name=table)
            op.create_index(f"ix_{table}_slots", table, ["election_id", "slot"], unique=False)
