"""Bulletins through the API and the public site: frozen, published once, linked to the news that quotes them."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from pypdf import PdfReader
from sqlalchemy import update

from tests.conftest import RITA, csrf_headers, sign_in, write
from tests.published import PUBLISHED_2023
from tests.unit.test_bulletin import all_text, link_targets, scanned_qr_codes
from tests.web.api_helpers import fields_named, transition
from tracker import models as m
from tracker.app import create_app
from tracker.settings import Settings

KAZINFORM = "2023-02-22T21:13"
WINDOW_OPENS = "2023-01-19T00:00+06:00"
HEADLINES = {
    "en": "97 international observers from 11 countries and three international organizations",
    "ru": "97 международных наблюдателей из 11 стран и 3 международных организаций",
    "kk": "11 елден және 3 халықаралық ұйымнан 97 халықаралық байқаушы",
}


@pytest.fixture
def registrar(demo_db: str) -> Iterator[TestClient[Litestar]]:
    """Rita in her own browser, beside the press officer's: another app on the same database, as another
    worker would be (a test client runs its own event loop, and asyncpg connections belong to one)."""
    with TestClient(app=create_app(Settings(database_url=demo_db))) as other:
        sign_in(other, RITA)
        yield other


def kazinform_item(client: TestClient[Litestar]) -> dict[str, Any]:
    return next(item for item in client.get("/api/news").json() if item["source"] == "Kazinform")


def create(client: TestClient[Litestar], **changes: Any) -> Any:
    body = {"election": "majilis-2023", "as_of": KAZINFORM} | changes
    return client.post("/api/bulletins", json=body, headers=csrf_headers(client))


def publish(client: TestClient[Litestar], bulletin: dict[str, Any]) -> Any:
    return client.post(
        f"/api/bulletins/{bulletin['id']}/publish",
        params={"version": bulletin["version"]},
        headers=csrf_headers(client),
    )


@pytest.fixture
def published(as_pat: TestClient[Litestar]) -> dict[str, Any]:
    """The 22 February figures, published in three languages with the Kazinform item that quoted them."""
    draft = create(as_pat, news_item_ids=[kazinform_item(as_pat)["id"]])
    assert draft.status_code == 201, draft.text
    response = publish(as_pat, draft.json())
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_a_press_officer_freezes_the_kazinform_figures_into_a_draft(as_pat: TestClient[Litestar]) -> None:
    response = create(as_pat)

    assert response.status_code == 201
    bulletin = response.json()
    assert bulletin["status"] == "draft"
    assert bulletin["headlines"] == HEADLINES
    assert (bulletin["observers"], bulletin["countries"], bulletin["organizations"]) == (97, 11, 3)
    assert bulletin["as_of"] == "2023-02-22T21:13:00+06:00"
    assert len(bulletin["fingerprint"]) == 64
    assert bulletin["pdf_url"] is None


def test_a_draft_is_not_public(as_pat: TestClient[Litestar]) -> None:
    bulletin = create(as_pat).json()

    assert as_pat.get(f"/api/bulletins/{bulletin['id']}").status_code == 404
    assert as_pat.get(f"/bulletins/{bulletin['id']}.pdf").status_code == 404
    assert bulletin["id"] not in [row["id"] for row in as_pat.get("/api/bulletins").json()]
    assert bulletin["id"] in [row["id"] for row in as_pat.get("/api/bulletins/drafts").json()]


def test_the_preview_prints_the_headline_in_three_languages(as_pat: TestClient[Litestar]) -> None:
    bulletin = create(as_pat).json()

    response = as_pat.get(f"/api/bulletins/{bulletin['id']}/preview.pdf")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    text = all_text(response.content)
    for line in HEADLINES.values():
        assert line in " ".join(text.split())
    assert "Қазақстан" in text or "ұйымнан" in text
    assert "\ufffd" not in text


def test_the_published_pdf_is_kept_and_downloads_byte_for_byte(
    client: TestClient[Litestar], published: dict[str, Any]
) -> None:
    first = client.get(published["pdf_url"])
    second = client.get(published["pdf_url"])

    assert first.status_code == 200
    assert first.content == second.content
    assert hashlib.sha256(first.content).hexdigest() == published["pdf_sha256"]
    assert "immutable" in first.headers["cache-control"]
    again = client.get(published["pdf_url"], headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_the_published_pdf_prints_what_the_press_officer_previewed_under_its_number(
    as_pat: TestClient[Litestar],
) -> None:
    draft = create(as_pat).json()
    preview = as_pat.get(f"/api/bulletins/{draft['id']}/preview.pdf").content
    assert as_pat.get(f"/api/bulletins/{draft['id']}/preview.pdf").content == preview

    published = publish(as_pat, draft).json()

    def lines(content: bytes) -> list[str]:
        pages = PdfReader(io.BytesIO(content)).pages
        return [line.strip() for page in pages for line in page.extract_text().splitlines()]

    previewed, kept = lines(preview), lines(as_pat.get(published["pdf_url"]).content)
    assert "Draft bulletin / Проект бюллетеня / Бюллетень жобасы" in previewed
    assert (
        f"Bulletin No. {published['number']} / Бюллетень № {published['number']} / № {published['number']} бюллетень"
        in kept
    )
    # Only the reference, the date of issue and the draft's marks differ.
    differ = (
        "Bulletin No.",
        "Draft bulletin",
        "Date of issue",
        "Дата выпуска",
        "Шығарылған күні",
        "DRAFT",
        "ЧЕРНОВИК",
        "ЖОБА",
    )
    assert [line for line in kept if not any(word in line for word in differ)] == [
        line for line in previewed if not any(word in line for word in differ)
    ]


def test_public_numbers_follow_publication_order_without_gaps(as_pat: TestClient[Litestar]) -> None:
    before = max(row["number"] for row in as_pat.get("/api/bulletins").json())
    first, deleted, second = create(as_pat).json(), create(as_pat).json(), create(as_pat).json()
    as_pat.delete(
        f"/api/bulletins/{deleted['id']}", params={"version": deleted["version"]}, headers=csrf_headers(as_pat)
    )

    numbers = [publish(as_pat, second).json()["number"], publish(as_pat, first).json()["number"]]

    assert numbers == [before + 1, before + 2]
    assert first["number"] is None


def test_the_pdf_links_the_news_item_and_its_qr_code_opens_the_tally_as_of_that_moment(
    client: TestClient[Litestar], published: dict[str, Any]
) -> None:
    content = client.get(published["pdf_url"]).content
    page = "http://127.0.0.1:8000/elections/majilis-2023?as_of=2023-02-22T21%3A13"

    assert scanned_qr_codes(content) == [page]
    assert "Kazakh CEC Chair Abdirov" in all_text(content)
    # The page the QR code opens shows the same figures.
    assert HEADLINES["en"] in client.get(page.removeprefix("http://127.0.0.1:8000")).text
    # The seeded item has no address, so its title is printed without a link; one with an address is linked.
    assert published["news"][0]["url"] is None
    article = "https://example.org/news/97-observers"
    item = client.post(
        "/api/news",
        json={
            "election": "majilis-2023",
            "title": "97 observers accredited",
            "source": "Demo: wire service",
            "url": article,
            "language": "en",
            "published_at": "2023-02-22T22:00:00",
        },
        headers=csrf_headers(client),
    )
    assert item.status_code == 201, item.text
    linked = create(client, news_item_ids=[item.json()["id"]], publish=True).json()
    assert article in link_targets(client.get(linked["pdf_url"]).content)
    assert article not in link_targets(content)


def test_a_published_bulletin_never_changes(
    as_pat: TestClient[Litestar], registrar: TestClient[Litestar], published: dict[str, Any]
) -> None:
    assert publish(as_pat, published).status_code == 409
    response = as_pat.delete(
        f"/api/bulletins/{published['id']}", params={"version": published["version"]}, headers=csrf_headers(as_pat)
    )
    assert response.status_code == 409
    before = as_pat.get(published["pdf_url"]).content

    # A registrar then withdraws, effective before the bulletin's moment, someone it counted.
    accreditation = next(
        row
        for row in registrar.get(
            "/api/elections/majilis-2023/accreditations", params={"status": "accredited", "mission": "odihr"}
        ).json()["items"]
        if row["status_since"] < "2023-02-22"
    )
    moved = transition(registrar, accreditation, "withdrawn", effective_at="2023-02-22T10:00:00+06:00", reason="test")
    assert moved.status_code == 201, moved.text

    assert as_pat.get(published["pdf_url"]).content == before
    assert as_pat.get(f"/api/bulletins/{published['id']}").json()["observers"] == 97
    recount = create(as_pat).json()
    assert recount["observers"] == 96
    assert recount["fingerprint"] != published["fingerprint"]


def test_a_correction_points_to_the_bulletin_it_corrects(as_pat: TestClient[Litestar]) -> None:
    create(as_pat)  # a draft left as it is: the published bulletin's number is no longer its id
    published = publish(as_pat, create(as_pat).json()).json()
    assert published["number"] != published["id"]

    correction = create(as_pat, corrects_id=published["id"], languages=["ru"], publish=True)

    assert correction.status_code == 201
    body = correction.json()
    assert body["corrects"] == published["id"]
    assert body["status"] == "published"
    # The bulletin it corrects is named by its public number.
    assert f"Исправляет бюллетень {published['number']}" in all_text(as_pat.get(body["pdf_url"]).content)
    original = as_pat.get(f"/bulletins/{published['id']}")
    assert f'href="/bulletins/{body["id"]}"' in original.text


def test_a_draft_cannot_be_corrected(as_pat: TestClient[Litestar]) -> None:
    draft = create(as_pat).json()

    response = create(as_pat, corrects_id=draft["id"])

    assert response.status_code == 400
    assert fields_named(response) == {"corrects_id"}


def test_the_bulletin_and_the_news_item_link_each_other(
    client: TestClient[Litestar], published: dict[str, Any]
) -> None:
    item = published["news"][0]

    page = client.get(f"/bulletins/{published['id']}")
    news_page = client.get(f"/news/{item['id']}")

    assert page.status_code == 200
    assert f'href="/news/{item["id"]}"' in page.text
    for lang, line in HEADLINES.items():
        assert f'<p class="headline" lang="{lang}" data-headline="{lang}">{line}</p>' in page.text
    assert news_page.status_code == 200
    assert f'href="/bulletins/{published["id"]}"' in news_page.text
    assert published["id"] in client.get(f"/api/news/{item['id']}").json()["bulletins"]


def test_a_draft_can_be_deleted(as_pat: TestClient[Litestar]) -> None:
    draft = create(as_pat).json()

    response = as_pat.delete(
        f"/api/bulletins/{draft['id']}", params={"version": draft["version"]}, headers=csrf_headers(as_pat)
    )

    assert response.status_code == 204
    assert draft["id"] not in [row["id"] for row in as_pat.get("/api/bulletins/drafts").json()]


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"languages": ["de"]}, 400, "languages"),
        ({"languages": ["en", "en"]}, 400, "languages"),
        ({"languages": []}, 400, "languages"),
        ({"news_item_ids": [999999]}, 400, "news_item_ids"),
        ({"as_of": "22/02/2023"}, 400, "as_of"),
        ({"election": "nowhere-2099"}, 404, "election"),
        ({"colour": "red"}, 400, "data"),
    ],
)
def test_bad_input_is_named_and_nothing_is_stored(
    as_pat: TestClient[Litestar], changes: dict[str, Any], status: int, field: str
) -> None:
    drafts = len(as_pat.get("/api/bulletins/drafts").json())

    response = create(as_pat, **changes)

    assert response.status_code == status
    assert field in fields_named(response)
    assert len(as_pat.get("/api/bulletins/drafts").json()) == drafts


def test_a_registrar_cannot_make_bulletins(as_rita: TestClient[Litestar]) -> None:
    assert create(as_rita).status_code == 403


def test_no_observer_is_named_in_the_bulletin(
    client: TestClient[Litestar], registrar: TestClient[Litestar], published: dict[str, Any]
) -> None:
    people = registrar.get("/api/elections/majilis-2023/accreditations", params={"limit": 500}).json()["items"]
    text = all_text(client.get(published["pdf_url"]).content) + client.get(f"/bulletins/{published['id']}").text

    named = [row["name_latin"] for row in people if row["name_latin"] in text or row["name_original"] in text]
    assert len(people) > 100
    assert named == []


def test_the_demo_publishes_a_bulletin_for_each_published_figure(client: TestClient[Litestar]) -> None:
    bulletins = client.get("/api/bulletins", params={"election": "majilis-2023"}).json()

    figures = sorted((row["as_of"], row["observers"], row["countries"], row["organizations"]) for row in bulletins)
    assert [figure[1:] for figure in figures] == [row[1:] for row in PUBLISHED_2023]
    assert all(len(row["news"]) == 1 for row in bulletins)
    assert figures[3][0] == "2023-02-22T21:13:00+06:00"


@pytest.mark.parametrize(
    ("as_of", "why"),
    [
        ("0001-01-01", "0001-01-01T23:59+05:07:48 is before the accreditation window opened"),
        ("2023-01-18T23:59", "2023-01-18T23:59+06:00 is before the accreditation window opened"),
        ("9999-12-31", "9999-12-31T23:59+05:00 is in the future"),
        ("2099-03-01T12:00+05:00", "2099-03-01T12:00+05:00 is in the future"),
    ],
)
def test_a_bulletin_is_about_a_moment_between_the_window_opening_and_now(
    as_pat: TestClient[Litestar], as_of: str, why: str
) -> None:
    drafts = len(as_pat.get("/api/bulletins/drafts").json())

    response = create(as_pat, as_of=as_of)

    assert response.status_code == 400
    assert response.json()["field"] == "as_of"
    assert (
        response.json()["detail"] == f"as_of: {why}; a bulletin's instant lies between 2023-01-19T00:00+06:00 and now"
    )
    assert len(as_pat.get("/api/bulletins/drafts").json()) == drafts


def test_the_moment_the_window_opens_is_a_bulletins_earliest(as_pat: TestClient[Litestar]) -> None:
    response = create(as_pat, as_of=WINDOW_OPENS)

    assert response.status_code == 201, response.text
    assert response.json()["observers"] == 0


def test_a_draft_made_outside_the_rule_is_neither_previewed_nor_published(
    as_pat: TestClient[Litestar], demo_db: str
) -> None:
    draft = create(as_pat).json()
    write(
        demo_db,
        update(m.Bulletin).where(m.Bulletin.id == draft["id"]).values(as_of=dt.datetime(1, 1, 2, tzinfo=dt.UTC)),
    )

    preview = as_pat.get(f"/api/bulletins/{draft['id']}/preview.pdf")
    published = publish(as_pat, draft)

    assert (preview.status_code, published.status_code) == (400, 400)
    assert fields_named(preview) == fields_named(published) == {"as_of"}
    assert "is before the accreditation window opened" in published.json()["detail"]
    assert as_pat.get(f"/api/bulletins/{draft['id']}").status_code == 404
