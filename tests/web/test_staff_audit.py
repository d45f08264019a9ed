"""The audit trail page, for admins: what changed as `field: before → after` in the page's language, names and
links instead of ids, times and days in the election's zone, and a bounded number of queries per page."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import event, insert, select

from tests.conftest import ADA, RITA, csrf_headers, read, sign_in, submit, write
from tests.web.api_helpers import ELECTION, new_person, nominate, transition
from tracker import models as m

AUDIT = "/staff/audit"


def entries(page: str) -> dict[int, str]:
    """Each entry of the page as its reader sees it (tags dropped), by its number."""
    rows = re.findall(r'<tr data-audit="(\d+)">(.*?)</tr>', page.replace("<wbr>", ""), flags=re.S)
    return {int(number): " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split()) for number, row in rows}


def test_an_edit_of_a_person_shows_the_field_that_changed_in_the_page_language(as_ada: TestClient[Litestar]) -> None:
    headers = csrf_headers(as_ada)
    person = as_ada.post("/api/persons", json=new_person("Jana Beispiel"), headers=headers).json()
    changed = new_person("Jana Beispiel-Muster", name_original="Jana Beispiel", nationality="AT")
    url = f"/api/persons/{person['id']}"
    assert as_ada.put(url, params={"version": person["version"]}, json=changed, headers=headers).status_code == 200
    params = {"entity": "person", "entity_id": str(person["id"])}

    [edit, _created] = entries(as_ada.get(AUDIT, params=params).text).values()
    [edit_ru, _created] = entries(as_ada.get(AUDIT, params=params | {"lang": "ru"}).text).values()

    assert "Name in Latin letters: Jana Beispiel → Jana Beispiel-Muster" in edit
    assert "Имя латиницей: Jana Beispiel → Jana Beispiel-Muster" in edit_ru
    assert "Nationality: Germany → Austria" in edit
    assert "Гражданство: Германия → Австрия" in edit_ru
    # Only what changed: the birth date and the document stayed as they were.
    assert "1980" not in edit
    assert "C01X00T47" not in edit


def test_a_status_change_names_the_statuses_and_links_to_the_records(client: TestClient[Litestar]) -> None:
    sign_in(client, RITA)
    nominated = nominate(client, person=new_person("Jana Beispiel")).json()
    assert transition(client, nominated, "accredited").status_code == 201
    sign_in(client, ADA)

    page = client.get(AUDIT, params={"entity": "accreditation", "entity_id": str(nominated["id"])}).text

    [accredited, nominating] = entries(page).values()
    assert "changed the status" in accredited
    assert "Status: nominated → accredited" in accredited
    assert "Effective: 11 March 2023, 12:00" in accredited  # Astana time, as entered (UTC+6 then)
    assert f'href="/staff/accreditations/{nominated["id"]}">Jana Beispiel</a>' in page
    assert f'href="/staff/persons/{nominated["person_id"]}">Jana Beispiel</a>' in page
    assert 'href="/staff/elections/majilis-2023/missions/odihr">' in page
    assert "Role: short-term observer" in nominating


def test_an_export_says_what_it_held_and_how_it_was_filtered(client: TestClient[Litestar]) -> None:
    sign_in(client, RITA)
    roster = client.get(f"{ELECTION}/roster.xlsx", params={"mission": "odihr", "status": "accredited", "lang": "ru"})
    assert roster.status_code == 200
    sign_in(client, ADA)

    [export] = entries(client.get(AUDIT, params={"actor": RITA, "entity": "election"}).text).values()

    assert "exported the roster" in export
    assert "Status: accredited" in export
    assert "Language: Russian" in export
    assert "Mission: OSCE/ODIHR" in export
    assert re.search(r"Rows: \d+", export)
    assert "Voting day" not in export  # not the whole election


def _entry(election_id: int | None, actor: str, at: str) -> dict[str, Any]:
    return {
        "at": dt.datetime.fromisoformat(at),
        "actor": actor,
        "action": "update",
        "entity": "mission",
        "entity_id": "1",
        "election_id": election_id,
        "before": {"head_name": "A"},
        "after": {"head_name": "B"},
    }


def test_the_filters_by_user_and_by_day_in_the_election_zone(as_ada: TestClient[Litestar], demo_db: str) -> None:
    [(election_id,)] = read(demo_db, select(m.Election.id).where(m.Election.slug == "majilis-2023"))
    # 20:30 UTC on 22 February was 02:30 on the 23rd in Astana (UTC+6 then).
    late = _entry(election_id, RITA, "2023-02-22T20:30:00+00:00")
    write(demo_db, insert(m.AuditEntry).values([late, _entry(election_id, ADA, "2023-02-22T20:31:00+00:00")]))
    day = {"election": "majilis-2023", "actor": RITA}

    on_the_23rd = as_ada.get(AUDIT, params=day | {"since": "2023-02-23", "until": "2023-02-23"}).text
    on_the_22nd = as_ada.get(AUDIT, params=day | {"since": "2023-02-22", "until": "2023-02-22"}).text
    api = as_ada.get("/api/audit", params=day | {"since": "2023-02-23", "until": "2023-02-23"}).json()

    [shown] = entries(on_the_23rd).values()
    assert shown.startswith("23 February 2023, 02:30 rita@cec.example changed")
    assert "Head of mission: A → B" in shown
    assert entries(on_the_22nd) == {}
    assert [item["actor"] for item in api["items"]] == [RITA]


def test_the_queries_of_a_page_do_not_grow_with_its_entries(
    as_ada: TestClient[Litestar], demo_app: Litestar, demo_db: str
) -> None:
    accreditations = read(demo_db, select(m.Accreditation.id, m.Accreditation.person_id, m.Accreditation.mission_id))

    def add(rows: list[Any]) -> None:
        values = []
        for accreditation, person, mission in rows:
            values.append(_entry(None, RITA, "2023-02-22T10:00:00+00:00") | {"entity_id": str(mission)})
            values.append(
                _entry(None, RITA, "2023-02-22T10:00:00+00:00")
                | {"entity": "accreditation", "entity_id": str(accreditation)}
                | {"before": {"status": "nominated", "person_id": person}, "after": {"status": "accredited"}}
            )
        write(demo_db, insert(m.AuditEntry).values(values))

    statements: list[str] = []

    def note(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    def count() -> int:
        statements.clear()
        engine = demo_app.state.alchemy.get_engine().sync_engine
        event.listen(engine, "before_cursor_execute", note)
        try:
            assert as_ada.get(AUDIT, params={"actor": RITA}).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", note)
        return len(statements)

    add(accreditations[:1])
    few = count()
    add(accreditations[1:60])
    many = count()

    assert many == few


def test_the_trail_keeps_personal_data_for_admins_only(client: TestClient[Litestar]) -> None:
    sign_in(client, RITA)
    submit(
        client,
        "/staff/elections/majilis-2023/accreditations/new",
        mission="odihr",
        role="expert",
        name_original="Eva Placeholder",
        name_latin="Eva Placeholder",
        nationality="SE",
        birth_date="1975-01-02",
        document_number="SE5550001",
        effective_at="2023-03-08T10:00",
    )

    assert client.get(AUDIT).status_code == 403
    sign_in(client, ADA)
    page = client.get(AUDIT, params={"entity": "person"}).text
    assert "SE5550001" in page
    assert "2 January 1975" in page
