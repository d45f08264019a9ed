"""what the tally counted, as it was recorded: a mission's sender and an accreditation's test flag keep their history

Revision ID: d5a1c3e7f9b2
Revises: c4f2a9d1e6b3
Create Date: 2026-11-30 14:00:00

A tally "as known at" a moment needs every fact it counts as it stood then. Status events already keep when
they were recorded; a mission's sender and an accreditation's test flag were overwritten in place. From here
each change is a row of `mission_sender` or `test_flag`, with when it was recorded, the role of who recorded it
and why. Existing missions get their sender as recorded when the mission was created, and accreditations
marked as test data their flag as recorded when they were created: the history before this is not known, and
that is the most an earlier tally could have counted. Status events gain the role of who recorded them.
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision = "d5a1c3e7f9b2"
down_revision = "c4f2a9d1e6b3"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
SENDER_KINDS = ("foreign_state", "international_organization", "domestic_organization")


def upgrade() -> None:
    op.create_table(
        "mission_sender",
        sa.Column("id", ID, nullable=False),
        sa.Column("mission_id", ID, nullable=False),
        sa.Column("election_id", ID, nullable=False),
        sa.Column(
            "sender_kind",
            sa.Enum(*SENDER_KINDS, name="sender_kind", native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column("country_code", sa.String(length=2), nullable=True),
        sa.Column("organization_id", ID, nullable=True),
        sa.Column("recorded_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("actor_role", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["mission_id"], ["mission.id"], name=op.f("fk_mission_sender_mission_id_mission"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["election_id"], ["election.id"], name=op.f("fk_mission_sender_election_id_election"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["country_code"], ["country.code"], name=op.f("fk_mission_sender_country_code_country")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_mission_sender_organization_id_organization")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mission_sender")),
    )
    op.create_index("ix_mission_sender_election", "mission_sender", ["election_id", "recorded_at"])
    op.create_table(
        "test_flag",
        sa.Column("id", ID, nullable=False),
        sa.Column("accreditation_id", ID, nullable=False),
        sa.Column("election_id", ID, nullable=False),
        sa.Column("is_test", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("actor_role", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["accreditation_id"],
            ["accreditation.id"],
            name=op.f("fk_test_flag_accreditation_id_accreditation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["election_id"], ["election.id"], name=op.f("fk_test_flag_election_id_election"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_test_flag")),
    )
    op.create_index("ix_test_flag_election", "test_flag", ["election_id", "recorded_at"])
    with op.batch_alter_table("status_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actor_role", sa.String(length=32), nullable=True))
        batch_op.create_index("ix_status_event_recorded", ["election_id", "recorded_at"], unique=False)
    op.execute(
        """
        INSERT INTO mission_sender (mission_id, election_id, sender_kind, country_code, organization_id,
                                    recorded_at, actor)
        SELECT id, election_id, sender_kind, country_code, organization_id, created_at, 'system' FROM mission
        """
    )
    op.execute(
        """
        INSERT INTO test_flag (accreditation_id, election_id, is_test, recorded_at, actor)
        SELECT id, election_id, is_test, created_at, 'system' FROM accreditation WHERE is_test
        """
    )


def downgrade() -> None:
    with op.batch_alter_table("status_event", schema=None) as batch_op:
        batch_op.drop_index("ix_status_event_recorded")
        batch_op.drop_column("actor_role")
    op.drop_index("ix_test_flag_election", table_name="test_flag")
    op.drop_table("test_flag")
    op.drop_index("ix_mission_sender_election", table_name="mission_sender")
    op.drop_table("mission_sender")
