"""The nomination form as a registrar meets it: every problem at once, the typed values kept, someone already
on file found and chosen instead of typed again, and a likely duplicate asked about once."""

from __future__ import annotations

import re

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import select

from tests.conftest import count_rows, csrf_headers, read, submit
from tests.published import in_2023
from tests.web.test_staff_accreditations import NEW, OBSERVER, demo_person
from tracker import models as m

REQUIRED = ["mission", "role", "name_original", "name_latin", "nationality"]


def summary(html: str) -> str:
    found = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert found, "no summary of the form's problems"
    return found.group(0)


@pytest.mark.parametrize(
    ("lang", "labels", "required"),
    [
        ("en", ["Mission", "Role", "Name in Latin letters"], "This field is required."),
        ("ru", ["Миссия", "Роль", "Имя латиницей"], "Это поле обязательно для заполнения."),
    ],
)
def test_an_empty_form_names_every_missing_field_at_once(
    as_rita: TestClient[Litestar], lang: str, labels: list[str], required: str
) -> None:
    as_rita.get(f"{NEW}?lang={lang}")

    response = submit(as_rita, NEW, mission="", role="", name_original="", name_latin="", nationality="")

    assert response.status_code == 400
    top = summary(response.text)
    for field in REQUIRED:
        assert f'href="#f-{field}"' in top
        assert f'<div class="error" id="f-e-{field}">{required}</div>' in response.text
    for label in labels:
        assert f">{label}</a>: {required}" in top


def test_a_refused_form_keeps_what_was_typed_and_names_each_bad_value(
    as_rita: TestClient[Litestar], demo_db: str
) -> None:
    before = count_rows(demo_db, m.Person)

    response = submit(as_rita, NEW, **(OBSERVER | {"document_number": "№ 1", "email": "ingrid-at-example"}))

    assert response.status_code == 400
    assert 'id="f-e-document_number">use 4 to 32 Latin letters' in response.text
    assert 'id="f-e-email">&#39;ingrid-at-example&#39; is not an email address' in response.text
    assert 'value="Ingrid Sample"' in response.text
    assert '<option value="odihr" selected>' in response.text
    assert '<option value="NO" selected>' in response.text
    assert count_rows(demo_db, m.Person) == before


def test_a_domain_message_is_in_the_page_language(as_rita: TestClient[Litestar], demo_db: str) -> None:
    [(rejected, version)] = read(
        demo_db,
        select(m.StatusEvent.accreditation_id, m.Accreditation.version)
        .join(m.Accreditation, m.Accreditation.id == m.StatusEvent.accreditation_id)
        .where(m.StatusEvent.status == "rejected", m.StatusEvent.valid_until.is_(None))
        .where(in_2023(m.StatusEvent.election_id)),
    )
    page = f"/staff/accreditations/{rejected}?lang=kk"

    response = submit(
        as_rita, page, action=page.replace("?", "/transition?"), status="revoked", reason="x", version=str(version)
    )

    assert response.status_code == 409
    assert "«бас тартылды» мәртебесіндегі аккредиттеуге «күшін жойылды» мәртебесі берілмейді" in response.text
    assert "status:" not in response.text


def test_someone_on_file_is_found_in_any_script_and_nominated_without_typing_them_again(
    as_rita: TestClient[Litestar], demo_db: str
) -> None:
    # On file from another election, written in Latin letters only.
    person = as_rita.post(
        "/api/persons",
        json={
            "name_original": "Olga Ksenofontova",
            "name_latin": "OLGA KSENOFONTOVA",
            "nationality": "LV",
            "document_number": "LV4455667",
        },
        headers=csrf_headers(as_rita),
    ).json()["id"]
    people = count_rows(demo_db, m.Person)

    by_cyrillic = as_rita.get(NEW, params={"find": "Ксенофонтова", "mission": "odihr"}).text
    by_document = as_rita.get(NEW, params={"find": "lv 445 5667"}).text

    assert re.findall(r'data-person="(\d+)"', by_cyrillic) == [str(person)]
    assert re.findall(r'data-person="(\d+)"', by_document) == [str(person)]
    choice = re.search(r'href="\?([^"]*person=\d+)#f-person">Nominate this person', by_cyrillic)
    assert choice
    chosen = f"{NEW}?{choice.group(1).replace('&amp;', '&')}"
    assert f'name="person_id" value="{person}"' in as_rita.get(chosen).text

    response = submit(as_rita, chosen, action=NEW, mission="odihr", role="expert", person_id=str(person))

    assert response.status_code in (302, 303)
    assert count_rows(demo_db, m.Person) == people
    assert count_rows(demo_db, m.Accreditation, m.Accreditation.person_id == person) == 1
    again = submit(as_rita, chosen, action=NEW, mission="odihr", role="expert", person_id=str(person))
    assert again.status_code == 409
    assert "OLGA KSENOFONTOVA is already nominated or accredited in this election" in again.text
    assert "Already in this election:" in as_rita.get(NEW, params={"find": "ksenofontova"}).text


def test_a_likely_duplicate_is_asked_about_once(as_rita: TestClient[Litestar], demo_db: str) -> None:
    existing = demo_person(demo_db, "M23-00001")
    same_document = OBSERVER | {"document_number": existing.document_number}

    warned = submit(as_rita, NEW, **same_document)

    assert warned.status_code == 409
    assert warned.text.count("This may be someone already in this election") == 1
    assert "error-summary" not in warned.text
    # Confirmed, with another mistake: the confirmation stays, the question is not asked again.
    confirmed = submit(as_rita, NEW, **same_document, email="nope", confirm_duplicate="true")
    assert confirmed.status_code == 400
    assert "This may be someone already in this election" not in confirmed.text
    assert 'name="confirm_duplicate" value="true" checked' in confirmed.text
    saved = submit(as_rita, NEW, **same_document, confirm_duplicate="true")
    assert saved.status_code in (302, 303)
