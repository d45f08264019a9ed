"""What the JSON API returns: msgspec structs, documented in OpenAPI."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

from tracker import models as m
from tracker.phrases import headline
from tracker.tally import SenderCount, Tally
from tracker.timeline import TimelinePoint


class ElectionOut(msgspec.Struct):
    slug: str
    name: str
    names: dict[str, str]
    voting_day: dt.date
    time_zone: str
    window_opens_at: dt.datetime
    window_closes_at: dt.datetime

    @classmethod
    def of(cls, election: m.Election, lang: str) -> ElectionOut:
        return cls(
            slug=election.slug,
            name=election.name(lang),
            names={lang: election.name(lang) for lang in m.LANGUAGES},
            voting_day=election.voting_day,
            time_zone=election.time_zone,
            window_opens_at=election.local(election.window_opens_at),
            window_closes_at=election.local(election.window_closes_at),
        )


class SenderOut(msgspec.Struct):
    kind: m.SenderKind
    code: str
    """ISO 3166 alpha-2 code for a foreign state, the slug for an organization."""
    name: str
    short_name: str
    observers: int
    nominated: int

    @classmethod
    def of(cls, sender: SenderCount, lang: str) -> SenderOut:
        return cls(
            kind=sender.kind,
            code=sender.code,
            name=sender.name(lang),
            short_name=sender.short_names.get(lang) or sender.short_names["en"],
            observers=sender.observers,
            nominated=sender.nominated,
        )


class NationalityOut(msgspec.Struct):
    code: str
    name: str
    observers: int


class RoleOut(msgspec.Struct):
    role: m.Role
    observers: int


class TallyOut(msgspec.Struct):
    election: str
    as_of: dt.datetime
    """The instant counted, in the election's time zone."""
    lang: str
    headline: str
    observers: int
    countries: int
    organizations: int
    nominated: int
    domestic_observers: int
    by_sender_kind: dict[m.SenderKind, int]
    by_sender: list[SenderOut]
    by_role: list[RoleOut]
    by_nationality: list[NationalityOut]
    known_at: Annotated[
        dt.datetime | None,
        msgspec.Meta(
            description="The moment whose records were counted, in the election's time zone; null: today's records."
        ),
    ] = None

    @classmethod
    def of(cls, election: m.Election, tally: Tally, lang: str, known_at: dt.datetime | None = None) -> TallyOut:
        return cls(
            election=election.slug,
            as_of=election.local(tally.as_of),
            lang=lang,
            headline=headline(tally.observers, tally.countries, tally.organizations, lang),
            observers=tally.observers,
            countries=tally.countries,
            organizations=tally.organizations,
            nominated=tally.nominated,
            domestic_observers=tally.domestic_observers,
            by_sender_kind=dict(tally.by_sender_kind),
            by_sender=[SenderOut.of(sender, lang) for sender in tally.by_sender],
            by_role=[RoleOut(role=role, observers=n) for role, n in tally.by_role.items()],
            by_nationality=[
                NationalityOut(code=n.code, name=n.name(lang), observers=n.observers) for n in tally.by_nationality
            ],
            known_at=known_at and election.local(known_at),
        )


class TimelinePointOut(msgspec.Struct):
    day: Annotated[dt.date, msgspec.Meta(description="The day in the election's time zone.")]
    at: Annotated[
        dt.datetime,
        msgspec.Meta(description="The instant counted, in the election's time zone: the day's end, or `as_of`."),
    ]
    observers: int
    countries: int
    organizations: int


class TimelineOut(msgspec.Struct):
    election: str
    as_of: Annotated[dt.datetime, msgspec.Meta(description="The last point's instant, in the election's time zone.")]
    points: list[TimelinePointOut]
    known_at: Annotated[
        dt.datetime | None,
        msgspec.Meta(
            description="The moment whose records were counted, in the election's time zone; null: today's records."
        ),
    ] = None

    @classmethod
    def of(
        cls,
        election: m.Election,
        as_of: dt.datetime,
        points: tuple[TimelinePoint, ...],
        known_at: dt.datetime | None = None,
    ) -> TimelineOut:
        return cls(
            election=election.slug,
            as_of=election.local(as_of),
            points=[
                TimelinePointOut(
                    day=point.day,
                    at=election.local(point.at),
                    observers=point.observers,
                    countries=point.countries,
                    organizations=point.organizations,
                )
                for point in points
            ],
            known_at=known_at and election.local(known_at),
        )


class SenderTotalsOut(msgspec.Struct):
    observers: Annotated[
        int, msgspec.Meta(description="International observers: the sum over senders, domestic ones left out.")
    ]
    countries: int
    organizations: int
    nominated: int
    domestic_observers: int


class SendersOut(msgspec.Struct):
    election: str
    as_of: Annotated[dt.datetime, msgspec.Meta(description="The instant counted, in the election's time zone.")]
    lang: str
    senders: list[SenderOut]
    totals: SenderTotalsOut
    known_at: Annotated[
        dt.datetime | None,
        msgspec.Meta(
            description="The moment whose records were counted, in the election's time zone; null: today's records."
        ),
    ] = None

    @classmethod
    def of(cls, election: m.Election, tally: Tally, lang: str, known_at: dt.datetime | None = None) -> SendersOut:
        return cls(
            election=election.slug,
            as_of=election.local(tally.as_of),
            lang=lang,
            senders=[SenderOut.of(sender, lang) for sender in tally.by_sender],
            totals=SenderTotalsOut(
                observers=tally.observers,
                countries=tally.countries,
                organizations=tally.organizations,
                nominated=tally.nominated,
                domestic_observers=tally.domestic_observers,
            ),
            known_at=known_at and election.local(known_at),
        )
