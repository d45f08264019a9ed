"""The demo's fictional election: open around the day the seed ran, so a newcomer sees the live side of the
tracker, a live tally, a card that checks out at /verify and a draft bulletin the public cannot see."""

from __future__ import annotations

import datetime as dt

from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import select

from seed.fictional import SLUG
from tests.conftest import read
from tests.web.test_badges import outcome
from tracker import models as m
from tracker.services.badges import signature
from tracker.settings import Settings


def test_its_window_is_open_and_its_tally_is_live(client: TestClient[Litestar]) -> None:
    election = client.get(f"/api/elections/{SLUG}").json()
    tally = client.get(f"/api/elections/{SLUG}/tally").json()
    page = client.get(f"/elections/{SLUG}", params={"lang": "ru"})

    now = dt.datetime.now(dt.UTC)
    assert (
        dt.datetime.fromisoformat(election["window_opens_at"])
        < now
        < dt.datetime.fromisoformat(election["window_closes_at"])
    )
    assert (tally["observers"], tally["countries"], tally["organizations"], tally["nominated"]) == (21, 2, 2, 8)
    assert "Демонстрационные выборы (вымышленные" in page.text
    assert "21 международный наблюдатель из 2 стран и 2 международных организаций" in page.text


def test_one_of_its_cards_checks_out_as_valid(client: TestClient[Litestar], demo_db: str) -> None:
    [(badge,)] = read(
        demo_db,
        select(m.Accreditation.badge_number)
        .join(m.Election, m.Election.id == m.Accreditation.election_id)
        .where(m.Election.slug == SLUG, m.Accreditation.badge_number == "DEMO-00001"),
    )

    page = client.get("/verify", params={"badge": badge, "sig": signature(Settings().secret_key, SLUG, badge)})

    assert outcome(page) == "valid"


def test_its_draft_bulletin_is_kept_from_the_public(client: TestClient[Litestar], demo_db: str) -> None:
    [(draft,)] = read(
        demo_db,
        select(m.Bulletin.id)
        .join(m.Election, m.Election.id == m.Bulletin.election_id)
        .where(m.Election.slug == SLUG, m.Bulletin.status == m.BulletinStatus.DRAFT),
    )

    assert client.get(f"/bulletins/{draft}").status_code == 404
    assert f'href="/bulletins/{draft}"' not in client.get("/bulletins").text
