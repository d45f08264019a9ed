"""Consistency checks of an election's figures (`tracker check`): every published bulletin and every day of the
timeline counted both ways, the tally engine against a plain replay of the history (tracker/replay.py), and the
tally's summaries against the events they are made from.

For each published bulletin, the engine as known at its publication must give its published figures (the history
kept what was counted then), and the engine today must give what the replay gives today at its instant. For each
day of the timeline, the engine's figures must be the replay's. Any difference is a fault in the records or in
the engine, to be found before the press finds it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker.instants import utc_now
from tracker.replay import Figures, replay
from tracker.services.reconciliation import FIGURES, known_at_publication
from tracker.summaries_rebuild import Mismatch
from tracker.summaries_rebuild import differences as summary_differences
from tracker.tally import Tally, tally_as_of
from tracker.timeline import timeline


class Comparison:
    """Which two counts disagree."""

    PUBLISHED = "published"
    """The bulletin's published figures against the engine as known at its publication."""
    TODAY = "today"
    """The engine against the replay, both from today's records."""


@dataclass(frozen=True, slots=True)
class Difference:
    comparison: str
    figure: str
    """observers, countries, organizations, or a sender's code (country code or organization slug)."""
    expected: int
    """The published figure (PUBLISHED) or the replay's (TODAY)."""
    engine: int
    bulletin_number: int | None = None
    day: dt.date | None = None


@dataclass(frozen=True, slots=True)
class CheckReport:
    bulletins: int
    days: int
    differences: tuple[Difference, ...]
    summaries: tuple[Mismatch, ...] = ()
    """Sums of the tally's summaries that a rebuild from the events would not make (tracker.summaries_rebuild)."""

    @property
    def disagreements(self) -> int:
        return len(self.differences) + len(self.summaries)


async def check_election(session: AsyncSession, election: m.Election) -> CheckReport:
    """Every published bulletin of `election` and every day of its timeline up to now, counted both ways."""
    now = utc_now()
    bulletins = list(
        await session.scalars(
            select(m.Bulletin)
            .where(m.Bulletin.election_id == election.id, m.Bulletin.status == m.BulletinStatus.PUBLISHED)
            .order_by(m.Bulletin.number)
        )
    )
    points = await timeline(session, election, now)
    # One pass of the replay for every instant asked: the bulletins' and the days'.
    replayed = await replay(session, election, [b.as_of for b in bulletins] + [point.at for point in points])
    differences: list[Difference] = []
    for bulletin, plain in zip(bulletins, replayed, strict=False):
        known = await known_at_publication(session, bulletin, election)
        differences += _differ(
            Comparison.PUBLISHED, _published(bulletin.snapshot), _engine(known), bulletin_number=bulletin.number
        )
        today = await tally_as_of(session, election, bulletin.as_of, breakdowns=False)
        differences += _differ(Comparison.TODAY, _replayed(plain), _engine(today), bulletin_number=bulletin.number)
    for point, plain in zip(points, replayed[len(bulletins) :], strict=True):
        engine = {figure: getattr(point, figure) for figure in FIGURES}
        replayed_day = {figure: getattr(plain, figure) for figure in FIGURES}
        differences += _differ(Comparison.TODAY, replayed_day, engine, day=point.day)
    # The engine reads the summaries: they must be what the events give, or every figure above may be wrong.
    summaries = await _named(session, await summary_differences(session, election.id))
    return CheckReport(len(bulletins), len(points), tuple(differences), summaries)


async def _named(session: AsyncSession, mismatches: list[Mismatch]) -> tuple[Mismatch, ...]:
    """The mismatches with each mission named by its slug, as staff know it, instead of its id."""
    ids = {x.key[0] for x in mismatches if x.table == m.MissionSlot.__tablename__}
    slugs = dict((await session.execute(select(m.Mission.id, m.Mission.slug).where(m.Mission.id.in_(ids)))).all())
    return tuple(
        replace(x, key=(slugs.get(x.key[0], x.key[0]), *x.key[1:])) if x.table == m.MissionSlot.__tablename__ else x
        for x in mismatches
    )


def _published(snapshot: Mapping[str, Any]) -> dict[str, int]:
    figures = {figure: int(snapshot[figure]) for figure in FIGURES}
    return figures | {sender["code"]: int(sender["observers"]) for sender in _international(snapshot["by_sender"])}


def _international(senders: Iterable[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    international = {kind.value for kind in m.INTERNATIONAL_SENDERS}
    return (sender for sender in senders if sender["kind"] in international and sender["observers"])


def _engine(tally: Tally) -> dict[str, int]:
    figures = {figure: getattr(tally, figure) for figure in FIGURES}
    senders = [{"kind": s.kind.value, "code": s.code, "observers": s.observers} for s in tally.by_sender]
    return figures | {sender["code"]: sender["observers"] for sender in _international(senders)}


def _replayed(figures: Figures) -> dict[str, int]:
    return {figure: getattr(figures, figure) for figure in FIGURES} | figures.by_sender


def _differ(comparison: str, expected: dict[str, int], engine: dict[str, int], **where: Any) -> list[Difference]:
    """Each figure, then each sender (by code), whose two counts differ; a sender missing from one counts 0."""
    senders = sorted((expected.keys() | engine.keys()) - set(FIGURES))
    return [
        Difference(comparison, figure, expected.get(figure, 0), engine.get(figure, 0), **where)
        for figure in (*FIGURES, *senders)
        if expected.get(figure, 0) != engine.get(figure, 0)
    ]
