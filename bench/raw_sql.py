"""The hand-written side of the tally benchmarks: SQL over the status events on the database driver itself
(sqlite3 or asyncpg) and a few lines of Python that add the rows up. It is how the tally was counted before the
summaries, and what any tally that scans the events costs: the baseline the project's tallies are measured
against, and what their counts are checked against.
"""

from __future__ import annotations

import bisect
import datetime as dt
import sqlite3
from collections.abc import Sequence
from typing import Any

from sqlalchemy.engine import make_url

INTERNATIONAL = ("foreign_state", "international_organization")
TEST_RECORDS = "SELECT t.id FROM accreditation t WHERE t.election_id = {p1} AND t.is_test"
# The status each accreditation had at {p2}, from today's records.
HELD = "e.effective_at <= {p2} AND (e.valid_until IS NULL OR e.valid_until > {p2})"
# The same from the records known at {p3}: events recorded by then, a period open while its end was not recorded.
HELD_AS_KNOWN = (
    "e.recorded_at <= {p3} AND e.effective_at <= {p2} AND (e.valid_until IS NULL OR e.superseded_at > {p3} "
    "OR e.valid_until > {p2})"
)
BY_MISSION = """
SELECT e.mission_id, e.status, count(*) FROM status_event e
WHERE e.election_id = {p1} AND e.status IN ('accredited', 'nominated') AND {held}
  AND e.accreditation_id NOT IN ({test})
GROUP BY e.mission_id, e.status
"""
BY_ROLE_AND_NATIONALITY = """
SELECT a.role, p.nationality_code, count(*) FROM status_event e
JOIN accreditation a ON a.id = e.accreditation_id
JOIN person p ON p.id = a.person_id
JOIN mission s ON s.id = e.mission_id
WHERE e.election_id = {p1} AND e.status = 'accredited' AND {held}
  AND s.sender_kind IN ('foreign_state', 'international_organization')
  AND e.accreditation_id NOT IN ({test})
GROUP BY a.role, p.nationality_code
"""
MISSIONS = "SELECT id, sender_kind, country_code, organization_id FROM mission WHERE election_id = {p1}"
COUNTRIES = "SELECT code, name_en, name_ru, name_kk FROM country"
ORGANIZATIONS = "SELECT id, slug, name_en, name_ru, name_kk FROM organization"
QUERIES = {
    "missions": MISSIONS,
    "by_mission": BY_MISSION,
    "by_role_and_nationality": BY_ROLE_AND_NATIONALITY,
    # The names of the senders and nationalities, as the tally gives them.
    "countries": COUNTRIES,
    "organizations": ORGANIZATIONS,
}
# Every accredited period of an international sender's observer that began by the last instant of a timeline.
ACCREDITED_PERIODS = """
SELECT e.mission_id, e.effective_at, e.valid_until FROM status_event e
JOIN mission s ON s.id = e.mission_id
WHERE e.election_id = {p1} AND e.status = 'accredited' AND e.effective_at <= {p2}
  AND s.sender_kind IN ('foreign_state', 'international_organization')
  AND e.accreditation_id NOT IN ({test})
"""

Counts = dict[str, int]


def summarize(missions: Sequence[Any], by_mission: Sequence[Any], by_role_nationality: Sequence[Any]) -> Counts:
    """What the raw side adds up: the same headline numbers the tally gives."""
    kind = {row[0]: row for row in missions}
    observers: dict[tuple[str, Any], int] = {}
    nominated = domestic = 0
    for mission_id, status, n in by_mission:
        sender_kind, country, organization = kind[mission_id][1:]
        if sender_kind not in INTERNATIONAL:
            domestic += n if status == "accredited" else 0
        elif status == "accredited":
            key = (sender_kind, country if sender_kind == "foreign_state" else organization)
            observers[key] = observers.get(key, 0) + n
        else:
            nominated += n
    return {
        "observers": sum(observers.values()),
        "countries": sum(1 for (k, _), n in observers.items() if k == "foreign_state" and n),
        "organizations": sum(1 for (k, _), n in observers.items() if k != "foreign_state" and n),
        "nominated": nominated,
        "domestic observers": domestic,
        "by role and nationality": sum(n for *_, n in by_role_nationality),
    }


def tally_counts(tally: Any) -> Counts:
    """The same numbers from the project's Tally."""
    return {
        "observers": tally.observers,
        "countries": tally.countries,
        "organizations": tally.organizations,
        "nominated": tally.nominated,
        "domestic observers": tally.domestic_observers,
        "by role and nationality": sum(tally.by_role.values()),
    }


class RawSql:
    """One connection of the database's own driver, kept open, as an application would keep it."""

    def __init__(self, database_url: str) -> None:
        url = make_url(database_url)
        self.sqlite = url.get_backend_name() == "sqlite"
        self.path = url.database or ""
        self.dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._sqlite: sqlite3.Connection | None = None
        self._postgres: Any = None

    async def __aenter__(self) -> RawSql:
        if self.sqlite:
            self._sqlite = sqlite3.connect(self.path)
        else:
            import asyncpg

            self._postgres = await asyncpg.connect(self.dsn)
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
        if self._postgres is not None:
            await self._postgres.close()

    def _value(self, at: dt.datetime) -> Any:
        # Stored as advanced-alchemy stores an aware datetime on SQLite: UTC, as text.
        return at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f") if self.sqlite else at

    async def _fetch(self, sql: str, values: dict[str, Any]) -> list[Any]:
        sql = sql.replace("{test}", TEST_RECORDS)
        used = {key: value for key, value in values.items() if "{" + key + "}" in sql}
        if self._sqlite is not None:
            return self._sqlite.execute(sql.format(**{key: f":{key}" for key in values}), used).fetchall()
        order = list(used)
        text = sql.format(**{key: f"${order.index(key) + 1}" if key in used else "" for key in values})
        return list(await self._postgres.fetch(text, *used.values()))

    async def counts(self, election_id: int, at: dt.datetime, known_at: dt.datetime | None = None) -> Counts:
        """The tally's numbers at `at`, from today's records or, with `known_at`, from those recorded by then."""
        held = HELD if known_at is None else HELD_AS_KNOWN
        values = {"p1": election_id, "p2": self._value(at), "p3": self._value(known_at or at)}
        rows = {name: await self._fetch(sql.replace("{held}", held), values) for name, sql in QUERIES.items()}
        return summarize(rows["missions"], rows["by_mission"], rows["by_role_and_nationality"])

    async def timeline(self, election_id: int, ats: Sequence[dt.datetime]) -> list[tuple[int, int, int]]:
        """Accredited international observers, countries and organizations at each instant: every accredited
        period fetched once, placed by bisection among the instants, and added up per mission."""
        values = {"p1": election_id, "p2": self._value(ats[-1])}
        missions = {row[0]: row for row in await self._fetch(MISSIONS, values)}
        keys = [self._value(at) for at in ats]
        end = len(keys)
        steps: dict[int, list[int]] = {}
        for mission_id, start, stop in await self._fetch(ACCREDITED_PERIODS, values):
            first = bisect.bisect_left(keys, start)
            last = end if stop is None else bisect.bisect_left(keys, stop)
            if first < last:
                counts = steps.get(mission_id)
                if counts is None:
                    counts = steps[mission_id] = [0] * (end + 1)
                counts[first] += 1
                counts[last] -= 1
        points = [[0, set(), set()] for _ in keys]
        for mission_id, counts in steps.items():
            _, kind, country, organization = missions[mission_id]
            running = 0
            for n in range(end):
                running += counts[n]
                if running:
                    point = points[n]
                    point[0] += running
                    (point[1] if kind == "foreign_state" else point[2]).add(
                        country if kind == "foreign_state" else organization
                    )
        return [(observers, len(countries), len(organizations)) for observers, countries, organizations in points]
