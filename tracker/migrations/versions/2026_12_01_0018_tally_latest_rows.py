"""each key of the tally's summaries gets a row of its counts after all its changes, and the rows an index by slot

Revision ID: a7d5c3e9f1b4
Revises: f3c9a1e5b7d2
Create Date: 2026-12-01 00:30:00

A tally looked up each key's last row before its instant: 2,090 lookups at a national register's size, the larger
part of a tally of today. From here each key also has a row at the last slot (2**31 - 1) with its counts after every
change, which writers keep as they keep every row after a change; a tally at an instant that few changes follow
reads those rows and takes away the changes after it, found by the new index of slots. The rows are made here from
each key's last row, in one statement per table.
"""

from __future__ import annotations

from alembic import op

revision = "a7d5c3e9f1b4"
down_revision = "f3c9a1e5b7d2"
branch_labels = None
depends_on = None

LATEST = 2**31 - 1
TABLES = (
    ("tally_mission_slot", ("mission_id",), ("nominated", "accredited"), ("nominated_change", "accredited_change")),
    ("tally_breakdown_slot", ("breakdown", "value"), ("accredited",), ("accredited_change",)),
)


def upgrade() -> None:
    for table, key, counts, changes in TABLES:
        op.create_index(f"ix_{table}_slots", table, ["election_id", "slot"], unique=False)
        columns = ", ".join(("election_id", *key))
        same_key = " AND ".join(f"last.{name} = summed.{name}" for name in ("election_id", *key))
        # Each key's last row: its counts after every change (zeros at slot -1 for a key without one).
        op.execute(
            f"""
            INSERT INTO {table} ({columns}, slot, {", ".join(counts)}, {", ".join(changes)})
            SELECT {", ".join(f"last.{name}" for name in ("election_id", *key))}, {LATEST},
                   {", ".join(f"last.{count}" for count in counts)}, {", ".join("0" for _ in changes)}
            FROM {table} AS last
            JOIN (SELECT {columns}, MAX(slot) AS slot FROM {table} GROUP BY {columns}) AS summed
              ON {same_key} AND last.slot = summed.slot
            """  # noqa: S608  (no value in it comes from outside)
        )


def downgrade() -> None:
    for table, *_ in TABLES:
        op.execute(f"DELETE FROM {table} WHERE slot = {LATEST}")  # noqa: S608  (no value in it comes from outside)
        op.drop_index(f"ix_{table}_slots", table_name=table)
