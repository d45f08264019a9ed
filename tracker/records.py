"""Which facts a tally reads: today's records, or the history as it stood at a moment.

The status events keep when each was recorded; a mission's sender and an accreditation's test flag keep their
history beside the columns that hold the latest (tracker.services.history). These queries pick the facts; the
tally engine (tracker.tally) is still the only place that counts them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m


def status_at(as_of: dt.datetime) -> ColumnElement[bool]:
    """Events whose period contains `as_of`: one per accreditation that existed then."""
    event = m.StatusEvent
    return and_(event.effective_at <= as_of, or_(event.current(), event.valid_until > as_of))


def test_records(election_id: int) -> Select[tuple[int]]:
    """The election's accreditations marked as test data: no published figure or roster includes them."""
    accreditation = m.Accreditation
    return select(accreditation.id).where(
        accreditation.election_id == election_id,
        # Written exactly as the partial index's condition: `is_test IS 1` (SQLite) or `IS true`
        # (PostgreSQL) keeps both planners from using the index, and costs a scan of every accreditation.
        text("accreditation.is_test"),
    )


@dataclass(frozen=True, slots=True)
class Records:
    """Where a tally reads its facts: today's tables, or the history as it stood at `known_at`."""

    election_id: int
    known_at: dt.datetime | None = None

    @classmethod
    async def of(cls, session: AsyncSession, election_id: int, known_at: dt.datetime | None) -> Records:
        """The records to read as known at `known_at`: today's tables when nothing was recorded after it, since
        they then hold exactly what was known (and are read from the indexes alone)."""
        if known_at is None:
            return cls(election_id)
        latest = [
            select(func.max(model.recorded_at)).where(model.election_id == election_id).scalar_subquery()
            for model in (m.StatusEvent, m.SenderRecord, m.IsTestRecord)
        ]
        last = max((at for at in (await session.execute(select(*latest))).one() if at is not None), default=None)
        return cls(election_id) if last is None or last <= known_at else cls(election_id, known_at)

    def events(self) -> Any:
        """Status events with the period each holds (`valid_until` NULL while current)."""
        event = m.StatusEvent
        if self.known_at is None:
            return event.__table__
        # The period as the records known at K give it: events are only appended after an accreditation's last,
        # so its period then is today's if the next event was recorded by K, and still open otherwise.
        until = case((event.superseded_at <= self.known_at, event.valid_until), else_=None)
        return (
            select(
                event.accreditation_id,
                event.election_id,
                event.mission_id,
                event.status,
                event.effective_at,
                until.label("valid_until"),
            )
            # Read, like the as-of scan, from the tally's covering index: without statistics SQLite would take the
            # index on when events were recorded, then look up each event in the table (three times slower); the
            # comparison is written so that no index serves it.
            .where(
                event.election_id == self.election_id,
                func.coalesce(event.recorded_at, event.recorded_at) <= self.known_at,
            )
            .subquery("known_event")
        )

    def test_records(self) -> Select[tuple[int]]:
        if self.known_at is None:
            return test_records(self.election_id)
        flag = m.IsTestRecord
        latest = (
            select(
                flag.accreditation_id,
                flag.is_test,
                func.row_number()
                .over(partition_by=flag.accreditation_id, order_by=(flag.recorded_at.desc(), flag.id.desc()))
                .label("n"),
            )
            .where(flag.election_id == self.election_id, flag.recorded_at <= self.known_at)
            .subquery("known_flag")
        )
        return select(latest.c.accreditation_id).where(latest.c.n == 1, latest.c.is_test)

    def senders(self) -> Select[Any]:
        """Each mission's id (`mission_id`), sender kind, country code and organization id."""
        if self.known_at is None:
            # The table's columns: thousands of rows, read without the ORM's loading.
            mission = m.Mission.__table__.c
            return select(
                mission.id.label("mission_id"), mission.sender_kind, mission.country_code, mission.organization_id
            ).where(mission.election_id == self.election_id)
        record = m.SenderRecord
        latest = (
            select(
                record.mission_id,
                record.sender_kind,
                record.country_code,
                record.organization_id,
                func.row_number()
                .over(partition_by=record.mission_id, order_by=(record.recorded_at.desc(), record.id.desc()))
                .label("n"),
            )
            .where(record.election_id == self.election_id, record.recorded_at <= self.known_at)
            .subquery("known_sender")
        )
        return select(latest.c.mission_id, latest.c.sender_kind, latest.c.country_code, latest.c.organization_id).where(
            latest.c.n == 1
        )
