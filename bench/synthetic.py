"""A synthetic election with a million accreditations, written with bulk inserts: the data the public
pages are benchmarked against.

    python -m bench.synthetic [--accreditations 1000000] [--database-url URL]

About 150 foreign states and 40 international organizations send one mission each, and 1,900 domestic
organizations (regional civic networks, each its own organization) one each as well, with 30 % of the
accreditations between them: 2,090 missions at a million. Every accreditation has a person and a status history
inside the 54-day accreditation window (nominated, then accredited for most; some rejected, withdrawn or revoked
later; a few still pending), each event recorded minutes after it took effect, or, for about one in six, hours
to days after (entered late: back-dated), and never before the accreditation's previous event was recorded. The
schema comes from the migrations and the reference data from the seed loader; the people, accreditations and
status events are written in batches (`executemany` on SQLite, COPY on PostgreSQL), with the tables' secondary
indexes and foreign keys dropped while loading and made again afterwards; then the tally's summaries are built
from the events as the migration builds them (`tracker.summaries_rebuild.rebuild`).

Without a URL the election is an SQLite file under var/bench/, kept and reused for the same size and
generator version. A PostgreSQL database given by URL must be empty, or hold this generator's election
of the same size, which is then reused.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import datetime as dt
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from advanced_alchemy.alembic.commands import AlembicCommands
from sqlalchemy import func, insert, literal, select
from sqlalchemy.engine import make_url

from bench.build_summaries import build_summaries
from seed.loader import SeedReport, load_countries, load_organizations
from seed.names import names_in, pools_by_nationality
from tracker import models as m
from tracker.cleaning import search_key
from tracker.db import alchemy_config
from tracker.services.audit import SYSTEM
from tracker.services.history import record_sender
from tracker.settings import PROJECT_ROOT, Settings

# Bump when the generated data changes: cached files of another version are made anew.
GENERATOR = 3
SLUG = "synthetic"
ACTOR = "bench"
BADGE_PREFIX = "SYN"
STATES = 150
ORGANIZATIONS = 40
DOMESTIC_MISSIONS = 1_900
"""At a million; one per 100 accreditations below that, so that tiny elections stay quick to make."""
DOMESTIC_SHARE = 0.3
HOST_COUNTRY = "KZ"
BATCH = 20_000
CACHE_DIR = PROJECT_ROOT / "var" / "bench"

ZONE = ZoneInfo("Asia/Almaty")
VOTING_DAY = dt.date(2025, 3, 16)
WINDOW_OPENS = dt.datetime(2025, 1, 15, 0, 0, tzinfo=ZONE)
WINDOW_CLOSES = dt.datetime(2025, 3, 10, 18, 0, tzinfo=ZONE)
MINUTE, HOUR, DAY = 60, 3600, 86400

# Roles after the head of mission and the coordinator, with their weights.
ROLES = (
    (m.Role.SHORT_TERM_OBSERVER, 72),
    (m.Role.LONG_TERM_OBSERVER, 10),
    (m.Role.PARLIAMENTARIAN, 6),
    (m.Role.EXPERT, 5),
    (m.Role.INTERPRETER, 4),
    (m.Role.STAFF, 3),
)
PENDING, REJECTED, WITHDRAWN, REVOKED = 0.02, 0.04, 0.04, 0.005
# Events entered late: recorded between two hours and six days after they took effect.
BACKDATED, LATE_MIN, LATE_MAX = 0.15, 2 * HOUR, 6 * DAY
TEST_EVERY = 100_000
REASONS = {
    m.Status.REJECTED: "Nomination incomplete: no travel document submitted",
    m.Status.WITHDRAWN: "Could not come; withdrawn by the mission",
    m.Status.REVOKED: "Accreditation revoked by the commission's decision",
}

PERSON_COLUMNS = tuple(
    [
        "id",
        "name_original",
        "name_latin",
        "search_name",
        "nationality_code",
        "birth_date",
        "gender",
        "document_number",
        "document_country_code",
        "email",
        "phone",
        "created_at",
        "updated_at",
        "version",
    ]
)
ACCREDITATION_COLUMNS = tuple(
    [
        "id",
        "election_id",
        "mission_id",
        "person_id",
        "role",
        "badge_number",
        "decision_ref",
        "replaces_id",
        "import_batch_id",
        "is_test",
        "created_at",
        "updated_at",
        "version",
    ]
)
EVENT_COLUMNS = tuple(
    [
        "id",
        "accreditation_id",
        "election_id",
        "mission_id",
        "status",
        "effective_at",
        "valid_until",
        "actor",
        "reason",
        "decision_ref",
        "override_reason",
        "recorded_at",
        "superseded_at",
    ]
)
BULK = (("person", PERSON_COLUMNS), ("accreditation", ACCREDITATION_COLUMNS), ("status_event", EVENT_COLUMNS))


@dataclass(frozen=True)
class SyntheticElection:
    database_url: str
    slug: str
    accreditations: int
    seconds: float
    """How long generating it took; 0 when an earlier one was reused."""
    reused: bool


@dataclass(frozen=True)
class MissionPlan:
    id: int
    nationalities: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    election_id: int
    missions: tuple[MissionPlan, ...]
    weights: tuple[float, ...]
    first_ids: tuple[int, int, int]
    """The first free id of person, accreditation and status_event."""


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def cached_path(accreditations: int) -> Path:
    return CACHE_DIR / f"synthetic-g{GENERATOR}-{accreditations}.sqlite3"


def migrate(database_url: str) -> None:
    config = alchemy_config(Settings(database_url=database_url))
    AlembicCommands(sqlalchemy_config=config).upgrade("head")
    engine = config.get_engine()
    if engine.dialect.name == "sqlite":
        # Let go of the file: the bulk load needs it alone.
        asyncio.run(engine.dispose())
    else:
        # The pool's connections belong to Alembic's event loop, closed by now: drop them unclosed.
        engine.sync_engine.dispose(close=False)


def ensure(accreditations: int = 1_000_000, database_url: str | None = None) -> SyntheticElection:
    """The synthetic election of `accreditations`, reused when already there, made otherwise."""
    if database_url is None or make_url(database_url).get_backend_name() == "sqlite":
        return _ensure_sqlite(accreditations, database_url)
    migrate(database_url)
    made = asyncio.run(_generated_size(database_url))
    if made == accreditations:
        return SyntheticElection(database_url, SLUG, accreditations, 0.0, reused=True)
    if made is not None or asyncio.run(_has_elections(database_url)):
        raise SystemExit(
            f"{make_url(database_url).render_as_string()} already holds data"
            f"{f' (a synthetic election of {made:,})' if made else ''}: give an empty database"
        )
    return _generate(database_url, accreditations)


def _ensure_sqlite(accreditations: int, database_url: str | None) -> SyntheticElection:
    path = Path(make_url(database_url).database or "") if database_url else cached_path(accreditations)
    url = sqlite_url(path)
    if path.exists():
        migrate(url)
        made = asyncio.run(_generated_size(url))
        if made == accreditations:
            return SyntheticElection(url, SLUG, accreditations, 0.0, reused=True)
        if database_url is not None:
            raise SystemExit(f"{path} already exists and is not a synthetic election of {accreditations:,}")
    # Made under another name and renamed when complete, so an interrupted run leaves nothing to reuse.
    partial = path.with_name(path.name + ".partial")
    for stale in (path, partial):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{stale}{suffix}").unlink(missing_ok=True)
    made = _generate(sqlite_url(partial), accreditations)
    partial.rename(path)
    return SyntheticElection(url, SLUG, accreditations, made.seconds, reused=False)


def _generate(database_url: str, accreditations: int) -> SyntheticElection:
    start = time.perf_counter()
    migrate(database_url)
    plan = asyncio.run(_reference_data(database_url, accreditations))
    rows = SyntheticRows(plan, accreditations)
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        _write_sqlite(Path(url.database or ""), rows)
    else:
        asyncio.run(_write_postgres(database_url, rows))
    built = build_summaries(database_url, SLUG)
    seconds = time.perf_counter() - start
    asyncio.run(_finish(database_url, plan, accreditations, rows, seconds))
    print(
        f"synthetic election: {accreditations:,} accreditations, {rows.events_written:,} status events "
        f"({rows.backdated:,}, {rows.backdated / max(rows.events_written, 1):.0%}, recorded an hour or more after "
        f"they took effect), {len(plan.missions):,} missions, generated in {seconds:,.1f} s "
        f"({url.get_backend_name()})\n{built.line(accreditations, url.get_backend_name())}"
    )
    return SyntheticElection(database_url, SLUG, accreditations, seconds, reused=False)


async def _generated_size(database_url: str) -> int | None:
    """The size recorded by this generator's audit entry, if its election is complete."""
    config = alchemy_config(Settings(database_url=database_url))
    try:
        async with config.get_session() as session:
            entry = await session.scalar(
                select(m.AuditEntry)
                .where(m.AuditEntry.actor == ACTOR, m.AuditEntry.action == "generate")
                .order_by(m.AuditEntry.id.desc())
                .limit(1)
            )
    finally:
        await config.get_engine().dispose()
    if entry is None or not entry.after or entry.after.get("generator") != GENERATOR:
        return None
    return int(entry.after["accreditations"])


async def _has_elections(database_url: str) -> bool:
    config = alchemy_config(Settings(database_url=database_url))
    try:
        async with config.get_session() as session:
            return bool(await session.scalar(select(func.count()).select_from(m.Election)))
    finally:
        await config.get_engine().dispose()


async def _reference_data(database_url: str, accreditations: int) -> Plan:
    """Countries and organizations (the seed's, plus made-up international organizations up to 40, and the
    domestic ones), the election and one mission per sender."""
    config = alchemy_config(Settings(database_url=database_url))
    rng = random.Random(GENERATOR)
    try:
        async with config.get_session() as session, session.begin():
            report = SeedReport()
            await load_countries(session, report)
            await load_organizations(session, report)
            international = list(
                await session.scalars(
                    select(m.Organization)
                    .where(m.Organization.kind == m.OrganizationKind.INTERNATIONAL)
                    .order_by(m.Organization.id)
                )
            )
            for n in range(len(international) + 1, ORGANIZATIONS + 1):
                organization = m.Organization(
                    slug=f"synthetic-io-{n:02d}",
                    kind=m.OrganizationKind.INTERNATIONAL,
                    acronym_en=f"SIO-{n}",
                    acronym_ru=f"СМО-{n}",
                    acronym_kk=f"СХҰ-{n}",
                    name_en=f"Synthetic International Organization No. {n}",
                    name_ru=f"Синтетическая международная организация № {n}",
                    name_kk=f"№ {n} синтетикалық халықаралық ұйым",
                )
                session.add(organization)
                international.append(organization)
            international = international[:ORGANIZATIONS]
            countries = {c.code: c for c in await session.scalars(select(m.Country).order_by(m.Country.code))}
            codes = sorted(set(countries) - {HOST_COUNTRY})
            senders = sorted(rng.sample(codes, STATES))
            election = m.Election(
                slug=SLUG,
                name_en="Synthetic election (benchmark data)",
                name_ru="Синтетические выборы (данные для замеров)",
                name_kk="Синтетикалық сайлау (өлшеуге арналған деректер)",
                voting_day=VOTING_DAY,
                time_zone=ZONE.key,
                window_opens_at=WINDOW_OPENS.astimezone(dt.UTC),
                window_closes_at=WINDOW_CLOSES.astimezone(dt.UTC),
            )
            session.add(election)
            await session.flush()
            missions: list[tuple[m.Mission, tuple[str, ...]]] = []
            for code in senders:
                mission = m.Mission(
                    election_id=election.id,
                    slug=code.lower(),
                    sender_kind=m.SenderKind.FOREIGN_STATE,
                    country_code=code,
                    name=f"Delegation of {countries[code].name_en}",
                )
                # Mostly the sender's own citizens; a few of other nationalities.
                missions.append((mission, (code,) * 24 + tuple(rng.sample(codes, 1))))
            for organization in international:
                mission = m.Mission(
                    election_id=election.id,
                    slug=organization.slug,
                    sender_kind=m.SenderKind.INTERNATIONAL_ORGANIZATION,
                    organization_id=organization.id,
                    name=f"{organization.acronym_en} observer mission",
                )
                missions.append((mission, tuple(rng.sample(codes, 25))))
            domestic = []
            for organization in _domestic_organizations(accreditations):
                session.add(organization)
                domestic.append((organization, (HOST_COUNTRY,)))
            await session.flush()
            domestic_missions = [
                (
                    m.Mission(
                        election_id=election.id,
                        slug=organization.slug,
                        sender_kind=m.SenderKind.DOMESTIC_ORGANIZATION,
                        organization_id=organization.id,
                        name=f"{organization.name_en}: observers",
                    ),
                    pool,
                )
                for organization, pool in domestic
            ]
            # A few large missions and many small ones, international and domestic each with their share.
            weights: list[float] = []
            for group, share in ((missions, 1 - DOMESTIC_SHARE), (domestic_missions, DOMESTIC_SHARE)):
                rng.shuffle(group)
                ranked = [1 / (rank + 1) ** 0.8 for rank in range(len(group))]
                total = sum(ranked)
                for (mission, _), weight in zip(group, ranked, strict=True):
                    # What the nomination note announced, for the larger missions.
                    mission.expected_size = round(accreditations * share * weight / total) if weight > 0.1 else None
                    session.add(mission)
                weights.extend(share * weight / total for weight in ranked)
            missions.extend(domestic_missions)
            await session.flush()
            # Each sender as recorded before the window opens, so tallies as known at a moment count them.
            for mission, _ in missions:
                await record_sender(session, mission, SYSTEM, at=WINDOW_OPENS - dt.timedelta(days=1))
            first_ids = [
                int(await session.scalar(select(func.coalesce(func.max(model.id), 0))) or 0) + 1
                for model in (m.Person, m.Accreditation, m.StatusEvent)
            ]
            return Plan(
                election_id=election.id,
                missions=tuple(MissionPlan(mission.id, pool) for mission, pool in missions),
                weights=tuple(weights),
                first_ids=(first_ids[0], first_ids[1], first_ids[2]),
            )
    finally:
        await config.get_engine().dispose()


def _domestic_organizations(accreditations: int) -> list[m.Organization]:
    """Regional civic networks of the host country, each its own organization."""
    count = min(DOMESTIC_MISSIONS, max(3, accreditations // 100))
    return [
        m.Organization(
            slug=f"synthetic-do-{n:04d}",
            kind=m.OrganizationKind.DOMESTIC,
            acronym_en=f"RCN-{n}",
            acronym_ru=f"РГС-{n}",
            acronym_kk=f"ӨАЖ-{n}",
            name_en=f"Regional Civic Network No. {n}",
            name_ru=f"Региональная гражданская сеть № {n}",
            name_kk=f"№ {n} өңірлік азаматтық желі",
        )
        for n in range(1, count + 1)
    ]


class SyntheticRows:
    """Persons, accreditations and status events as tuples in the tables' column order, in batches, so
    memory stays bounded. Times are whole minutes, converted once each by the writer's `instant`."""

    def __init__(self, plan: Plan, accreditations: int) -> None:
        self.plan = plan
        self.accreditations = accreditations
        self.badges = 0
        self.events_written = 0
        self.backdated = 0
        """Events recorded an hour or more after they took effect."""
        self.names = SeedNames()

    def batches(
        self, instant: Callable[[int], Any], day: Callable[[int], Any], flag: Callable[[bool], Any]
    ) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
        plan = self.plan
        rng = random.Random(GENERATOR * 7919 + self.accreditations)
        rand = rng.random
        opens = int(WINDOW_OPENS.timestamp()) // MINUTE * MINUTE
        closes = int(WINDOW_CLOSES.timestamp()) // MINUTE * MINUTE
        nominations = closes - 2 * DAY - opens
        cumulative = list(_accumulate(plan.weights))
        total = cumulative[-1]
        roles = [role.value for role, _ in ROLES]
        role_cumulative = list(_accumulate([float(weight) for _, weight in ROLES]))
        role_total = role_cumulative[-1]
        members = [0] * len(plan.missions)
        decisions: dict[int, str] = {}
        first_person, first_accreditation, first_event = plan.first_ids
        event_id = first_event
        election = plan.election_id
        names = self.names
        nominated, accredited = m.Status.NOMINATED.value, m.Status.ACCREDITED.value
        ending = {status.value: reason for status, reason in REASONS.items()}

        def decision(at: int) -> str:
            key = at // DAY
            ref = decisions.get(key)
            if ref is None:
                local = dt.datetime.fromtimestamp(at, ZONE)
                ref = decisions[key] = f"CEC-{local:%Y/%m%d}-{1 + key % 3}"
            return ref

        def minute(at: float) -> int:
            return int(at) // MINUTE * MINUTE

        for batch_start in range(0, self.accreditations, BATCH):
            persons: list[tuple[Any, ...]] = []
            accreditations: list[tuple[Any, ...]] = []
            events: list[tuple[Any, ...]] = []
            for n in range(batch_start, min(batch_start + BATCH, self.accreditations)):
                index = bisect.bisect_right(cumulative, rand() * total)
                mission = plan.missions[min(index, len(plan.missions) - 1)]
                position = members[index] = members[index] + 1
                if position == 1:
                    role = m.Role.HEAD_OF_MISSION.value
                elif position == 2:
                    role = m.Role.COORDINATOR.value
                else:
                    role = roles[bisect.bisect_right(role_cumulative, rand() * role_total)]
                person_id, accreditation_id = first_person + n, first_accreditation + n
                is_test = n % TEST_EVERY == 99
                if is_test:
                    role = m.Role.STAFF.value
                nationality = mission.nationalities[int(rand() * len(mission.nationalities))]

                # Nominations grow towards the end of the window; decisions follow within two days.
                nominated_at = minute(opens + nominations * rand() ** 0.6)
                history = [(nominated, nominated_at, None, None)]
                fate = rand()
                if fate >= PENDING:
                    decided_at = minute(nominated_at + 2 * HOUR + rand() * 46 * HOUR)
                    if fate < PENDING + REJECTED:
                        history.append(("rejected", decided_at, ending["rejected"], decision(decided_at)))
                    else:
                        history.append((accredited, decided_at, None, decision(decided_at)))
                        later = rand()
                        if later < WITHDRAWN + REVOKED:
                            ended_at = minute(decided_at + HOUR + rand() * max(closes - decided_at - HOUR, 0))
                            status = "withdrawn" if later < WITHDRAWN else "revoked"
                            ref = None if status == "withdrawn" else decision(ended_at)
                            history.append((status, ended_at, ending[status], ref))

                badge = decision_ref = None
                if len(history) > 1 and history[1][0] == accredited:
                    self.badges += 1
                    badge = f"{BADGE_PREFIX}-{self.badges:07d}"
                    decision_ref = history[1][3]
                created = instant(nominated_at)
                original, latin, search = names.pick(nationality, n)
                birth = 711_000 + int(rand() * 18_000)
                persons.append(
                    (
                        person_id,
                        original,
                        latin,
                        search,
                        nationality,
                        day(birth),
                        "female" if n % 2 else "male",
                        f"SY{person_id:08d}",
                        nationality,
                        f"observer{person_id}@example.org",
                        None,
                        created,
                        created,
                        1,
                    )
                )
                accreditations.append(
                    (
                        accreditation_id,
                        election,
                        mission.id,
                        person_id,
                        role,
                        badge,
                        decision_ref,
                        None,
                        None,
                        flag(is_test),
                        created,
                        instant(history[-1][1]),
                        len(history),
                    )
                )
                # When each event was entered: minutes after it took effect, or for some hours to days after
                # (back-dated), and never before the one before it: an accreditation's events are appended in order.
                recorded: list[int] = []
                for step, (_, effective_at, _, _) in enumerate(history):
                    if rand() < BACKDATED:
                        late = minute(LATE_MIN * (LATE_MAX / LATE_MIN) ** rand())
                    else:
                        late = (step * 7 + n) % 30 * MINUTE
                    recorded.append(max(effective_at + late, recorded[-1] if recorded else 0))
                    if recorded[-1] - effective_at >= HOUR:
                        self.backdated += 1
                for step, (status, effective_at, reason, ref) in enumerate(history):
                    last = step + 1 == len(history)
                    events.append(
                        (
                            event_id,
                            accreditation_id,
                            election,
                            mission.id,
                            status,
                            instant(effective_at),
                            None if last else instant(history[step + 1][1]),
                            ACTOR,
                            reason,
                            ref,
                            None,
                            instant(recorded[step]),
                            None if last else instant(recorded[step + 1]),
                        )
                    )
                    event_id += 1
            self.events_written += len(events)
            yield persons, accreditations, events


def _accumulate(values: Any) -> Iterator[float]:
    total = 0.0
    for value in values:
        total += value
        yield total


class SeedNames:
    """Names in each nationality's script from the seed's pools (seed/names.json): (original, Latin, search key).
    A nationality without a pool of its own takes the English one."""

    def __init__(self) -> None:
        self.pools = {
            code: [(o, latin, search_key(o, latin)) for female in (False, True) for o, latin in names_in(pool, female)]
            for code, pool in pools_by_nationality().items()
        }

    def pick(self, nationality: str, n: int) -> tuple[str, str, str]:
        pool = self.pools.get(nationality) or self.pools["GB"]
        return pool[n % len(pool)]


class Conversions:
    """Minutes (POSIX seconds) and day ordinals to what the driver takes, each value converted once."""

    def __init__(self, instant: Callable[[int], Any], day: Callable[[int], Any]) -> None:
        self._instant, self._day = instant, day
        self.instants: dict[int, Any] = {}
        self.days: dict[int, Any] = {}

    def instant(self, at: int) -> Any:
        value = self.instants.get(at)
        if value is None:
            value = self.instants[at] = self._instant(at)
        return value

    def day(self, ordinal: int) -> Any:
        value = self.days.get(ordinal)
        if value is None:
            value = self.days[ordinal] = self._day(ordinal)
        return value


def _sqlite_instant(at: int) -> str:
    # As advanced-alchemy's DateTimeUTC stores it on SQLite: naive UTC text with microseconds.
    return dt.datetime.fromtimestamp(at, dt.UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _write_sqlite(path: Path, rows: SyntheticRows) -> None:
    conversions = Conversions(_sqlite_instant, lambda ordinal: dt.date.fromordinal(ordinal).isoformat())
    sample = dt.datetime(2025, 1, 2, 3, 4, tzinfo=dt.UTC)
    stored = m.StatusEvent.__table__.c.effective_at.type._cached_bind_processor(_sqlite_dialect())
    if stored is not None and stored(sample) != _sqlite_instant(int(sample.timestamp())):
        raise SystemExit("advanced-alchemy stores instants differently on SQLite now: update _sqlite_instant")
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        # A file made under a temporary name: nothing to protect until it is complete.
        connection.execute("PRAGMA journal_mode=OFF")
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute("PRAGMA cache_size=-262144")
        connection.execute("PRAGMA temp_store=MEMORY")
        tables = tuple(name for name, _ in BULK)
        indexes = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (?, ?, ?)",
            tables,
        ).fetchall()
        connection.execute("BEGIN")
        for name, _ in indexes:
            connection.execute(f'DROP INDEX "{name}"')
        inserts = [
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            for table, columns in BULK
        ]
        for batch in rows.batches(conversions.instant, conversions.day, int):
            for insert, records in zip(inserts, batch, strict=True):
                connection.executemany(insert, records)
        for _, sql in indexes:
            connection.execute(sql)
        connection.execute("COMMIT")
        connection.execute("PRAGMA journal_mode=WAL")
    finally:
        connection.close()


def _sqlite_dialect() -> Any:
    from sqlalchemy.dialects import sqlite

    return sqlite.dialect()


def _asyncpg_dsn(database_url: str) -> str:
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _write_postgres(database_url: str, rows: SyntheticRows) -> None:
    import asyncpg

    conversions = Conversions(lambda at: dt.datetime.fromtimestamp(at, dt.UTC), dt.date.fromordinal)
    tables = [name for name, _ in BULK]
    connection = await asyncpg.connect(_asyncpg_dsn(database_url))
    try:
        async with connection.transaction():
            indexes = await connection.fetch(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                " AND tablename = ANY($1::text[])"
                " AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                tables,
            )
            foreign_keys = await connection.fetch(
                "SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS definition"
                " FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY($1::text[])",
                tables,
            )
            for key in foreign_keys:
                await connection.execute(f'ALTER TABLE {key["tbl"]} DROP CONSTRAINT "{key["conname"]}"')
            for index in indexes:
                await connection.execute(f'DROP INDEX "{index["indexname"]}"')
            for batch in rows.batches(conversions.instant, conversions.day, bool):
                for (table, columns), records in zip(BULK, batch, strict=True):
                    await connection.copy_records_to_table(table, records=records, columns=columns)
            for index in indexes:
                await connection.execute(index["indexdef"])
            for key in foreign_keys:
                await connection.execute(
                    f'ALTER TABLE {key["tbl"]} ADD CONSTRAINT "{key["conname"]}" {key["definition"]}'
                )
            for table in tables:
                await connection.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
        # What autovacuum would have done by the time a real election grew this large.
        await connection.execute(f"ANALYZE {', '.join(tables)}")
    finally:
        await connection.close()


async def _finish(database_url: str, plan: Plan, accreditations: int, rows: SyntheticRows, seconds: float) -> None:
    """The badge counter and the audit entry that says this election is complete (and its size)."""
    config = alchemy_config(Settings(database_url=database_url))
    try:
        async with config.get_session() as session, session.begin():
            session.add(m.BadgeCounter(election_id=plan.election_id, prefix=BADGE_PREFIX, issued=rows.badges))
            # The test records' flags as recorded when they were created, as the service records them.
            accreditation = m.Accreditation
            await session.execute(
                insert(m.IsTestRecord).from_select(
                    ["accreditation_id", "election_id", "is_test", "recorded_at", "actor"],
                    select(
                        accreditation.id,
                        accreditation.election_id,
                        accreditation.is_test,
                        accreditation.created_at,
                        literal(ACTOR),
                    ).where(accreditation.election_id == plan.election_id, accreditation.is_test),
                )
            )
            session.add(
                m.AuditEntry(
                    at=dt.datetime.now(dt.UTC),
                    actor=ACTOR,
                    action="generate",
                    entity="election",
                    entity_id=str(plan.election_id),
                    election_id=plan.election_id,
                    after={
                        "accreditations": accreditations,
                        "status_events": rows.events_written,
                        "backdated_events": rows.backdated,
                        "missions": len(plan.missions),
                        "generator": GENERATOR,
                    },
                    note=f"synthetic election for the benchmarks, generated in {seconds:.1f} s",
                )
            )
    finally:
        await config.get_engine().dispose()


def main(argv: list[str] | None = None) -> SyntheticElection:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accreditations", type=int, default=1_000_000)
    parser.add_argument("--database-url", help="PostgreSQL (postgresql+asyncpg://…) or SQLite; default var/bench/")
    arguments = parser.parse_args(argv)
    election = ensure(arguments.accreditations, arguments.database_url)
    if election.reused:
        print(f"synthetic election of {election.accreditations:,} accreditations reused: {election.database_url}")
    return election


if __name__ == "__main__":
    main()
