"""the tally's checkpoints at the end of every hour, where the timeline counts each day

Revision ID: d9f3b7a1c5e2
Revises: c4e8a2f6b1d9
Create Date: 2026-12-01 06:30:00

Checkpoints were every two hours, at the start of each: the end of a day in a time zone an odd number of hours from
UTC (Kazakhstan's since 2024) fell an hour after one, and the timeline looked up each international mission at each
day's end instead (10,450 lookups at a national register's size). Checkpoints are now at the last slot of every
hour, so a day's end in any time zone a whole number of hours from UTC has one just before it, and the timeline
reads its rows alone. Every election's summaries are rebuilt from the events, a day at a time, with a progress bar
(which also builds them for a database that comes from before 0017, whose own builds would now run the code of this
one). On PostgreSQL the rows are then laid in the order of slots, as a tally reads them. A downgrade keeps the
checkpoints: the code before reads from any checkpoint listed.
"""

from __future__ import annotations

import sys

import click
import sqlalchemy as sa
from alembic import op

revision = "d9f3b7a1c5e2"
down_revision = "c4e8a2f6b1d9"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    dialect = connection.dialect.name
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
    pass
