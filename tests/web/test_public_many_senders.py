"""An election with more domestic organizations than the page lists one by one: the page lists every international
sender and the domestic organizations with the most observers, and the rest as one row of totals that links to
every sender; the totals stay the tally's."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from html import unescape

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import in_thread
from tests.factories import at, make_accreditation, make_election, make_mission
from tests.web.test_public_pages import body, tables_of, total
from tracker import models as m
from tracker.app import create_app
from tracker.db import alchemy_config
from tracker.settings import Settings
from tracker.web.public.pages import DOMESTIC_LISTED

SLUG = "many-senders-2023"
DOMESTIC = DOMESTIC_LISTED + 3
ACCREDITED = [(m.Status.NOMINATED, at("2023-02-01T10:00")), (m.Status.ACCREDITED, at("2023-02-02T10:00"))]


def build(url: str) -> None:
    async def fill() -> None:
        config = alchemy_config(Settings(database_url=url))
        try:
            async with config.get_session() as session, session.begin():
                election = await make_election(session, SLUG)
                for country, observers in (("DE", 2), ("KG", 1)):
                    mission = await make_mission(session, election, country=country)
                    for _ in range(observers):
                        await make_accreditation(session, mission, ACCREDITED)
                # Domestic organization n has n observers, and the first one a nomination besides.
                for n in range(1, DOMESTIC + 1):
                    mission = await make_mission(session, election, domestic=True)
                    for _ in range(n):
                        await make_accreditation(session, mission, ACCREDITED, nationality="KZ")
                    if n == 1:
                        await make_accreditation(session, mission, ACCREDITED[:1], nationality="KZ")
        finally:
            await config.get_engine().dispose()

    in_thread(lambda: asyncio.run(fill()))


@pytest.fixture
def client(reference_db: str) -> Iterator[TestClient[Litestar]]:
    build(reference_db)
    with TestClient(app=create_app(Settings(database_url=reference_db))) as client:
        yield client


def test_the_page_lists_the_largest_domestic_organizations_and_the_rest_as_one_row(
    client: TestClient[Litestar],
) -> None:
    moment = {"as_of": "2023-03-01"}
    api = client.get(f"/api/elections/{SLUG}/senders", params=moment).json()
    page = client.get(f"/elections/{SLUG}", params=moment)

    assert page.status_code == 200
    table = tables_of(page.text).tables["by-sender"]
    rows = body(table)
    listed = [attrs["data-sender"] for attrs, _ in rows if attrs.get("data-sender")]
    domestic = [s for s in api["senders"] if s["kind"] == "domestic_organization"]
    assert len(domestic) == DOMESTIC
    international = [s["code"] for s in api["senders"] if s["kind"] != "domestic_organization"]
    assert set(international) <= set(listed)
    # The tally's order is by observers: the 20 listed are those with the most.
    assert [code for code in listed if code not in international] == [s["code"] for s in domestic[:DOMESTIC_LISTED]]
    assert sum(s["observers"] for s in domestic[DOMESTIC_LISTED:]) == 1 + 2 + 3
    [(attrs, cells)] = [(attrs, cells) for attrs, cells in rows if "data-unlisted" in attrs]
    assert attrs["data-unlisted"] == "3"
    assert cells[0].startswith("3 other domestic organizations")
    assert [int(cells[1]), int(cells[2])] == [1 + 2 + 3, 1]
    # The totals are the tally's, not the listed rows'.
    tally = client.get(f"/api/elections/{SLUG}/tally", params=moment).json()
    assert [int(n) for n in total(table)] == [sum(tally["by_sender_kind"].values()), 1]
    assert f'href="/api/elections/{SLUG}/senders.csv?as_of=' in page.text

    for lang, row in (("ru", "3 другие отечественные организации"), ("kk", "тағы 3 отандық ұйым")):
        assert row in unescape(client.get(f"/elections/{SLUG}", params={**moment, "lang": lang}).text)
