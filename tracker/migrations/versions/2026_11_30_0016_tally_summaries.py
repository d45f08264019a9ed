"""summaries that make a tally cheap at any size, and the recording of each period's end

Revision ID: e7b2d4f6a8c1
Revises: d5a1c3e7f9b2
Create Date: 2026-11-30 16:00:00

A tally read every status event in the election's window: seconds at a million accreditations, after every write.
From here the changes the events make are also kept summed per block of hours (`tally_mission_step`,
`tally_group_step`, tracker.summaries), and a tally reads a few blocks and the events of its own hour. Each
status event also keeps when the next one was recorded (`superseded_at`), so a tally as known at a moment is one
range scan. Existing databases get `superseded_at` from their events here. The summaries are derived, so they
are left empty here: the next migration (tally_hours) replaces them and fills what replaces them from the events,
a day at a time with a progress bar, with the code of its day.
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision = "e7b2d4f6a8c1"
down_revision = "d5a1c3e7f9b2"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TALLY_INDEX = ("election_id", "status", "effective_at", "valid_until", "mission_id", "accreditation_id")
STATUSES = ("nominated", "accredited", "withdrawn", "revoked", "rejected")
ROLES = (
    "head_of_mission",
    "coordinator",
    "long_term_observer",
    "short_term_observer",
    "parliamentarian",
    "expert",
    "interpreter",
    "staff",
)


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    for table, key in (
        (
            "tally_mission_step",
            [
                sa.Column("mission_id", ID, nullable=False),
                sa.Column("status", _enum(STATUSES, "status"), nullable=False),
            ],
        ),
        (
            "tally_group_step",
            [
                sa.Column("role", _enum(ROLES, "role"), nullable=False),
                sa.Column("nationality_code", sa.String(length=2), nullable=False),
            ],
        ),
    ):
        op.create_table(
            table,
            sa.Column("election_id", ID, nullable=False),
            sa.Column("level", sa.Integer(), nullable=False),
            sa.Column("slot", sa.Integer(), nullable=False),
            *key,
            sa.Column("n", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(
                ["election_id"], ["election.id"], name=op.f(f"fk_{table}_election_id_election"), ondelete="CASCADE"
            ),
            sa.PrimaryKeyConstraint(
                "election_id", "level", "slot", *(column.name for column in key), name=op.f(f"pk_{table}")
            ),
            sqlite_with_rowid=False,
        )
    with op.batch_alter_table("status_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("superseded_at", DateTimeUTC(timezone=True), nullable=True))
        # A tally as known at K reads when each event and the next were recorded: from the index, with the rest.
        batch_op.drop_index("ix_status_event_tally")
        batch_op.create_index("ix_status_event_tally", [*TALLY_INDEX, "recorded_at", "superseded_at"], unique=False)
        batch_op.create_index(
            "ix_status_event_ended",
            ["election_id", "valid_until", "status", "mission_id", "accreditation_id"],
            unique=False,
            sqlite_where=sa.text("valid_until IS NOT NULL"),
            postgresql_where=sa.text("valid_until IS NOT NULL"),
        )
    # The next event of an accreditation is the one that starts when this one's period ends, written after it.
    op.execute(
        """
        UPDATE status_event SET superseded_at = (
            SELECT min(next.recorded_at) FROM status_event AS next
            WHERE next.accreditation_id = status_event.accreditation_id
              AND next.effective_at = status_event.valid_until AND next.id > status_event.id
        )
        WHERE valid_until IS NOT NULL
        """
    )


def downgrade() -> None:
    with op.batch_alter_table("status_event", schema=None) as batch_op:
        batch_op.drop_index("ix_status_event_ended")
        batch_op.drop_index("ix_status_event_tally")
        batch_op.create_index("ix_status_event_tally", list(TALLY_INDEX), unique=False)
        batch_op.drop_column("superseded_at")
    op.drop_table("tally_group_step")
    op.drop_table("tally_mission_step")
