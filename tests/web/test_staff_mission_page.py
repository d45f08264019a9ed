"""A mission's page: its sender and leaders, its size against what was expected, its list in the order asked for,
and what it sent and what was decided; its contacts for registrars and admins alone."""

from __future__ import annotations

import datetime as dt
import re

from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import insert, select, update

from tests.conftest import PAT, RITA, read, sign_in, submit, write
from tests.lists import observers, xlsx
from tests.web.test_staff_imports import upload
from tracker import models as m

MISSIONS = "/staff/elections/majilis-2023/missions"
CONTACTS = "Coordinator: coordinator@example.org\n+7 701 000 00 00"


def test_it_shows_the_size_against_the_expected_one_and_links_the_missions_roster(
    as_rita: TestClient[Litestar],
) -> None:
    page = as_rita.get(f"{MISSIONS}/odihr").text

    assert "97 accredited and 0 nominated, of 100 expected." in page
    assert '<td class="n" data-expected>100</td>' in page
    assert 'data-status="withdrawn">2<' in page
    assert "OSCE Office for Democratic Institutions and Human Rights" in page
    roster = re.search(r'href="([^"]+)" data-roster', page)
    assert roster is not None
    download = as_rita.get(roster.group(1).replace("&amp;", "&"))
    assert download.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "odihr" in download.headers["content-disposition"]
    # The news items that quote it, and the way back from the list of missions.
    assert '<ul data-news="2">' in page
    assert f'href="{MISSIONS}/odihr"' in as_rita.get(MISSIONS).text


def test_its_list_sorts_by_nationality_as_named_in_russian(as_rita: TestClient[Litestar]) -> None:
    page = as_rita.get(f"{MISSIONS}/odihr", params={"sort": "nationality", "lang": "ru"}).text

    shown = re.findall(r'data-nationality="([A-Z]{2})">([^<]+)<', page)
    codes = list(dict.fromkeys(code for code, _ in shown))
    # Австрия, Великобритания, Германия, Дания, Ирландия, Италия: not AT, CA, CH, … as the codes would have it.
    assert codes[:6] == ["AT", "GB", "DE", "DK", "IE", "IT"]
    assert shown[0][1] == "Австрия"
    assert len(shown) == 50  # one page of the mission's 99


def test_it_lists_a_list_the_mission_sent_and_a_decision_about_its_people(
    as_rita: TestClient[Litestar], demo_db: str
) -> None:
    batch = upload(as_rita, xlsx(observers(2))).headers["location"]
    [(odihr, election)] = read(demo_db, select(m.Mission.id, m.Mission.election_id).where(m.Mission.slug == "odihr"))
    decided = [
        row[0]
        for row in read(
            demo_db, select(m.Accreditation.id).where(m.Accreditation.mission_id == odihr).order_by("id").limit(3)
        )
    ]
    write(
        demo_db,
        insert(m.Decision).values(
            id=900,
            election_id=election,
            reference="CEC 12/345",
            decided_on=dt.date(2023, 2, 9),
            effective_at=dt.datetime(2023, 2, 9, 13, tzinfo=dt.UTC),
            outcome=m.Status.ACCREDITED,
            decided_by="rita@example.org",
            accreditations=3,
            selection={},
        ),
    )
    write(
        demo_db,
        update(m.StatusEvent)
        .where(m.StatusEvent.accreditation_id.in_(decided), m.StatusEvent.status == m.Status.ACCREDITED)
        .values(decision_id=900),
    )

    kg = as_rita.get(f"{MISSIONS}/kg").text
    odihr_page = as_rita.get(f"{MISSIONS}/odihr").text

    assert f'<a href="{batch}">kg.xlsx</a>' in kg
    assert "checked, not imported yet" in kg
    decision = odihr_page.split('data-decision="900"')[1].split("</tr>")[0]
    assert '<a href="/staff/decisions/900">CEC 12/345</a>' in decision
    assert "9 February 2023" in decision
    assert 'class="n">3</td>' in decision


def test_the_form_keeps_contacts_and_language_which_only_registrars_and_admins_see(
    client: TestClient[Litestar], demo_db: str
) -> None:
    sign_in(client, RITA)
    saved = submit(
        client,
        f"{MISSIONS}/ps/edit",
        name="Delegation of the State of Palestine",
        slug="ps",
        sender="country:PS",
        contacts=CONTACTS.replace("\n", "\r\n"),
        language="ru",
        version="1",
    )

    assert saved.status_code in (302, 303)
    assert read(demo_db, select(m.Mission.contacts, m.Mission.language).where(m.Mission.slug == "ps")) == [
        (CONTACTS, "ru")
    ]
    page = client.get(f"{MISSIONS}/ps").text
    assert "coordinator@example.org<br>+7 701 000 00 00" in page
    assert 'data-language="ru">Russian<' in page
    assert client.get("/api/elections/majilis-2023/missions/ps").json()["contacts"] == CONTACTS

    sign_in(client, PAT)
    assert "contacts" not in client.get("/api/elections/majilis-2023/missions/ps").json()
    assert all("contacts" not in row for row in client.get("/api/elections/majilis-2023/missions").json())
    assert client.get(f"{MISSIONS}/ps").status_code == 403
    for public in (
        "/",
        "/elections/majilis-2023",
        "/api/elections/majilis-2023/senders",
        "/api/elections/majilis-2023",
    ):
        assert "coordinator@example.org" not in client.get(public).text, public
