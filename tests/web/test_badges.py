"""Accreditation cards and their public check: the QR code scanned from the PDF, the check code read from it, and
every answer /verify gives; a number without its card's signature or code tells nothing about who holds it."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import count_rows, csrf_headers, read
from tests.unit.test_bulletin import all_text, page_texts, scanned_qr_codes
from tests.web.api_helpers import new_person
from tracker import labels
from tracker import models as m
from tracker.app import create_app
from tracker.services.badges import BadgeService, check_code, signature
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


def code_of(badge: str, election: str = SLUG) -> str:
    return check_code(Settings().secret_key, election, badge)


def main_part(response: Any) -> str:
    """What the page says between its header and footer."""
    return str(response.text.split("<main>", 1)[1].split("</main>", 1)[0])


# Typed as it is printed, but not the card's: only eight of its characters are ever right.
WRONG_CODE = "K7QM-3XWP"


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


def test_the_check_code_printed_on_each_card_opens_its_verdict(
    as_ada: TestClient[Litestar], client: TestClient[Litestar], observers: list[dict[str, Any]]
) -> None:
    pdf = cards(as_ada, layout="single", lang="ru").content
    names = {row["badge_number"]: name for row, name in zip(observers, ("Әсел", "Ирина", "Батболд"), strict=True)}

    for page in page_texts(pdf):
        assert "Код проверки" in page
        [badge] = [number for number in names if number in page]
        [printed] = re.findall(r"\b[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}\b", page)
        answer = client.get("/verify", params={"badge": badge, "code": printed})
        assert outcome(answer) == "valid"
        assert names[badge] in answer.text
        assert "Mongolia" in answer.text


def test_a_code_typed_in_lower_case_with_spaces_is_taken(
    client: TestClient[Litestar], observers: list[dict[str, Any]]
) -> None:
    badge = observers[1]["badge_number"]
    typed = " " + code_of(badge).lower().replace("-", " ") + " "

    answer = client.get("/verify", params={"badge": badge.lower(), "code": typed})

    assert outcome(answer) == "valid"
    assert "Ирина Соколова" in answer.text


@pytest.mark.parametrize("code", [None, "", WRONG_CODE, "ü" * 8], ids=["no code", "empty", "wrong", "not ascii"])
def test_a_typed_number_without_its_code_names_nobody(
    client: TestClient[Litestar], observers: list[dict[str, Any]], code: str | None
) -> None:
    badge = observers[0]["badge_number"]

    answer = client.get("/verify", params={"badge": badge, **({} if code is None else {"code": code})})

    assert answer.status_code == 200
    assert outcome(answer) == "not_genuine"
    assert "no card has this number and check code" in answer.text
    for private in ("Әсел", "Asel", "Mongolia", "short-term observer", "Presidential election", "Valid until"):
        assert private not in main_part(answer)


def test_a_real_number_with_a_wrong_code_answers_as_a_number_no_card_has(
    client: TestClient[Litestar], observers: list[dict[str, Any]]
) -> None:
    real, missing = observers[2]["badge_number"], "PN-99999"

    for code in (WRONG_CODE, None):
        params = {} if code is None else {"code": code}
        answers = [client.get("/verify", params={"badge": badge, **params}) for badge in (real, missing)]

        assert answers[0].status_code == answers[1].status_code == 200
        assert answers[0].text.replace(real, "NUMBER") == answers[1].text.replace(missing, "NUMBER")
        for header in ("content-type", "cache-control"):
            assert answers[0].headers[header] == answers[1].headers[header]


def test_two_hundred_numbers_in_a_row_name_nobody(client: TestClient[Litestar], demo_db: str) -> None:
    """The attack of issue 14: badge numbers run in sequence, so an unsigned check walked through them all."""
    people = read(demo_db, select(m.Person.name_original, m.Person.name_latin))
    senders = read(
        demo_db,
        select(m.Country.name_en, m.Organization.acronym_en)
        .select_from(m.Mission)
        .outerjoin(m.Country, m.Country.code == m.Mission.country_code)
        .outerjoin(m.Organization, m.Organization.id == m.Mission.organization_id),
    )
    private = {name for row in people for name in row} | {name for row in senders for name in row if name}
    private |= set(labels.roles().values())
    assert len(people) > 200
    nobody = client.get("/verify", params={"badge": "M23-99999", "code": WRONG_CODE})

    for number in range(1, 201):
        badge = f"M23-{number:05d}"
        for params in ({"badge": badge}, {"badge": badge, "code": WRONG_CODE}):
            answer = client.get("/verify", params=params)
            assert answer.status_code == 200
            assert outcome(answer) == "not_genuine"
            said = main_part(answer)
            assert [name for name in private if name in said] == []
            if "code" in params:
                # The same page as for a number no card has, apart from the number echoed (the form's example is one).
                echoed = re.sub(rf'(?<!placeholder="){badge}', "M23-99999", answer.text)
                assert echoed == nobody.text


@pytest.mark.anyio
async def test_the_same_statements_run_whether_or_not_a_card_has_the_number(demo_session: AsyncSession) -> None:
    """Equal work, so the time an answer takes cannot tell a real number from a made-up one."""
    settings = Settings()
    engine = demo_session.bind.sync_engine  # type: ignore[union-attr]
    run: list[str] = []

    def note(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        run.append(statement)

    async def statements(badge: str, **credentials: str) -> tuple[str, list[str]]:
        run.clear()
        verdict = await BadgeService(demo_session, settings).verify(badge, **credentials)
        await demo_session.flush()
        return verdict.outcome, list(run)

    event.listen(engine, "before_cursor_execute", note)
    try:
        real_wrong = await statements("M23-00001", code=WRONG_CODE)
        missing = await statements("M23-99999", code=WRONG_CODE)
        real_bare = await statements("M23-00002")
        real_forged = await statements("M23-00003", sig="0" * 20)
        real_right = await statements("M23-00004", code=code_of("M23-00004", "majilis-2023"))
    finally:
        event.remove(engine, "before_cursor_execute", note)

    assert [real_wrong[0], missing[0], real_bare[0], real_forged[0]] == [m.CheckOutcome.NOT_GENUINE] * 4
    assert len(missing[1]) == 2  # the number looked up, the check counted
    assert real_wrong[1] == missing[1] == real_bare[1] == real_forged[1]
    # Only a genuine card's record is read beyond that: the right code is the one answer that costs more.
    assert real_right[0] != m.CheckOutcome.NOT_GENUINE
    assert len(real_right[1]) == 3
    assert [real_right[1][0], real_right[1][2]] == missing[1]


def test_every_check_is_counted_without_the_card(
    as_ada: TestClient[Litestar], demo_db: str, observers: list[dict[str, Any]]
) -> None:
    before = count_rows(demo_db, m.BadgeCheck)
    badge = observers[0]["badge_number"]

    as_ada.get("/verify", params={"badge": badge, "code": code_of(badge)})
    as_ada.get("/verify", params={"badge": badge})
    as_ada.get("/verify", params={"badge": "ZZ-404", "code": WRONG_CODE})
    as_ada.get("/verify")  # the empty form checks nothing

    assert count_rows(demo_db, m.BadgeCheck) == before + 3
    assert count_rows(demo_db, m.BadgeCheck, m.BadgeCheck.outcome == m.CheckOutcome.VALID) == 1
    # Which of the two had a real number is not recorded either.
    assert count_rows(demo_db, m.BadgeCheck, m.BadgeCheck.outcome == m.CheckOutcome.NOT_GENUINE) == 2
    assert count_rows(demo_db, m.BadgeCheck, m.BadgeCheck.election_id.is_not(None)) == 1


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
    # The public check never shows it, not even to the holder of the card.
    badge = observers[0]["badge_number"]
    answer = as_ada.get("/verify", params={"badge": badge, "code": code_of(badge)})
    assert "Әсел Құрманғазықызы" in answer.text
    assert "/photo" not in answer.text


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
