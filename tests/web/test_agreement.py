"""One figure everywhere: the public page, the JSON API, the CSV, the roster's Summary sheet and the
bulletin's text agree, for random data, at several instants (some exactly on an event), in three languages."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import random
import re
from collections.abc import Iterator
from html import unescape

import openpyxl
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import ADA, csrf_headers, in_thread, sign_in
from tests.factories import at, make_accreditation, make_election, make_mission
from tests.unit.test_bulletin import all_text
from tracker import models as m
from tracker.app import create_app
from tracker.db import alchemy_config
from tracker.services.transitions import NEXT
from tracker.settings import Settings

SLUG = "random-2023"
LANGUAGES = ("en", "ru", "kk")
COUNTRIES = ("PS", "KG", "DE", "HU", "MN", "TR", "UZ", "AZ", "CN", "KR", "BY", "RU", "AM", "TJ", "EG")
ORGANIZATIONS = ("osce-odihr", "cis-ipa", "cis", "sco")
WINDOW = (at("2023-01-20T09:00"), at("2023-03-13T18:00"))


def random_history(rng: random.Random) -> list[tuple[m.Status, dt.datetime]]:
    """A legal path through the workflow at random moments of the window."""
    span = int((WINDOW[1] - WINDOW[0]).total_seconds() // 60)
    instant = WINDOW[0] + dt.timedelta(minutes=rng.randrange(span // 2))
    events: list[tuple[m.Status, dt.datetime]] = []
    status: m.Status | None = None
    for _ in range(rng.choice((1, 2, 2, 2, 3))):
        choices = sorted(NEXT[status])
        if not choices:
            break
        status = rng.choice(choices)
        instant += dt.timedelta(minutes=rng.randrange(1, span // 4))
        if instant >= WINDOW[1]:
            break
        events.append((status, instant))
    return events


def build(url: str, seed: int) -> list[dt.datetime]:
    """Random missions and accreditations; returns the instants of their events."""
    rng = random.Random(seed)
    moments: list[dt.datetime] = []

    async def fill() -> None:
        config = alchemy_config(Settings(database_url=url))
        try:
            async with config.get_session() as session, session.begin():
                election = await make_election(session, SLUG)
                missions = [await make_mission(session, election, country=code) for code in COUNTRIES]
                missions += [await make_mission(session, election, organization_slug=slug) for slug in ORGANIZATIONS]
                missions.append(await make_mission(session, election, domestic=True))
                for _ in range(260):
                    history = random_history(rng)
                    moments.extend(instant for _, instant in history)
                    await make_accreditation(
                        session,
                        rng.choice(missions),
                        history,
                        nationality=rng.choice(COUNTRIES),
                        role=rng.choice(list(m.Role)),
                        is_test=rng.random() < 0.05,
                    )
        finally:
            await config.get_engine().dispose()

    in_thread(lambda: asyncio.run(fill()))
    return moments


@pytest.fixture
def site(reference_db: str) -> Iterator[tuple[TestClient[Litestar], list[str]]]:
    moments = sorted(build(reference_db, seed=20230222))
    rng = random.Random(7)
    # Two instants exactly on an event (a boundary the counting rule must get right), two between.
    chosen = [rng.choice(moments), rng.choice(moments), at("2023-02-10T12:00"), at("2023-03-01T00:00")]
    instants = [instant.isoformat() for instant in chosen]
    with TestClient(app=create_app(Settings(database_url=reference_db))) as client:
        sign_in(client, ADA)
        yield client, instants


def flat(text: str) -> str:
    return " ".join(text.split())


def test_every_channel_gives_the_same_figures(site: tuple[TestClient[Litestar], list[str]]) -> None:
    client, instants = site
    compared = 0
    for as_of in instants:
        for lang in LANGUAGES:
            params = {"as_of": as_of, "lang": lang}
            api = client.get(f"/api/elections/{SLUG}/tally", params=params).json()
            figures = (api["observers"], api["countries"], api["organizations"])
            headline = api["headline"]

            page = unescape(client.get(f"/elections/{SLUG}", params=params).text)
            assert headline in page, (as_of, lang)
            shown = {key: int(n) for key, n in re.findall(r'data-count="(\w+)"[^>]*>\s*([\d\s\u00a0]+?)\s*<', page)}
            assert (shown["observers"], shown["countries"], shown["organizations"]) == figures

            table = client.get(f"/api/elections/{SLUG}/tally.csv", params=params).content.decode("utf-8-sig")
            _, *rows = csv.reader(io.StringIO(table))
            counts = {row[1]: int(row[3]) for row in rows}
            assert (counts["observers"], counts["countries"], counts["organizations"]) == figures

            roster = client.get(f"/api/elections/{SLUG}/roster.xlsx", params=params)
            summary = openpyxl.load_workbook(io.BytesIO(roster.content)).worksheets[0]
            assert summary["A1"].value == headline

            bulletin = client.post(
                "/api/bulletins",
                json={"election": SLUG, "as_of": as_of, "languages": [lang]},
                headers=csrf_headers(client),
            ).json()
            assert (bulletin["observers"], bulletin["countries"], bulletin["organizations"]) == figures
            assert bulletin["headlines"] == {lang: headline}
            pdf = client.get(f"/api/bulletins/{bulletin['id']}/preview.pdf").content
            assert headline in flat(all_text(pdf)), (as_of, lang)
            compared += 1

    assert compared == len(instants) * len(LANGUAGES)
    # The random data is not trivial: someone was counted at some instant.
    assert any(
        client.get(f"/api/elections/{SLUG}/tally", params={"as_of": as_of}).json()["observers"] for as_of in instants
    )
