"""Nominating, deciding and replacing observers on the staff pages."""

from __future__ import annotations

import re
from typing import Any

from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import select

from tests.conftest import ADA, count_rows, read, sign_in, submit
from tests.published import in_2023
from tracker import models as m

NEW = "/staff/elections/majilis-2023/accreditations/new"
OBSERVER = {
    "mission": "odihr",
    "role": "short_term_observer",
    "name_original": "Ingrid Sample",
    "name_latin": "Ingrid Sample",
    "nationality": "NO",
    "birth_date": "1980-05-04",
    "document_number": "NO1234567",
    "effective_at": "2023-03-08T10:00",
}


def demo_person(database_url: str, badge: str) -> Any:
    """The demo person holding a badge: names, birth date, document number."""
    [person] = read(
        database_url,
        select(m.Person.name_original, m.Person.name_latin, m.Person.birth_date, m.Person.document_number)
        .join(m.Accreditation, m.Accreditation.person_id == m.Person.id)
        .where(m.Accreditation.badge_number == badge),
    )
    return person


def accreditation_id(response_location: str) -> int:
    found = re.search(r"/staff/accreditations/(\d+)$", response_location)
    assert found, response_location
    return int(found.group(1))


def status_of(database_url: str, accreditation: int) -> str:
    [(status,)] = read(
        database_url,
        select(m.StatusEvent.status).where(
            m.StatusEvent.accreditation_id == accreditation, m.StatusEvent.valid_until.is_(None)
        ),
    )
    return status


def test_a_registrar_nominates_a_new_observer(as_rita: TestClient[Litestar], demo_db: str) -> None:
    response = submit(as_rita, NEW, **OBSERVER)

    assert response.status_code in (302, 303)
    new = accreditation_id(response.headers["location"])
    assert status_of(demo_db, new) == "nominated"
    page = as_rita.get(response.headers["location"]).text
    assert "Ingrid Sample" in page
    assert 'data-current-status="nominated"' in page


def test_a_missing_name_is_marked_on_its_field(as_rita: TestClient[Litestar], demo_db: str) -> None:
    before = count_rows(demo_db, m.Person)

    response = submit(as_rita, NEW, **(OBSERVER | {"name_latin": ""}))

    assert response.status_code == 400
    assert 'id="f-e-name_latin"' in response.text
    assert count_rows(demo_db, m.Person) == before


def test_a_likely_duplicate_needs_a_confirmation(as_rita: TestClient[Litestar], demo_db: str) -> None:
    existing = demo_person(demo_db, "M23-00001")
    same_document = OBSERVER | {"document_number": existing.document_number}
    before = count_rows(demo_db, m.Accreditation)

    warned = submit(as_rita, NEW, **same_document)

    assert warned.status_code == 409
    assert "This may be someone already in this election" in warned.text
    assert existing.name_latin in warned.text
    assert count_rows(demo_db, m.Accreditation) == before

    confirmed = submit(as_rita, NEW, **same_document, confirm_duplicate="true")

    assert confirmed.status_code in (302, 303)
    assert count_rows(demo_db, m.Accreditation) == before + 1


def test_same_name_and_birth_date_is_a_likely_duplicate_too(as_rita: TestClient[Litestar], demo_db: str) -> None:
    existing = demo_person(demo_db, "M23-00002")
    twin = OBSERVER | {
        "name_latin": existing.name_latin.upper(),
        "name_original": existing.name_original,
        "birth_date": existing.birth_date.isoformat(),
        "document_number": "ZZ9999999",
    }

    assert submit(as_rita, NEW, **twin).status_code == 409


def test_accrediting_after_the_window_closed_needs_an_admin_override(
    as_rita: TestClient[Litestar], demo_db: str
) -> None:
    new = accreditation_id(submit(as_rita, NEW, **OBSERVER).headers["location"])
    page = f"/staff/accreditations/{new}"
    late = {"status": "accredited", "effective_at": "2023-03-14T10:00", "version": "1"}

    refused = submit(as_rita, page, action=f"{page}/transition", **late)

    assert refused.status_code == 403
    assert "only an admin can accredit now" in refused.text
    assert status_of(demo_db, new) == "nominated"

    sign_in(as_rita, ADA)
    without_reason = submit(as_rita, page, action=f"{page}/transition", **late)
    assert without_reason.status_code == 400
    assert "give the reason for the override" in without_reason.text

    overridden = submit(
        as_rita, page, action=f"{page}/transition", **late, override_reason="Documents delayed by the MFA"
    )

    assert overridden.status_code in (302, 303)
    assert status_of(demo_db, new) == "accredited"
    [(reason, actor)] = read(
        demo_db,
        select(m.StatusEvent.override_reason, m.StatusEvent.actor).where(
            m.StatusEvent.accreditation_id == new, m.StatusEvent.status == "accredited"
        ),
    )
    assert (reason, actor) == ("Documents delayed by the MFA", ADA)
    assert "Deadline override" in as_rita.get(page).text


def test_an_invalid_transition_is_refused_with_the_reason(as_rita: TestClient[Litestar], demo_db: str) -> None:
    [(rejected,)] = read(
        demo_db,
        select(m.StatusEvent.accreditation_id).where(
            m.StatusEvent.status == "rejected", m.StatusEvent.valid_until.is_(None), in_2023(m.StatusEvent.election_id)
        ),
    )
    page = f"/staff/accreditations/{rejected}"

    response = as_rita.post(
        f"{page}/transition",
        data={"_csrf_token": _token(as_rita, page), "status": "revoked", "reason": "x", "version": "1"},
    )

    assert response.status_code == 409
    assert "a rejected accreditation cannot become revoked" in response.text


def test_a_substitution_replaces_one_observer_by_another_in_one_step(
    as_rita: TestClient[Litestar], demo_db: str
) -> None:
    [(old, version)] = read(
        demo_db, select(m.Accreditation.id, m.Accreditation.version).where(m.Accreditation.badge_number == "M23-00030")
    )
    page = f"/staff/accreditations/{old}"

    response = submit(
        as_rita,
        page,
        action=f"{page}/substitute",
        version=str(version),
        name_original="Clara Specimen",
        name_latin="Clara Specimen",
        nationality="AT",
        document_number="AT7654321",
        effective_at="2023-03-09T12:00",
        reason="Fell ill before travelling",
    )

    assert response.status_code in (302, 303)
    new = accreditation_id(response.headers["location"])
    assert status_of(demo_db, old) == "withdrawn"
    assert status_of(demo_db, new) == "accredited"
    [(replaces,)] = read(demo_db, select(m.Accreditation.replaces_id).where(m.Accreditation.id == new))
    assert replaces == old
    assert f'href="/staff/accreditations/{old}"' in as_rita.get(f"/staff/accreditations/{new}").text


def test_a_second_decision_from_a_stale_page_is_refused(as_rita: TestClient[Litestar], demo_db: str) -> None:
    new = accreditation_id(submit(as_rita, NEW, **OBSERVER).headers["location"])
    page = f"/staff/accreditations/{new}"
    token = _token(as_rita, page)
    decide = {"_csrf_token": token, "effective_at": "2023-03-09T10:00", "version": "1"}

    first = as_rita.post(f"{page}/transition", data=decide | {"status": "accredited"}, follow_redirects=False)
    second = as_rita.post(f"{page}/transition", data=decide | {"status": "rejected", "reason": "duplicate"})

    assert first.status_code in (302, 303)
    assert second.status_code == 409
    assert status_of(demo_db, new) == "accredited"


def test_the_list_finds_people_by_name_in_any_script(as_rita: TestClient[Litestar], demo_db: str) -> None:
    person = demo_person(demo_db, "M23-00001")
    listing = "/staff/elections/majilis-2023/accreditations"

    by_original = as_rita.get(listing, params={"q": person.name_original.split()[0].lower()}).text
    by_latin = as_rita.get(listing, params={"q": person.name_latin.split()[-1].upper()}).text

    assert person.name_latin in by_original
    assert person.name_latin in by_latin


def test_the_list_filters_by_status_and_mission(as_rita: TestClient[Litestar]) -> None:
    page = as_rita.get(
        "/staff/elections/majilis-2023/accreditations", params={"mission": "odihr", "status": "withdrawn"}
    ).text

    assert "2 accreditations" in page
    assert page.count("data-accreditation=") == 2


def _token(client: TestClient[Litestar], path: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', client.get(path).text)
    assert found
    return found.group(1)


def test_the_list_pages_keep_the_filters(as_rita: TestClient[Litestar]) -> None:
    listing = "/staff/elections/majilis-2023/accreditations"

    first = as_rita.get(listing, params={"mission": "odihr"}).text
    second = as_rita.get(listing, params={"mission": "odihr", "page_number": "2"}).text

    assert "Page 1 of 2" in first
    assert 'rel="next" href="?q=&amp;mission=odihr' in first
    assert first.count("data-accreditation=") == 50
    assert second.count("data-accreditation=") == 99 - 50
