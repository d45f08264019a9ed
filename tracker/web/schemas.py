"""What the JSON API returns: msgspec structs, documented in OpenAPI."""

from __future__ import annotations

import datetime as dt

import msgspec

from tracker import models as m
from tracker.phrases import headline
from tracker.tally import Tally


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
    name: str
    short_name: str
    observers: int
    nominated: int


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

    @classmethod
    def of(cls, election: m.Election, tally: Tally, lang: str) -> TallyOut:
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
            by_sender=[
                SenderOut(
                    kind=s.kind,
                    code=s.code,
                    name=s.name(lang),
                    short_name=s.short_names.get(lang) or s.short_names["en"],
                    observers=s.observers,
                    nominated=s.nominated,
                )
                for s in tally.by_sender
            ],
            by_role=[RoleOut(role=role, observers=n) for role, n in tally.by_role.items()],
            by_nationality=[
                NationalityOut(code=n.code, name=n.name(lang), observers=n.observers) for n in tally.by_nationality
            ],
        )


class ErrorOut(msgspec.Struct):
    status_code: int
    detail: str
    field: str | None = None
