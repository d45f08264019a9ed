"""Countries are shown by the names the commission writes (seeded over the ISO source, kept by admins), on the
pages and in the downloads; the import still reads the source's names."""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import select

from tests.conftest import count_rows, form_token, read
from tracker import models as m
from tracker.spreadsheets.values import CountryNames

ELECTION = "/elections/majilis-2023"


def test_the_seeded_name_is_shown_on_the_page_and_in_the_csv(client: TestClient[Litestar]) -> None:
    page = client.get(f"{ELECTION}?lang=ru")
    assert "Кыргызстан" in page.text
    assert "Киргизия" not in page.text
    csv = client.get(f"/api{ELECTION}/tally.csv?lang=ru")
    assert "Кыргызстан" in csv.text
    assert "Киргизия" not in csv.text


def test_the_import_reads_the_shown_name_and_the_source_names(demo_db: str) -> None:
    rows = read(
        demo_db, select(m.Country.code, m.Country.alpha_3, m.Country.name_en, m.Country.name_ru, m.Country.name_kk)
    )
    names = CountryNames(tuple(row) for row in rows)
    assert {names.code(text) for text in ("Palestine", "Palestine, State of", "Палестина мемлекеті")} == {"PS"}
    assert {names.code(text) for text in ("Кыргызстан", "Киргизия", "Kyrgyzstan")} == {"KG"}


def _edit(client: TestClient[Litestar], **names: str):  # type: ignore[no-untyped-def]
    form = client.get("/staff/countries/KG")
    version = re.search(r'name="version" value="([^"]+)"', form.text)
    assert version
    token = form_token(client, "/staff/countries/KG")
    fields = {"name_en": "Kyrgyzstan", "name_ru": "Кыргызстан", "name_kk": "Қырғызстан"} | names
    data = {"_csrf_token": token, "version": version.group(1), **fields}
    return client.post("/staff/countries/KG", data=data, follow_redirects=False)


def test_an_admin_renames_a_country_everywhere_and_it_is_audited(as_ada: TestClient[Litestar], demo_db: str) -> None:
    assert "Кыргызстан" in as_ada.get("/staff/countries?q=kgz&lang=ru").text
    assert _edit(as_ada, name_ru="Кыргызская Республика").status_code in (302, 303)
    assert "Кыргызская Республика" in as_ada.get(f"{ELECTION}?lang=ru").text
    assert count_rows(demo_db, m.AuditEntry, m.AuditEntry.entity == "country", m.AuditEntry.entity_id == "KG") == 1


def test_each_name_is_checked_and_a_stale_form_is_refused(as_ada: TestClient[Litestar]) -> None:
    refused = _edit(as_ada, name_en="", name_kk="Қазақстан")
    assert refused.status_code == 400
    assert 'id="f-e-name_en"' in refused.text
    assert "(KZ)" in refused.text
    stale = as_ada.post(
        "/staff/countries/KG",
        data={
            "_csrf_token": form_token(as_ada, "/staff/countries/KG"),
            "version": "old",
            "name_en": "X",
            "name_ru": "X",
            "name_kk": "X",
        },
    )
    assert stale.status_code == 409


def test_only_admins_rename_countries(as_rita: TestClient[Litestar]) -> None:
    assert as_rita.get("/staff/countries", headers={"accept": "text/html"}).status_code == 403
