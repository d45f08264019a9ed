"""The tables. Import as one module: `from tracker import models as m`.

Times are stored in UTC (`DateTimeUTC`) and shown in the election's time zone.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from advanced_alchemy.base import BigIntAuditBase, BigIntBase, DefaultBase
from advanced_alchemy.extensions.litestar.session import SessionModelMixin
from advanced_alchemy.extensions.litestar.store import StoreModelMixin
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from tracker.i18n import LANGUAGES

__all__ = ["LANGUAGES"]


class SenderKind(enum.StrEnum):
    FOREIGN_STATE = "foreign_state"
    INTERNATIONAL_ORGANIZATION = "international_organization"
    DOMESTIC_ORGANIZATION = "domestic_organization"


INTERNATIONAL_SENDERS = (SenderKind.FOREIGN_STATE, SenderKind.INTERNATIONAL_ORGANIZATION)
"""The senders whose observers the headline counts; domestic organizations are counted apart."""


class OrganizationKind(enum.StrEnum):
    INTERNATIONAL = "international"
    DOMESTIC = "domestic"


class Role(enum.StrEnum):
    HEAD_OF_MISSION = "head_of_mission"
    COORDINATOR = "coordinator"
    LONG_TERM_OBSERVER = "long_term_observer"
    SHORT_TERM_OBSERVER = "short_term_observer"
    PARLIAMENTARIAN = "parliamentarian"
    EXPERT = "expert"
    INTERPRETER = "interpreter"
    STAFF = "staff"


class Status(enum.StrEnum):
    NOMINATED = "nominated"
    ACCREDITED = "accredited"
    WITHDRAWN = "withdrawn"
    REVOKED = "revoked"
    REJECTED = "rejected"


class BulletinStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class CheckOutcome(enum.StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    REVOKED = "revoked"
    WITHDRAWN = "withdrawn"
    # Kept for the checks counted before a typed number needed its card's check code; since then a number
    # without its signature or code is not genuine, whether a card has it or not.
    NOT_FOUND = "not_found"
    NOT_GENUINE = "not_genuine"


class UserRole(enum.StrEnum):
    ADMIN = "admin"
    REGISTRAR = "registrar"
    PRESS_OFFICER = "press_officer"


class Gender(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    UNSPECIFIED = "unspecified"


def _enum(cls: type[enum.StrEnum], name: str) -> Enum:
    # VARCHAR plus a CHECK on both databases: no native PG enum to migrate when a value is added.
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
    )


class Versioned:
    """Optimistic locking: every UPDATE checks and bumps `version`, so a save based on a stale read
    fails instead of silently overwriting someone else's change."""

    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}


def in_language(row: Any, field: str, lang: str) -> str:
    """A record's or a row's `field` in `lang` (its `<field>_<lang>` column), English where that one is empty."""
    return getattr(row, f"{field}_{lang}", None) or getattr(row, f"{field}_en", None) or ""


def in_each_language(column: Callable[[str], Any]) -> list[Any]:
    """The same rule in SQL, for thousands of rows at a time (a tally's senders): `column(lang)` for each of
    LANGUAGES (English first), each empty or missing one English's, an empty English "". Read back, the values pair
    with LANGUAGES as they come."""
    english = func.coalesce(column("en"), "")
    return [english, *(func.coalesce(func.nullif(column(lang), ""), english) for lang in LANGUAGES[1:])]


class Localized:
    """Rows with `name_en`, `name_ru` and `name_kk` columns."""

    def name(self, lang: str) -> str:
        return in_language(self, "name", lang)


class Election(Versioned, Localized, BigIntAuditBase):
    __tablename__ = "election"

    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name_en: Mapped[str] = mapped_column(String(255))
    name_ru: Mapped[str] = mapped_column(String(255))
    name_kk: Mapped[str] = mapped_column(String(255))
    voting_day: Mapped[dt.date] = mapped_column(Date)
    time_zone: Mapped[str] = mapped_column(String(64))
    window_opens_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC)
    window_closes_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC)

    __table_args__ = (CheckConstraint("window_opens_at < window_closes_at", name="window_in_order"),)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def local(self, instant: dt.datetime) -> dt.datetime:
        return instant.astimezone(self.zone)


class Country(Localized, DefaultBase):
    """ISO 3166-1 countries, loaded from pycountry; the names are those the commission shows (seed/country_names.json
    over the source's, then as admins edit them), the codes never change."""

    __tablename__ = "country"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    alpha_3: Mapped[str] = mapped_column(String(3), unique=True)
    name_en: Mapped[str] = mapped_column(String(255))
    name_ru: Mapped[str] = mapped_column(String(255))
    name_kk: Mapped[str] = mapped_column(String(255))


class Organization(Versioned, Localized, BigIntAuditBase):
    __tablename__ = "organization"

    slug: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[OrganizationKind] = mapped_column(_enum(OrganizationKind, "organization_kind"))
    acronym_en: Mapped[str] = mapped_column(String(64))
    acronym_ru: Mapped[str] = mapped_column(String(64))
    acronym_kk: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(500))
    name_ru: Mapped[str] = mapped_column(String(500))
    name_kk: Mapped[str] = mapped_column(String(500))

    def acronym(self, lang: str) -> str:
        return in_language(self, "acronym", lang)


mission_news = Table(
    "mission_news",
    BigIntBase.metadata,
    Column("mission_id", ForeignKey("mission.id", ondelete="CASCADE"), primary_key=True),
    Column("news_item_id", ForeignKey("news_item.id", ondelete="CASCADE"), primary_key=True),
)


class Mission(Versioned, BigIntAuditBase):
    """One sender's delegation to one election."""

    __tablename__ = "mission"

    election_id: Mapped[int] = mapped_column(ForeignKey("election.id", ondelete="RESTRICT"))
    slug: Mapped[str] = mapped_column(String(64))
    sender_kind: Mapped[SenderKind] = mapped_column(_enum(SenderKind, "sender_kind"))
    country_code: Mapped[str | None] = mapped_column(ForeignKey("country.code"), default=None)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), default=None)
    name: Mapped[str] = mapped_column(String(500))
    """As entered, in English or the mission's own language: what every language falls back to."""
    name_ru: Mapped[str | None] = mapped_column(String(500), default=None)
    name_kk: Mapped[str | None] = mapped_column(String(500), default=None)
    head_name: Mapped[str | None] = mapped_column(String(255), default=None)
    coordinator_name: Mapped[str | None] = mapped_column(String(255), default=None)
    expected_size: Mapped[int | None] = mapped_column(Integer, default=None)
    nomination_note_ref: Mapped[str | None] = mapped_column(String(255), default=None)
    contacts: Mapped[str | None] = mapped_column(Text, default=None)
    """How the commission reaches the mission (its coordinator's email, phone): staff pages only."""
    language: Mapped[str] = mapped_column(String(8), default="en", server_default=text("'en'"))
    """The language the commission writes to the mission in (en, ru, kk): its letters."""

    election: Mapped[Election] = relationship(lazy="raise")
    country: Mapped[Country | None] = relationship(lazy="raise")
    organization: Mapped[Organization | None] = relationship(lazy="raise")
    news_items: Mapped[list[NewsItem]] = relationship(secondary=mission_news, lazy="raise", back_populates="missions")

    def name_in(self, lang: str) -> str:
        """The mission's name in `lang`, or its `name` where it has none in that language."""
        return {"ru": self.name_ru, "kk": self.name_kk}.get(lang) or self.name

    __table_args__ = (
        UniqueConstraint("election_id", "slug"),
        # Exactly one sender, and of the declared kind.
        CheckConstraint(
            "(sender_kind = 'foreign_state' AND country_code IS NOT NULL AND organization_id IS NULL)"
            " OR (sender_kind <> 'foreign_state' AND organization_id IS NOT NULL AND country_code IS NULL)",
            name="one_sender",
        ),
        CheckConstraint("expected_size IS NULL OR expected_size >= 0", name="expected_size_not_negative"),
        Index("ix_mission_election", "election_id", "sender_kind"),
    )


class Person(Versioned, BigIntAuditBase):
    """An observer's identity. Every field but the names and nationality is personal data."""

    __tablename__ = "person"

    name_original: Mapped[str] = mapped_column(String(255))
    name_latin: Mapped[str] = mapped_column(String(255))
    search_name: Mapped[str] = mapped_column(String(520), default="")
    """Both names case-folded, so that a search matches in any script on SQLite too."""
    nationality_code: Mapped[str] = mapped_column(ForeignKey("country.code"))
    birth_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    gender: Mapped[Gender] = mapped_column(_enum(Gender, "gender"), default=Gender.UNSPECIFIED)
    document_number: Mapped[str | None] = mapped_column(String(64), default=None)
    document_country_code: Mapped[str | None] = mapped_column(ForeignKey("country.code"), default=None)
    email: Mapped[str | None] = mapped_column(String(255), default=None)
    phone: Mapped[str | None] = mapped_column(String(64), default=None)
    latin_proposed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    """The Latin name was proposed by transliteration (the list gave none): to be confirmed against the passport."""
    photo: Mapped[bytes | None] = mapped_column(LargeBinary, default=None, deferred=True)
    """A JPEG for the accreditation card, re-encoded on upload (no camera metadata kept)."""

    nationality: Mapped[Country] = relationship(foreign_keys=[nationality_code], lazy="raise")

    __table_args__ = (Index("ix_person_document", "document_number"), Index("ix_person_search", "search_name"))


class Accreditation(Versioned, BigIntAuditBase):
    """One person in one election through one mission. Its status lives in its events."""

    __tablename__ = "accreditation"

    election_id: Mapped[int] = mapped_column(ForeignKey("election.id", ondelete="RESTRICT"))
    mission_id: Mapped[int] = mapped_column(ForeignKey("mission.id", ondelete="RESTRICT"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"))
    role: Mapped[Role] = mapped_column(_enum(Role, "role"))
    badge_number: Mapped[str | None] = mapped_column(String(32), default=None)
    decision_ref: Mapped[str | None] = mapped_column(String(255), default=None)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("accreditation.id"), default=None)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), default=None)
    is_test: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))

    mission: Mapped[Mission] = relationship(lazy="raise")
    person: Mapped[Person] = relationship(lazy="raise")
    events: Mapped[list[StatusEvent]] = relationship(
        lazy="raise", order_by="[StatusEvent.effective_at, StatusEvent.id]", back_populates="accreditation"
    )

    __table_args__ = (
        UniqueConstraint("election_id", "badge_number"),
        Index("ix_accreditation_mission", "mission_id"),
        Index("ix_accreditation_person", "person_id"),
        # Test records are few: the tally leaves them out through this small index.
        Index(
            "ix_accreditation_test",
            "election_id",
            sqlite_where=text("is_test"),
            postgresql_where=text("is_test"),
        ),
    )


class StatusEvent(BigIntBase):
    """An append-only fact: this accreditation took this status at this instant.

    `valid_until` is the effective time of the next event (NULL while current). It is derived, set
    once when the next event is appended, and turns "status as of T" into a range filter that an
    index can answer for a million accreditations.
    """

    __tablename__ = "status_event"

    accreditation_id: Mapped[int] = mapped_column(ForeignKey("accreditation.id", ondelete="RESTRICT"))
    # Copies of the accreditation's election and mission, which never change: the tally's counts by
    # sender then come from the index alone, with no lookup per accreditation.
    election_id: Mapped[int] = mapped_column(ForeignKey("election.id", ondelete="RESTRICT"))
    mission_id: Mapped[int] = mapped_column(ForeignKey("mission.id", ondelete="RESTRICT"))
    status: Mapped[Status] = mapped_column(_enum(Status, "status"))
    effective_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC)
    valid_until: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC, default=None)
    actor: Mapped[str] = mapped_column(String(255))
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    decision_ref: Mapped[str | None] = mapped_column(String(255), default=None)
    override_reason: Mapped[str | None] = mapped_column(Text, default=None)
    """Why an admin allowed this accreditation after the window closed."""
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC)
    superseded_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC, default=None)
    """When the next event was recorded, which closed this one's period (set with `valid_until`). Events are only
    ever appended after an accreditation's last, so the records known at K give this event the period it has
    today when the next was recorded by K, and an open one otherwise: a tally as known at K is one range scan."""
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id", ondelete="RESTRICT"), default=None)
    """The decision that made this change for a whole list, when one did."""
    actor_role: Mapped[str | None] = mapped_column(String(32), default=None)
    """The role of whoever recorded it (admin, registrar, ...): what public pages say of a correction, not who."""

    accreditation: Mapped[Accreditation] = relationship(lazy="raise", back_populates="events")

    @classmethod
    def current(cls) -> ColumnElement[bool]:
        """The event that holds now for its accreditation: the one whose period is still open."""
        return cls.valid_until.is_(None)

    __table_args__ = (
        CheckConstraint("valid_until IS NULL OR valid_until >= effective_at", name="period_in_order"),
        # The tally's range scans (the events of an instant's own slot; every period holding T, as known at K):
        # covering, so they are read from the index alone.
        Index(
            "ix_status_event_tally",
            "election_id",
            "status",
            "effective_at",
            "valid_until",
            "mission_id",
            "accreditation_id",
            "recorded_at",
            "superseded_at",
        ),
        Index("ix_status_event_history", "accreditation_id", "effective_at"),
        # Periods that ended within a slot: a tally at T reads the changes of T's own slot from the events.
        Index(
            "ix_status_event_ended",
            "election_id",
            "valid_until",
            "status",
            "mission_id",
            "accreditation_id",
            sqlite_where=text("valid_until IS NOT NULL"),
            postgresql_where=text("valid_until IS NOT NULL"),
        ),
        # What was recorded after a moment: tallies as known at it, and what changed since a bulletin.
        Index("ix_status_event_recorded", "election_id", "recorded_at"),
        Index("ix_status_event_decision", "decision_id"),
        # At most one current event per accreditation.
        Index(
            "ux_status_event_current",
            "accreditation_id",
            unique=True,
            sqlite_where=text("valid_until IS NULL"),
            postgresql_where=text("valid_until IS NULL"),
        ),
    )


class SenderRecord(BigIntBase):
    """A mission's sender from the moment it was recorded: the first when the mission was created, then each
    correction. The mission's own columns hold the latest; these keep what every earlier tally counted."""

    __tablename__ = "mission_sender"

    mission_id: Mapped[int] = mapped_column(ForeignKey("mission.id", ondelete="CASCADE"))
    election_id: Mapped[int] = mapped_column(ForeignKey("election.id", ondelete="RESTRICT"))
    sender_kind: Mapped[SenderKind] = mapped_column(_enum(SenderKind, "sender_kind"))
    country_code: Mapped[str | None] = mapped_column(ForeignKey("country.code"), default=None)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), default=None)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC)
    actor: Mapped[str] = mapped_column(String(255))
    actor_role: Mapped[str | None] = mapped_column(String(32), default=None)
    reason: Mapped[str | None] = mapped_column(Text, default=None)

    __table_args__ = (Index("ix_mission_sender_election", "election_id", "recorded_at"),)


class IsTestRecord(BigIntBase):
    """Whether an accreditation is test data, from the moment it was recorded: the accreditation's `is_test`
    holds the latest; these keep what earlier tallies left out."""

    __tablename__ = "test_flag"

    accreditation_id: Mapped[int] = mapped_column(ForeignKey("accreditation.id", ondelete="CASCADE"))
    election_id: Mapped[int] = mapped_column(ForeignKey("election.id", ondelete="RESTRICT"))
    is_test: Mapped[bool] = mapped_column(Boolean)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC)
    actor: Mapped[str] = mapped_column(String(255))
    actor_role: Mapped[str | None] = mapped_column(String(32), default=None)
    reason: Mapped[str | None] = mapped_column(Text, default=None)

    __table_args__ = (Index("ix_test_flag_election", "election_id", "recorded_at"),)


class MissionSlot(DefaultBase):
    """Derived from the status events (tracker.summaries), never a fact of its own: how many of a mission's
    accreditations were nominated and accredited at the end of five minutes numbered `slot` since 1970 (UTC), and by
    how much each count changed within them. There is a row for each slot with a change, one at each checkpoint after
    the mission's first change (TallyCheckpoint), one at slot -1, all zeros, that writers lock before they add, and
    one at the last slot (tracker.summaries.LATEST) with the counts after every change. Test records are left out,
    as the tally leaves them out."""

    __tablename__ = "tally_mission_slot"

    election_id: Mapped[int] = mapped_column(ForeignKey("election.id", ondelete="CASCADE"), primary_key=True)
    mission_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True)
    slot: Mapped[int] = mapped_column(Integer, primary_key=True)
    nominated: Mapped[int] = mapped_column(Integer)
    accredited: Mapped[int] = mapped_column(Integer)
    nominated_change: Mapped[int] = mapped_column(Integer)
    accredited_change: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        # The rows at slot -1: each mission summed, listed from the index alone, without reading its slots.
        Index(
            "ix_tally_mission_slot_keys",
            "election_id",
            "mission_id",
            sqlite_where=text("slot = -1"),
            postgresql_where=text("slot = -1"),
        ),
        # The rows from a slot on: those a tally of today takes away from the rows at the last slot, and those from a
        # checkpoint on. SQLite reads them from the index alone when it holds the counts: otherwise a lookup in the
        # table per row, half of a tally's reading. PostgreSQL leaves the counts out, so that adding to a row's
        # counts never touches the index.
        Index("ix_tally_mission_slot_slots", "election_id", "slot").ddl_if(dialect="postgresql"),
        Index(
            "ix_tally_mission_slot_slot_counts",
            "election_id",
            "slot",
            "nominated",
            "accredited",
            "nominated_change",
            "accredited_change",
        ).ddl_if(dialect="sqlite"),
        {"sqlite_with_rowid": False},
    )


class TallyCheckpoint(DefaultBase):
    """A slot at which every key of the election's summaries (MissionSlot, BreakdownSlot) with a change before it has
    a row: a tally after it reads those rows and the changes since, in one pass of the index of slots, instead of a
    lookup per key. Writers make one when they write past the last (tracker.summaries)."""

    __tablename__ = "tally_checkpoint"

    election_id: Mapped[int] = mapped_column(ForeignKey("election.id", ondelete="CASCADE"), primary_key=True)
    slot: Mapped[int] = mapped_column(Integer, primary_key=True)


class Breakdown(enum.StrEnum):
    ROLE = "role"
    NATIONALITY = "nationality"


class BreakdownSlot(DefaultBase):
    """Derived like MissionSlot: accredited observers of international senders by role, and by nationality (the
    tally's breakdowns), at the end of each slot with a change. `value` is the role, or the nationality's ISO 3166
    code."""

    __tablename__ = "tally_breakdown_slot"

    election_id: Mapped[int] = mapped_column(ForeignKey("election.id", ondelete="CASCADE"), primary_key=True)
    breakdown: Mapped[Breakdown] = mapped_column(_enum(Breakdown, "breakdown"), primary_key=True)
    value: Mapped[str] = mapped_column(String(32), primary_key=True)
    slot: Mapped[int] = mapped_column(Integer, primary_key=True)
    accredited: Mapped[int] = mapped_column(Integer)
    accredited_change: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        Index(
            "ix_tally_breakdown_slot_keys",
            "election_id",
            "breakdown",
            "value",
            sqlite_where=text("slot = -1"),
            postgresql_where=text("slot = -1"),
        ),
        Index("ix_tally_breakdown_slot_slots", "election_id", "slot").ddl_if(dialect="postgresql"),
        Index("ix_tally_breakdown_slot_slot_counts", "election_id", "slot", "accredited", "accredited_change").ddl_if(
            dialect="sqlite"
        ),
        {"sqlite_with_rowid": False},
    )


class ImportStatus(enum.StrEnum):
    PENDING = "pending"
    COMMITTED = "committed"
    REFUSED = "refused"
    """The file could not be used (not a spreadsheet, over a limit, no header): kept in the history only."""


class ImportBatch(BigIntAuditBase):
    """A list a mission sent, as uploaded: checked, then imported (whole, or its rows without problems), or
    refused; every upload stays in the mission's history with its outcome."""

    __tablename__ = "import_batch"

    election_id: Mapped[int] = mapped_column(ForeignKey("election.id", ondelete="CASCADE"))
    mission_id: Mapped[int] = mapped_column(ForeignKey("mission.id", ondelete="CASCADE"))
    file_name: Mapped[str] = mapped_column(String(255))
    file_format: Mapped[str] = mapped_column(String(8))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    # The file itself, kept only until it is imported: it holds personal data.
    content: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    status: Mapped[ImportStatus] = mapped_column(_enum(ImportStatus, "import_status"), default=ImportStatus.PENDING)
    header_row: Mapped[int] = mapped_column(Integer, default=0)
    mapping: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    default_role: Mapped[Role] = mapped_column(_enum(Role, "role"), default=Role.SHORT_TERM_OBSERVER)
    uploaded_by: Mapped[str] = mapped_column(String(255))
    committed_by: Mapped[str | None] = mapped_column(String(255), default=None)
    committed_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC, default=None)
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_created: Mapped[int] = mapped_column(Integer, default=0)
    rows_with_problems: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    rows_already_there: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    """People of the file already in the election through this mission: not imported again, and no problem."""
    refusal: Mapped[str | None] = mapped_column(Text, default=None)
    """Why the file could not be used, as the registrar was told."""
    latin_names: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    """Latin names the registrar typed over the proposed ones, by row number."""

    __table_args__ = (Index("ix_import_batch_file", "mission_id", "sha256", "status"),)


class Decision(BigIntAuditBase):
    """A decision of the commission: a reference and a date, accrediting or rejecting a list of nominated
    accreditations at once. Each of them gets its status event, which points back here."""

    __tablename__ = "decision"

    election_id: Mapped[int] = mapped_column(ForeignKey("election.id", ondelete="RESTRICT"))
    reference: Mapped[str] = mapped_column(String(255))
    decided_on: Mapped[dt.date] = mapped_column(Date)
    effective_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC)
    outcome: Mapped[Status] = mapped_column(_enum(Status, "status"))
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    """Why, for a rejection."""
    override_reason: Mapped[str | None] = mapped_column(Text, default=None)
    """Why an admin decided after the accreditation window closed."""
    decided_by: Mapped[str] = mapped_column(String(255))
    accreditations: Mapped[int] = mapped_column(Integer, default=0)
    """How many accreditations it decided."""
    selection: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """How the list was chosen (a mission, filters, ticked rows, an import), as the registrar chose it."""

    __table_args__ = (Index("ix_decision_election", "election_id", "decided_on"),)


class BadgeCounter(BigIntBase):
    """The last badge number issued in an election: numbers are never reused."""

    __tablename__ = "badge_counter"

    election_id: Mapped[int] = mapped_column(ForeignKey("election.id", ondelete="CASCADE"), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    issued: Mapped[int] = mapped_column(Integer, default=0)


bulletin_news = Table(
    "bulletin_news",
    DefaultBase.metadata,
    Column("bulletin_id", ForeignKey("bulletin.id", ondelete="CASCADE"), primary_key=True),
    Column("news_item_id", ForeignKey("news_item.id", ondelete="RESTRICT"), primary_key=True),
)


class NewsItem(Versioned, BigIntAuditBase):
    """A published article or press release that quotes the figures."""

    __tablename__ = "news_item"

    election_id: Mapped[int | None] = mapped_column(ForeignKey("election.id"), default=None)
    title: Mapped[str] = mapped_column(String(500))
    source: Mapped[str] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(String(2000), default=None)
    language: Mapped[str] = mapped_column(String(8))
    published_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC)
    text: Mapped[str] = mapped_column(Text, default="")

    missions: Mapped[list[Mission]] = relationship(
        secondary=mission_news, lazy="raise", back_populates="news_items", order_by="Mission.name"
    )

    __table_args__ = (
        UniqueConstraint("source", "published_at", "title"),
        Index("ix_news_item_election", "election_id", "published_at"),
    )


class Bulletin(Versioned, BigIntAuditBase):
    """A tally frozen as of an instant, for the press.

    `snapshot` holds every figure and name the document prints, taken when the bulletin is created,
    so a later correction of the records never changes it. Publishing stores the PDF itself: a
    bulletin published in February downloads byte for byte the same in June. A published bulletin is
    never changed; a correction is a new bulletin that names the one it corrects.
    """

    __tablename__ = "bulletin"

    election_id: Mapped[int] = mapped_column(ForeignKey("election.id", ondelete="RESTRICT"))
    as_of: Mapped[dt.datetime] = mapped_column(DateTimeUTC)
    languages: Mapped[str] = mapped_column(String(32))
    """Comma-separated, in the document's order, e.g. `en,ru,kk`."""
    status: Mapped[BulletinStatus] = mapped_column(_enum(BulletinStatus, "bulletin_status"))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    fingerprint: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the snapshot's canonical JSON; its first characters are printed on every page."""
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("bulletin.id", ondelete="RESTRICT"), default=None)
    created_by: Mapped[str] = mapped_column(String(255))
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC, default=None)
    published_by: Mapped[str | None] = mapped_column(String(255), default=None)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, default=None, deferred=True)
    pdf_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    number: Mapped[int | None] = mapped_column(Integer, default=None)
    """The public number in its election (No. 1, 2, …), given in publication order when it is published."""

    election: Mapped[Election] = relationship(lazy="raise")
    news_items: Mapped[list[NewsItem]] = relationship(secondary=bulletin_news, lazy="raise")

    __table_args__ = (
        Index("ix_bulletin_election", "election_id", "status", "as_of"),
        CheckConstraint(
            "(status = 'published') = (published_at IS NOT NULL AND pdf_sha256 IS NOT NULL)", name="published_has_pdf"
        ),
        CheckConstraint("(status = 'published') = (number IS NOT NULL)", name="published_has_number"),
        Index("ux_bulletin_number", "election_id", "number", unique=True),
    )

    @property
    def language_list(self) -> list[str]:
        return self.languages.split(",")


class User(Versioned, BigIntAuditBase):
    """A member of the commission's staff."""

    __tablename__ = "user_account"

    email: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(255), default="")
    role: Mapped[UserRole] = mapped_column(_enum(UserRole, "user_role"))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))


class WebSession(SessionModelMixin):
    """Server-side sessions, in the database so that every worker sees the same ones."""

    __tablename__ = "web_session"


class PasswordReset(BigIntBase):
    """A one-time link an admin made for a user to set a new password (`tracker.services.password_resets`).
    The link carries a selector, which finds the row, and a secret, of which only a SHA-256 is kept: the
    table alone lets nobody use a link."""

    __tablename__ = "password_reset"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    selector: Mapped[str] = mapped_column(String(32), unique=True)
    secret_sha256: Mapped[str] = mapped_column(String(64))
    made_by: Mapped[str] = mapped_column(String(255))
    made_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC, default=None)

    __table_args__ = (Index("ix_password_reset_user", "user_id"),)


class SignInLimit(DefaultBase):
    """One counter of failed sign-ins in a window of 15 minutes: for an account at an address, an address,
    an account, or a browser the account knows (`tracker.services.sign_in_limits`). An attempt is counted
    before its password is checked, and given back when the password was right."""

    __tablename__ = "sign_in_limit"

    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    window_start: Mapped[dt.datetime] = mapped_column(DateTimeUTC)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    """Failed attempts in the window, and those still being checked."""
    next_allowed: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC, default=None)
    """For an account that is being slowed down: no attempt before this instant."""

    __table_args__ = (Index("ix_sign_in_limit_window_start", "window_start"),)


class AuditEntry(BigIntBase):
    """Append-only record of every write: who, when, what, before and after."""

    __tablename__ = "audit_entry"

    at: Mapped[dt.datetime] = mapped_column(DateTimeUTC)
    actor: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64))
    election_id: Mapped[int | None] = mapped_column(ForeignKey("election.id"), default=None)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)

    __table_args__ = (
        Index("ix_audit_entry_at", "at"),
        Index("ix_audit_entry_entity", "entity", "entity_id"),
        Index("ix_audit_entry_actor", "actor", "at"),
    )


class BadgeCheck(BigIntBase):
    """One check of a card at /verify: when and what it answered, never which card or who asked."""

    __tablename__ = "badge_check"

    checked_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC)
    election_id: Mapped[int | None] = mapped_column(ForeignKey("election.id", ondelete="CASCADE"), default=None)
    outcome: Mapped[CheckOutcome] = mapped_column(_enum(CheckOutcome, "check_outcome"))

    __table_args__ = (Index("ix_badge_check_outcome", "outcome", "checked_at"),)


class StoreItem(StoreModelMixin):
    """Litestar's key-value store in the database every worker shares: the public response cache, so
    a page one worker has computed is not computed again by the others."""

    __tablename__ = "store_item"


class RateCount(DefaultBase):
    """Requests of one address to the public API in one minute, summed over every worker: each adds
    its own count in one upsert, so no worker can let an address past its limit for long."""

    __tablename__ = "rate_count"

    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    minute: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    hits: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_rate_count_minute", "minute"),)
