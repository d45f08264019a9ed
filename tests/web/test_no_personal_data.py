"""No personal data on any public route: pages, JSON, CSV and PDFs, walked from the app's own routes.

Observers are entered with unmistakable markers in every personal field, accredited, and counted in a
published bulletin; then every public GET route is fetched, in every language and at several
instants, and none of the markers may appear. A public route added later is walked too.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from pypdf import PdfReader

from tests.conftest import PAT, RITA, csrf_headers, sign_in
from tests.web.api_helpers import new_person, nominate, transition
from tracker.app import create_app
from tracker.settings import Settings
from tracker.web.auth import NO_SESSION

# The birth date as every page may write it: ISO, day first, and spelled out in each language.
BIRTH_DATE = ("1911-11-11", "11.11.1911", "11 November 1911", "11 ноября 1911", "11 қараша 1911")
MARKERS = ("Zzpii", "Ззпии", "ЗЗПИИ", "PIIMARK77", *BIRTH_DATE, "pii.marker", "7001117731")
LANGUAGES = ("en", "ru", "kk")
TALLY = "/api/elections/majilis-2023/tally"
INSTANTS = (None, "2023-03-10", "2023-03-12T12:00")


def people() -> Iterator[dict[str, Any]]:
    for n in range(3):
        yield new_person(
            f"Zzpii Markerova {n}",
            name_original=f"Ззпии Маркерова {n}",
            document_number=f"PIIMARK77{n}",
            birth_date="1911-11-11",
            email=f"pii.marker{n}@example.org",
            phone=f"+7 700 111 773{n}",
        )


@pytest.fixture
def marked_site(demo_db: str) -> Iterator[TestClient[Litestar]]:
    """The demo, plus three marked observers accredited and counted in a published bulletin."""
    with TestClient(app=create_app(Settings(database_url=demo_db))) as staff:
        before = staff.get(TALLY, params={"as_of": "2023-03-12T12:00"}).json()["observers"]
        sign_in(staff, RITA)
        for person in people():
            created = nominate(staff, person=person, effective_at="2023-03-10T10:00:00+06:00")
            assert created.status_code == 201, created.text
            accredited = transition(staff, created.json(), "accredited", decision_ref="CEC-PII-1")
            assert accredited.status_code == 201, accredited.text
        staff.delete("/api/session", headers=csrf_headers(staff))
        sign_in(staff, PAT)
        bulletin = staff.post(
            "/api/bulletins",
            json={"election": "majilis-2023", "as_of": "2023-03-12T12:00", "publish": True},
            headers=csrf_headers(staff),
        )
        assert bulletin.status_code == 201, bulletin.text
    with TestClient(app=create_app(Settings(database_url=demo_db))) as public:
        # The marked observers are counted: the data is there, only the people are not.
        assert public.get(TALLY, params={"as_of": "2023-03-12T12:00"}).json()["observers"] == before + 3
        yield public


def public_paths(app: Litestar, client: TestClient[Litestar]) -> list[str]:
    values: dict[str, list[str]] = {
        # The marked observers are the 2023 election's; the fictional election's pages are the same pages.
        "slug": ["majilis-2023"],
        "name": [f"{b['id']}{suffix}" for b in client.get("/api/bulletins").json() for suffix in ("", ".pdf")],
        "bulletin_id": [str(b["id"]) for b in client.get("/api/bulletins").json()],
        "item_id": [str(item["id"]) for item in client.get("/api/news").json()],
        "file_path": ["site.css"],
    }
    paths = ["/schema/openapi.json"]
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if "GET" not in handler.http_methods or not handler.opt.get(NO_SESSION):
                continue
            template = re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)
            expanded = [template]
            for name in re.findall(r"\{(\w+)\}", template):
                expanded = [path.replace(f"{{{name}}}", value) for path in expanded for value in values[name]]
            paths.extend(expanded)
    return sorted(set(paths))


def readable(response: Any) -> str:
    if response.headers.get("content-type", "").startswith("application/pdf"):
        reader = PdfReader(io.BytesIO(response.content))
        return "\n".join(page.extract_text() for page in reader.pages) + response.content.decode("latin-1")
    return response.content.decode("utf-8", errors="replace")


def test_no_public_route_shows_any_personal_data(marked_site: TestClient[Litestar]) -> None:
    app = marked_site.app
    assert isinstance(app, Litestar)
    paths = public_paths(app, marked_site)
    assert any(path.endswith(".pdf") for path in paths)
    assert any(path.startswith("/news/") for path in paths)

    found = []
    fetched = 0
    for path in paths:
        for lang in LANGUAGES:
            for as_of in INSTANTS:
                params = {"lang": lang} | ({"as_of": as_of} if as_of else {})
                response = marked_site.get(path, params=params)
                assert response.status_code < 500, (path, params)
                fetched += 1
                text = readable(response)
                found.extend((path, lang, marker) for marker in MARKERS if marker in text)

    assert fetched > 100
    assert found == []
