"""Accreditation cards and their public check: the QR code scanned from the PDF, and every answer /verify gives."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import count_rows, csrf_headers
from tests.unit.test_bulletin import all_text, scanned_qr_codes
from tests.web.api_helpers import new_person
from tracker import models as m
from tracker.app import create_app
from tracker.services.badges import signature
from tracker.settings import Settings

SLUG = "presidential-now"


def today_election() -> dict[str, Any]:
    """An election whose window is open today and whose voting day is ahead, so cards are valid now."""
    today = dt.datetime.now(dt.UTC).date()
    return {
        "slug": SLUG,
        "name_en": "Presidential election",
        "name_ru": "Выборы Президента",
        "name_kk": "Президент сайлауы",
        "voting_day": (today + dt.timedelta(days=14)).isoformat(),
        "time_zone": "Asia/Almaty",
        "window_opens_at": f"{today - dt.timedelta(days=10)}T00:00:00",
        "window_closes_at": f"{today + dt.timedelta(days=10)}T18:00:00",
    }


def accredit(client: TestClient[Litestar], person: dict[str, Any]) -> dict[str, Any]:
    nominated = client.post(
        f"/api/elections/{SLUG}/accreditations",
        json={"mission": "kz-observers", "role": "short_term_observer", "person": person},
        headers=csrf_headers(client),
    )
    assert nominated.status_code == 201, nominated.text
    body = nominated.json()
    accredited = client.post(
        f"/api/accreditations/{body['id']}/transitions",
        json={"status": "accredited", "version": body["version"], "decision_ref": "CEC-1"},
        headers=csrf_headers(client),
    )
    assert accredited.status_code == 201, accredited.text
    return dict(accredited.json())


def move(client: TestClient[Litestar], accreditation: dict[str, Any], status: str) -> None:
    response = client.post(
        f"/api/accreditations/{accreditation['id']}/transitions",
        json={"status": status, "version": accreditation["version"], "reason": "test"},
        headers=csrf_headers(client),
    )
    assert response.status_code == 201, response.text


@pytest.fixture
def observers(as_ada: TestClient[Litestar]) -> list[dict[str, Any]]:
    """Three observers accredited today in an election still ahead: a Kazakh, a Russian and a Mongolian name."""
    assert as_ada.post("/api/elections", json=today_election(), headers=csrf_headers(as_ada)).status_code == 201
    mission = {"slug": "kz-observers", "name": "Observers of Mongolia", "sender": "country:MN"}
    response = as_ada.post(f"/api/elections/{SLUG}/missions", json=mission, headers=csrf_headers(as_ada))
    assert response.status_code == 201, response.text
    people = [
        new_person("Asel Kurmangazykyzy", name_original="Әсел Құрманғазықызы", document_number="KZ0000001"),
        new_person("Irina Sokolova", name_original="Ирина Соколова", document_number="RU0000001"),
        new_person("Batbold Tserendorj", name_original="Батболд Цэрэндорж", document_number="MN0000001"),
    ]
    return [accredit(as_ada, person) for person in people]


def cards(client: TestClient[Litestar], **params: Any) -> Any:
    return client.get(f"/api/elections/{SLUG}/badges.pdf", params=params)


def outcome(response: Any) -> str:
    found = re.search(r'data-outcome="(\w+)"', response.text)
    assert found, response.text[:500]
    return found.group(1)


def test_each_card_carries_a_signed_link_that_checks_out(
    as_ada: TestClient[Litestar], client: TestClient[Litestar], observers: list[dict[str, Any]]
) -> None:
    response = cards(as_ada)

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    text = " ".join(all_text(response.content).split())
    for name in ("Әсел Құрманғазықызы", "Ирина Соколова", "Батболд Цэрэндорж", "Монғолия / Mongolia"):
        assert name in text
    links = scanned_qr_codes(response.content)
    assert len(links) == 3
    for link in links:
        query = parse_qs(urlsplit(link).query)
        badge, sig = query["badge"][0], query["sig"][0]
        assert sig == signature(Settings().secret_key, SLUG, badge)
        assert badge in {row["badge_number"] for row in observers}
        page = client.get(f"/verify?{urlsplit(link).query}")
        assert outcome(page) == "valid"
        assert "Observers of Mongolia" not in page.text  # the card names the sender, not the mission
        assert "Mongolia" in page.text


def test_the_answer_names_the_card_and_no_other_personal_data(
    as_ada: TestClient[Litestar], observers: list[dict[str, Any]]
) -> None:
    badge = observers[0]["badge_number"]
    page = as_ada.get("/verify", params={"badge": badge, "sig": signature(Settings().secret_key, SLUG, badge)})

    assert "Әсел Құрманғазықызы" in page.text
    assert "Short-term observer" in page.text or "short-term observer" in page.text
    for private in ("KZ0000001", "1980-04-02", "jana@example.org"):
        assert private not in page.text


def test_a_revoked_card_says_since_when(as_ada: TestClient[Litestar], observers: list[dict[str, Any]]) -> None:
    move(as_ada, observers[1], "revoked")
    badge = observers[1]["badge_number"]

    page = as_ada.get("/verify", params={"badge": badge, "sig": signature(Settings().secret_key, SLUG, badge)})

    assert outcome(page) == "revoked"
    assert "Revoked on" in page.text


def test_a_withdrawn_card_is_not_valid(as_ada: TestClient[Litestar], observers: list[dict[str, Any]]) -> None:
    move(as_ada, observers[2], "withdrawn")
    badge = observers[2]["badge_number"]

    page = as_ada.get("/verify", params={"badge": badge, "sig": signature(Settings().secret_key, SLUG, badge)})

    assert outcome(page) == "withdrawn"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda badge, sig: (badge, sig[:-1] + ("0" if sig[-1] != "0" else "1")),
        lambda badge, sig: (badge[:-1] + ("9" if badge[-1] != "9" else "8"), sig),
        lambda badge, sig: ("M99-12345", "0" * 20),
        lambda badge, sig: (badge, "ü" * 20),
        lambda badge, sig: (badge, ""),
    ],
)
def test_a_tampered_or_made_up_card_is_not_genuine(
    as_ada: TestClient[Litestar], observers: list[dict[str, Any]], tamper: Any
) -> None:
    badge = observers[0]["badge_number"]
    badge, sig = tamper(badge, signature(Settings().secret_key, SLUG, badge))

    page = as_ada.get("/verify", params={"badge": badge, "sig": sig})

    assert page.status_code == 200
    assert outcome(page) == "not_genuine"


def test_a_typed_number_is_checked_against_the_record(
    as_ada: TestClient[Litestar], observers: list[dict[str, Any]]
) -> None:
    known = as_ada.get("/verify", params={"badge": observers[0]["badge_number"].lower()})
    unknown = as_ada.get("/verify", params={"badge": "ZZ-404"})

    assert outcome(known) == "valid"
    assert "Checked by its number only" in known.text
    assert outcome(unknown) == "not_found"


def test_every_check_is_counted_without_the_card(
    as_ada: TestClient[Litestar], demo_db: str, observers: list[dict[str, Any]]
) -> None:
    before = count_rows(demo_db, m.BadgeCheck)

    as_ada.get("/verify", params={"badge": observers[0]["badge_number"]})
    as_ada.get("/verify", params={"badge": "ZZ-404"})
    as_ada.get("/verify")  # the empty form checks nothing

    assert count_rows(demo_db, m.BadgeCheck) == before + 2
    assert count_rows(demo_db, m.BadgeCheck, m.BadgeCheck.outcome == m.CheckOutcome.NOT_FOUND) == 1


def test_the_check_is_never_cached(as_ada: TestClient[Litestar], observers: list[dict[str, Any]]) -> None:
    page = as_ada.get("/verify", params={"badge": observers[0]["badge_number"]})

    assert page.headers["cache-control"] == "no-store"
    assert "etag" not in page.headers


def test_checks_are_rate_limited_per_address(demo_db: str) -> None:
    with TestClient(app=create_app(Settings(database_url=demo_db, public_api_per_minute=5))) as client:
        answers = [client.get("/verify", params={"badge": f"ZZ-{n}"}).status_code for n in range(6)]

    assert answers == [200] * 5 + [429]


def test_a_press_officer_cannot_print_cards(as_pat: TestClient[Litestar]) -> None:
    assert cards(as_pat).status_code == 403


@pytest.mark.parametrize(
    ("params", "field"),
    [({"lang": "kk,en,ru"}, "lang"), ({"layout": "poster"}, "layout"), ({"mission": "nobody"}, "mission")],
)
def test_bad_choices_are_named(
    as_ada: TestClient[Litestar], observers: list[dict[str, Any]], params: dict[str, str], field: str
) -> None:
    response = cards(as_ada, **params)

    assert response.status_code in (400, 404)
    body = response.json()
    assert field in (body.get("field"), *(item.get("key") for item in body.get("extra") or []))


def test_one_card_per_page_for_a_card_printer(as_ada: TestClient[Litestar], observers: list[dict[str, Any]]) -> None:
    import io

    from pypdf import PdfReader

    response = cards(as_ada, layout="single", accreditation=[observers[0]["id"], observers[1]["id"]])

    pages = PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) == 2
    assert round(float(pages[0].mediabox.width) / 72 * 25.4) == 135


def test_the_staff_page_sends_the_cards_of_a_mission(
    as_ada: TestClient[Litestar], observers: list[dict[str, Any]]
) -> None:
    form = as_ada.get(f"/staff/elections/{SLUG}/badges")
    assert form.status_code == 200

    response = as_ada.get(
        f"/staff/elections/{SLUG}/badges", params={"mission": "kz-observers", "lang": ["ru"], "download": "1"}
    )

    assert response.headers["content-type"] == "application/pdf"
    assert len(scanned_qr_codes(response.content)) == 3


def picture(fmt: str = "PNG", size: tuple[int, int] = (1200, 1600), exif: bool = False) -> bytes:
    from PIL import Image

    image = Image.new("RGB", size, (190, 120, 90))
    out = io.BytesIO()
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "PII-CAMERA-MAKER"  # Make
        image.save(out, format=fmt, exif=tags)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


def test_a_photo_is_shrunk_stripped_and_printed_on_the_card(
    as_ada: TestClient[Litestar], observers: list[dict[str, Any]]
) -> None:
    from PIL import Image

    person = observers[0]["person_id"]
    response = as_ada.put(
        f"/api/persons/{person}/photo",
        content=picture("JPEG", exif=True),
        headers={**csrf_headers(as_ada), "Content-Type": "image/jpeg"},
    )
    assert response.status_code == 204, response.text

    stored = as_ada.get(f"/api/persons/{person}/photo")
    assert stored.headers["content-type"] == "image/jpeg"
    assert b"PII-CAMERA-MAKER" not in stored.content
    assert Image.open(io.BytesIO(stored.content)).size == (600, 800)
    pdf = cards(as_ada, accreditation=[observers[0]["id"]], layout="single").content
    assert b"/Subtype /Image" in pdf
    # The public check never shows it.
    badge = observers[0]["badge_number"]
    assert "/photo" not in as_ada.get("/verify", params={"badge": badge}).text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"%PDF-1.4 not a picture", "not a readable JPEG or PNG"),
        (picture("GIF", (10, 10)), "JPEG or PNG"),
    ],
)
def test_a_file_that_is_no_photo_is_refused(
    as_ada: TestClient[Litestar], observers: list[dict[str, Any]], content: bytes, message: str
) -> None:
    person = observers[0]["person_id"]

    response = as_ada.put(f"/api/persons/{person}/photo", content=content, headers=csrf_headers(as_ada))

    assert response.status_code == 400
    assert response.json()["field"] == "photo"
    assert message in response.json()["detail"]
    assert as_ada.get(f"/api/persons/{person}/photo").status_code == 404


def test_the_staff_page_uploads_and_removes_a_photo(
    as_ada: TestClient[Litestar], observers: list[dict[str, Any]]
) -> None:
    person = observers[1]["person_id"]
    page = f"/staff/persons/{person}"
    token = re.search(r'name="_csrf_token" value="([^"]+)"', as_ada.get(page).text)
    assert token

    uploaded = as_ada.post(
        f"{page}/photo",
        data={"_csrf_token": token.group(1)},
        files={"photo": ("me.png", picture(), "image/png")},
        follow_redirects=False,
    )
    assert uploaded.status_code in (302, 303), uploaded.text
    assert f'src="/api/persons/{person}/photo"' in as_ada.get(page).text

    removed = as_ada.post(f"{page}/photo", data={"_csrf_token": token.group(1), "remove": "1"}, follow_redirects=False)
    assert removed.status_code in (302, 303)
    assert as_ada.get(f"/api/persons/{person}/photo").status_code == 404
