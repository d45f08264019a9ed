"""The baselines of the public benchmark: a bare Litestar app, no database and no middleware, with one
JSON answer shaped and sized like the tally of the synthetic election at a million (2,090 senders: 150 states,
40 international and 1,900 domestic organizations; 150 nationalities) and one Jinja page shaped and sized like
its election page (the same tables, the senders listed as that page lists them, and a day-by-day chart).

    granian --interface asgi --factory bench.bare_app:create_app
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import msgspec
from litestar import Litestar, get
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template import TemplateConfig

TEMPLATES = Path(__file__).resolve().parent / "templates"
SENDERS = 2_090
NATIONALITIES = 150
DAYS = 55
AS_OF = dt.datetime(2025, 3, 16, 23, 59, 59, tzinfo=dt.timezone(dt.timedelta(hours=5)))
ROLES = ("short_term_observer", "long_term_observer", "parliamentarian", "expert", "interpreter", "staff")


class SenderOut(msgspec.Struct):
    kind: str
    code: str
    name: str
    short_name: str
    observers: int
    nominated: int


class RoleOut(msgspec.Struct):
    role: str
    observers: int


class NationalityOut(msgspec.Struct):
    code: str
    name: str
    observers: int


class TallyOut(msgspec.Struct):
    election: str
    as_of: dt.datetime
    lang: str
    headline: str
    observers: int
    countries: int
    organizations: int
    nominated: int
    domestic_observers: int
    by_sender_kind: dict[str, int]
    by_sender: list[SenderOut]
    by_role: list[RoleOut]
    by_nationality: list[NationalityOut]


def _code(n: int) -> str:
    return chr(65 + n // 26 % 26) + chr(65 + n % 26)


SENDER_ROWS = [
    SenderOut(
        kind="foreign_state" if n < 150 else "international_organization" if n < 190 else "domestic_organization",
        code=_code(n) if n < 150 else f"synthetic-io-{n - 149:02d}" if n < 190 else f"synthetic-do-{n - 189:04d}",
        name=f"Sender number {n} of the synthetic election",
        short_name=f"Sender {n}",
        observers=200_000 // (n + 1),
        nominated=400 // (n + 1),
    )
    for n in range(SENDERS)
]
TALLY = TallyOut(
    election="synthetic",
    as_of=AS_OF,
    lang="en",
    headline="665,112 international observers from 150 countries and 40 international organizations",
    observers=665_112,
    countries=150,
    organizations=40,
    nominated=19_834,
    domestic_observers=300_000,
    by_sender_kind={"foreign_state": 515_112, "international_organization": 150_000, "domestic_organization": 300_000},
    by_sender=SENDER_ROWS,
    by_role=[RoleOut(role=role, observers=600_000 // (n + 1)) for n, role in enumerate(ROLES)],
    by_nationality=[
        NationalityOut(code=_code(n), name=f"Country number {n}", observers=100_000 // (n + 1))
        for n in range(NATIONALITIES)
    ],
)
TIMELINE = [(dt.date(2025, 1, 15) + dt.timedelta(days=n), n * n * 300) for n in range(DAYS)]
# The page lists the international senders and the domestic organizations with the most observers, the others as
# one row (as tracker.web.public.pages does, with the same number).
DOMESTIC_LISTED = 20
DOMESTIC = [sender for sender in SENDER_ROWS if sender.kind == "domestic_organization"]
LISTED = [sender for sender in SENDER_ROWS if sender.kind != "domestic_organization"] + DOMESTIC[:DOMESTIC_LISTED]
UNLISTED = (
    len(DOMESTIC) - DOMESTIC_LISTED,
    sum(sender.observers for sender in DOMESTIC[DOMESTIC_LISTED:]),
    sum(sender.nominated for sender in DOMESTIC[DOMESTIC_LISTED:]),
)


@get("/tally")
async def tally() -> TallyOut:
    return TALLY


@get("/page")
async def page() -> Template:
    return Template(
        "bare_page.html",
        context={
            "tally": TALLY,
            "listed": LISTED,
            "unlisted": UNLISTED,
            "timeline": TIMELINE,
            "title": "Synthetic election",
        },
    )


def create_app() -> Litestar:
    return Litestar(
        route_handlers=[tally, page],
        template_config=TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine),
    )
