"""the tally's summaries kept per five minutes with a change, each with the count at its end

Revision ID: f3c9a1e5b7d2
Revises: e7b2d4f6a8c1
Create Date: 2026-11-30 18:00:00

The blocks of 2**level hours (`tally_mission_step`, `tally_group_step`) made a tally read up to 20 blocks per
mission: about 24,000 rows at 2,090 missions, and the events of its own hour. From here a row per key and slot of
five minutes with a change holds the change within the slot and the count at its end (`tally_mission_slot`,
`tally_breakdown_slot`), so a tally reads each mission's row at the last slot with a change before the instant, and
the events of a few minutes. The breakdowns of accredited observers
of international senders are kept by role and by nationality apart, since the tally reports them apart: 232 keys
instead of 1,790 (role, nationality) pairs. Each key also has a row at slot -1, all zeros, that writers lock
before they add. Both are derived: existing databases get them from their events in revision 0019, a day at a
time in the database, with a progress bar, in bounded memory whatever the size. A downgrade makes the blocks again
in SQL of its own, since the code no longer makes them.
"""

from __future__ import annotations


import sqlalchemy as sa
from alembic import op

revision = "f3c9a1e5b7d2"
down_revision = "e7b2d4f6a8c1"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
BREAKDOWNS = ("role", "nationality")
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
LEVELS = 20
"""The blocks of the summaries before this: 1, 2, 4, … 2**19 hours."""


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    for table, key, counts in (
        (
            "tally_mission_slot",
            [sa.Column("mission_id", ID, nullable=False)],
            ("nominated", "accredited", "nominated_change", "accredited_change"),
        ),
        (
            "tally_breakdown_slot",
            [
                sa.Column("breakdown", _enum(BREAKDOWNS, "breakdown"), nullable=False),
                sa.Column("value", sa.String(length=32), nullable=False),
            ],
            ("accredited", "accredited_change"),
        ),
    ):
        op.create_table(
            table,
            sa.Column("election_id", ID, nullable=False),
            *key,
            sa.Column("slot", sa.Integer(), nullable=False),
            *(sa.Column(count, sa.Integer(), nullable=False) for count in counts),
            sa.ForeignKeyConstraint(
                ["election_id"], ["election.id"], name=op.f(f"fk_{table}_election_id_election"), ondelete="CASCADE"
            ),
            sa.PrimaryKeyConstraint("election_id", *(column.name for column in key), "slot", name=op.f(f"pk_{table}")),
            sqlite_with_rowid=False,
        )
        # The rows at slot -1: each key of an election, listed from the index alone, without reading its slots.
        op.create_index(
            f"ix_{table}_keys",
            table,
            ["election_id", *(column.name for column in key)],
            unique=False,
            sqlite_where=sa.text("slot = -1"),
            postgresql_where=sa.text("slot = -1"),
        )
    op.drop_table("tally_group_step")
    op.drop_table("tally_mission_step")
    # The rows themselves are built by revision 0019 (tally checkpoints), with the code of its day: built here
    # by that code, they would have rows of a later schema (at LATEST, at checkpoints) before it exists.


def downgrade() -> None:
    # The tables of the revision before, as it created them.
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
    _build_blocks(op.get_bind().dialect.name)
    for table in ("tally_breakdown_slot", "tally_mission_slot"):
        op.drop_index(f"ix_{table}_keys", table_name=table)
        op.drop_table(table)


def _hour(dialect: str, column: str) -> str:
    """The SQL for the hour (since 1970, UTC) of a stored instant."""
    if dialect == "postgresql":
        return f"CAST(floor(extract(epoch from {column}) / 3600) AS INTEGER)"
    # SQLite keeps instants as UTC text ("2023-02-22 15:13:00.000000") and its date functions round the fraction
    # (23:59:59.999999 would be the next hour): whole seconds first, then divided as integers.
    return f"CAST(strftime('%s', substr({column}, 1, 19)) AS INTEGER) / 3600"


def _build_blocks(dialect: str) -> None:
    """The blocks as the code before this made them: each hour's changes (level 0), then each level summed from
    the one below."""
    # A mission's slots hold its changes per status, test records already left out; twelve slots make an hour.
    op.execute(
        """
        INSERT INTO tally_mission_step (election_id, level, slot, mission_id, status, n)
        SELECT election_id, 0, slot / 12, mission_id, 'nominated', SUM(nominated_change) FROM tally_mission_slot
        WHERE slot >= 0 GROUP BY election_id, slot / 12, mission_id HAVING SUM(nominated_change) != 0
        UNION ALL
        SELECT election_id, 0, slot / 12, mission_id, 'accredited', SUM(accredited_change) FROM tally_mission_slot
        WHERE slot >= 0 GROUP BY election_id, slot / 12, mission_id HAVING SUM(accredited_change) != 0
        """
    )
    # The breakdowns keep role and nationality apart; the blocks counted each pair, so from the events: a period
    # of an accredited observer of an international sender adds one at its start and takes it away at its end.
    changes = " UNION ALL ".join(
        f"""
        SELECT event.election_id, {_hour(dialect, column)} AS hour, accreditation.role, person.nationality_code,
               {sign} AS sign
        FROM status_event AS event
        JOIN accreditation ON accreditation.id = event.accreditation_id
        JOIN person ON person.id = accreditation.person_id
        JOIN mission ON mission.id = event.mission_id
        WHERE event.status = 'accredited' AND NOT accreditation.is_test
          AND mission.sender_kind IN ('foreign_state', 'international_organization') AND {column} IS NOT NULL
        """  # noqa: S608  (no value in it comes from outside)
        for column, sign in (("event.effective_at", 1), ("event.valid_until", -1))
    )
    op.execute(
        f"""
        INSERT INTO tally_group_step (election_id, level, slot, role, nationality_code, n)
        SELECT election_id, 0, hour, role, nationality_code, SUM(sign) FROM ({changes}) AS change
        GROUP BY election_id, hour, role, nationality_code
        HAVING SUM(sign) != 0
        """  # noqa: S608  (no value in it comes from outside)
    )
    for table, key in (("tally_mission_step", "mission_id, status"), ("tally_group_step", "role, nationality_code")):
        for level in range(1, LEVELS):
            # slot is an integer: `/` divides as integers on both databases.
            op.execute(
                f"""
                INSERT INTO {table} (election_id, level, slot, {key}, n)
                SELECT election_id, {level}, slot / 2, {key}, SUM(n) FROM {table}
                WHERE level = {level - 1}
                GROUP BY election_id, slot / 2, {key}
                HAVING SUM(n) != 0
                """  # noqa: S608  (no value in it comes from outside)
            )
