"""A published bulletin against today's records: a withdrawal dated back before its instant changes the tally as of
that instant but not the tally as known at publication, and the bulletin says so, with the correction's reason and
role, in three languages; the staff list flags it and issues a correction in one step."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import PAT, csrf_headers, form_token, in_thread, sign_in
from tests.web.api_helpers import transition
from tracker import models as m
from tracker.db import alchemy_config
from tracker.services import reconciliation
from tracker.services.audit import Actor
from tracker.services.bulletins import BulletinService
from tracker.services.history import record_sender
from tracker.settings import Settings
from tracker.tally import tally_as_of

T = TypeVar("T")
REASON = "Withdrawn by the mission, letter of 21 February"
BACKDATED = "2023-02-22T10:00:00+06:00"


def on_database(database_url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async def run() -> T:
        config = alchemy_config(Settings(database_url=database_url))
        try:
            async with config.get_session() as session:
                return await work(session)
        finally:
            await config.get_engine().dispose()

    return in_thread(lambda: asyncio.run(run()))


def bulletin_of_22_february(client: TestClient[Litestar]) -> dict[str, Any]:
    bulletins = client.get("/api/bulletins", params={"election": "majilis-2023"}).json()
    return next(row for row in bulletins if row["as_of"] == "2023-02-22T21:13:00+06:00")


def tallies(database_url: str, bulletin_id: int) -> tuple[int, int]:
    """Observers at the bulletin's instant from today's records, and as the records stood at its publication."""

    async def work(session: AsyncSession) -> tuple[int, int]:
        bulletin = await session.get_one(m.Bulletin, bulletin_id)
        election = await session.get_one(m.Election, bulletin.election_id)
        today = await tally_as_of(session, election, bulletin.as_of, breakdowns=False)
        published = await tally_as_of(
            session, election, bulletin.as_of, breakdowns=False, known_at=bulletin.published_at
        )
        return today.observers, published.observers

    return on_database(database_url, work)


async def published_figures_hold(session: AsyncSession) -> list[Any]:
    """Each published bulletin's differences from the tally known at its publication: none."""
    found = []
    for bulletin in await session.scalars(select(m.Bulletin).where(m.Bulletin.status == m.BulletinStatus.PUBLISHED)):
        election = await session.get_one(m.Election, bulletin.election_id)
        known = await reconciliation.known_at_publication(session, bulletin, election)
        found += reconciliation.differences(bulletin.snapshot, known, "en")
    return found


def withdraw_counted(client: TestClient[Litestar], how_many: int = 1) -> list[int]:
    """A registrar withdraws, with effect before the bulletin's instant, OSCE/ODIHR observers it counted."""
    counted = [
        row
        for row in client.get(
            "/api/elections/majilis-2023/accreditations", params={"status": "accredited", "mission": "odihr"}
        ).json()["items"]
        if row["status_since"] < "2023-02-22"
    ]
    for accreditation in counted[:how_many]:
        moved = transition(client, accreditation, "withdrawn", effective_at=BACKDATED, reason=REASON)
        assert moved.status_code == 201, moved.text
    return [row["id"] for row in counted[:how_many]]


def test_an_untouched_bulletin_gives_the_same_figures(client: TestClient[Litestar], demo_db: str) -> None:
    bulletin = bulletin_of_22_february(client)

    found = client.get(f"/api/bulletins/{bulletin['id']}").json()["reconciliation"]
    page = client.get(f"/bulletins/{bulletin['id']}", params={"lang": "en"}).text

    assert found == {"same": True, "differences": [], "corrections": [], "corrections_total": 0}
    assert "Today's records give the same figures for this moment." in page
    assert tallies(demo_db, bulletin["id"]) == (97, 97)


def test_a_backdated_withdrawal_is_reported_with_its_reason_and_role(
    as_rita: TestClient[Litestar], demo_db: str
) -> None:
    bulletin = bulletin_of_22_february(as_rita)
    withdraw_counted(as_rita)

    # The tally as of the bulletin's instant changes; as known at its publication, it does not, for any bulletin.
    assert tallies(demo_db, bulletin["id"]) == (96, 97)
    assert on_database(demo_db, published_figures_hold) == []
    found = as_rita.get(f"/api/bulletins/{bulletin['id']}").json()
    assert found["observers"] == 97
    reconciliation = found["reconciliation"]
    assert reconciliation["same"] is False
    observers = {"figure": "observers", "name": "International observers", "published": 97, "now": 96}
    assert observers in reconciliation["differences"]
    odihr = next(row for row in reconciliation["differences"] if row["figure"].startswith("sender:"))
    assert odihr["now"] == odihr["published"] - 1
    [correction] = reconciliation["corrections"]
    assert (correction["role"], correction["reason"]) == ("registrar", REASON)
    assert "became “withdrawn” with effect from 22 February 2023, 10:00" in correction["what"]
    assert "Rita" not in str(reconciliation)

    expected = {
        "en": ("Today's records give other figures", "“withdrawn” with effect from 22 February 2023", "registrar"),
        "ru": ("Сегодняшние записи дают другие цифры", "«отозван» с 22 февраля 2023", "регистратор"),
        "kk": ("Бүгінгі жазбалар осы сәтке басқа сандар", "22 ақпан 2023, 10:00 бастап «кері шақырылды»", "тіркеуші"),
    }
    for lang, phrases in expected.items():
        page = as_rita.get(f"/bulletins/{bulletin['id']}", params={"lang": lang}).text
        assert 'data-figure="observers"' in page, lang
        assert REASON in page, lang
        for phrase in phrases:
            assert phrase in page, (lang, phrase)


def test_the_staff_list_flags_the_bulletin_and_issues_a_correction(as_rita: TestClient[Litestar]) -> None:
    bulletin = bulletin_of_22_february(as_rita)
    withdraw_counted(as_rita)
    sign_in(as_rita, PAT)
    listing = "/staff/elections/majilis-2023/bulletins"

    page = as_rita.get(listing).text
    assert f'data-stale="{bulletin["id"]}"' in page

    response = as_rita.post(
        f"{listing}/{bulletin['id']}/correct",
        data={"_csrf_token": form_token(as_rita, listing)},
        headers=csrf_headers(as_rita),
        follow_redirects=False,
    )
    assert response.status_code in (302, 303), response.text
    correction_id = int(response.headers["location"].rsplit("/", 1)[1])
    correction = as_rita.get(f"/api/bulletins/{correction_id}").json()
    assert (correction["corrects"], correction["observers"], correction["as_of"]) == (
        bulletin["id"],
        96,
        bulletin["as_of"],
    )
    assert correction["reconciliation"]["same"] is True
    assert f'href="/bulletins/{correction_id}"' in as_rita.get(f"/bulletins/{bulletin['id']}").text
    assert 'data-correct="' + str(bulletin["id"]) not in as_rita.get(listing).text


def test_a_draft_has_no_reconciliation(as_pat: TestClient[Litestar], demo_db: str) -> None:
    draft = as_pat.post(
        "/api/bulletins", json={"election": "majilis-2023", "as_of": "2023-02-22T21:13"}, headers=csrf_headers(as_pat)
    ).json()

    async def work(session: AsyncSession) -> Any:
        service = BulletinService(session, Settings(database_url=demo_db))
        return await service.reconciliation(await service.get(draft["id"]))

    assert on_database(demo_db, work) is None
    assert as_pat.get(f"/api/bulletins/{draft['id']}").status_code == 404


def test_a_decisions_changes_make_one_line_and_the_list_is_bounded(
    as_rita: TestClient[Litestar], demo_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    bulletin = bulletin_of_22_february(as_rita)
    first, second, _alone = withdraw_counted(as_rita, 3)

    async def one_decision(session: AsyncSession) -> None:
        """The first two withdrawals as one decision of the commission would record them."""
        election = await session.scalar(select(m.Election).where(m.Election.slug == "majilis-2023"))
        assert election is not None
        decision = m.Decision(
            election_id=election.id,
            reference="12/345",
            decided_on=dt.date(2023, 2, 21),
            effective_at=dt.datetime.fromisoformat(BACKDATED),
            outcome=m.Status.WITHDRAWN,
            decided_by="test",
        )
        session.add(decision)
        await session.flush()
        latest = m.StatusEvent.accreditation_id.in_([first, second]), m.StatusEvent.status == m.Status.WITHDRAWN
        await session.execute(update(m.StatusEvent).where(*latest).values(decision_id=decision.id))
        await session.commit()

    on_database(demo_db, one_decision)
    monkeypatch.setattr(reconciliation, "LIMIT", 1)
    found = as_rita.get(f"/api/bulletins/{bulletin['id']}").json()["reconciliation"]

    assert found["corrections_total"] == 2
    [line] = found["corrections"]
    assert line["what"] == "Decision 12/345 made 2 accreditations “withdrawn” with effect from 22 February 2023, 10:00"
    assert "The first 1 of 2 corrections." in as_rita.get(f"/bulletins/{bulletin['id']}").text


def test_a_corrected_sender_is_reported_before_and_after(client: TestClient[Litestar], demo_db: str) -> None:
    bulletin = bulletin_of_22_february(client)

    async def correct_the_sender(session: AsyncSession) -> None:
        mission = await session.scalar(select(m.Mission).where(m.Mission.slug == "odihr"))
        other = await session.scalar(select(m.Organization).where(m.Organization.slug == "osce-pa"))
        assert mission is not None
        assert other is not None
        mission.organization_id = other.id
        await record_sender(session, mission, Actor("Ada", m.UserRole.ADMIN), reason="Sent by the Assembly")
        await session.commit()

    on_database(demo_db, correct_the_sender)
    found = client.get(f"/api/bulletins/{bulletin['id']}", params={"lang": "ru"}).json()["reconciliation"]

    moved = {row["figure"]: (row["published"], row["now"]) for row in found["differences"]}
    assert moved == {"sender:osce-odihr": (47, 0), "sender:osce-pa": (0, 47)}
    [correction] = found["corrections"]
    assert (correction["role"], correction["reason"]) == ("admin", "Sent by the Assembly")
    assert correction["what"].startswith("Исправлена направившая сторона")
    assert " → Парламентская ассамблея ОБСЕ" in correction["what"]
    assert "Ada" not in str(found)
