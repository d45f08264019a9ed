"""A press officer makes, previews and publishes a bulletin on the staff pages."""

from __future__ import annotations

import re

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import csrf_headers, form_token, submit

PAGES = "/staff/elections/majilis-2023/bulletins"


def test_a_press_officer_creates_previews_and_publishes_a_bulletin(as_pat: TestClient[Litestar]) -> None:
    token = form_token(as_pat, PAGES)
    created = as_pat.post(
        PAGES,
        data={"_csrf_token": token, "as_of": "2023-02-09 19:13", "languages": ["en", "kk"], "news_item_ids": ["1"]},
        follow_redirects=False,
    )
    assert created.status_code in (302, 303), created.text
    detail = created.headers["location"]
    page = as_pat.get(detail)
    assert "25 international observers from one country and two international organizations" in page.text
    assert "1 елден және 2 халықаралық ұйымнан 25 халықаралық байқаушы" in page.text
    number = re.search(r"/bulletins/(\d+)$", detail)
    assert number
    preview = as_pat.get(f"/api/bulletins/{number.group(1)}/preview.pdf")
    assert preview.headers["content-type"] == "application/pdf"

    published = submit(as_pat, detail, f"{detail}/publish", version="1")

    assert published.status_code in (302, 303)
    kept = as_pat.get(f"/bulletins/{number.group(1)}.pdf").content
    assert kept.startswith(b"%PDF")
    assert kept != preview.content  # the preview said it was a draft; the kept PDF carries its public number


def test_the_form_names_what_is_wrong(as_pat: TestClient[Litestar]) -> None:
    response = submit(as_pat, PAGES, as_of="the ninth", languages="en")

    assert response.status_code == 400
    assert "is not a date or a date and time" in response.text
    assert 'aria-invalid="true"' in response.text or 'class="error"' in response.text


def test_publishing_from_a_stale_page_is_refused(as_pat: TestClient[Litestar]) -> None:
    created = submit(as_pat, PAGES, as_of="2023-02-13", languages="ru")
    detail = created.headers["location"]
    assert submit(as_pat, detail, f"{detail}/publish", version="1").status_code in (302, 303)

    again = submit(as_pat, f"{PAGES}", f"{detail}/publish", version="1")

    assert again.status_code == 409
    assert "already published" in again.text


def test_a_moment_outside_the_window_and_now_is_refused_under_its_field(as_pat: TestClient[Litestar]) -> None:
    drafts = len(as_pat.get("/api/bulletins/drafts").json())

    response = submit(as_pat, PAGES, as_of="9999-12-31", languages="en")

    assert response.status_code == 400
    assert re.search(r'<div class="error" id="f-e-as_of">9999-12-31T23:59\+05:00 is in the future; ', response.text)
    assert len(as_pat.get("/api/bulletins/drafts").json()) == drafts


@pytest.mark.parametrize(
    "body",
    [{}, {"as_of": "2023-02-13"}, {"languages": "en"}, {"title": "not this form"}, {"json": '{"publish": true}'}],
)
def test_a_body_that_is_not_the_form_makes_no_draft(as_pat: TestClient[Litestar], body: dict[str, str]) -> None:
    drafts = len(as_pat.get("/api/bulletins/drafts").json())
    token = form_token(as_pat, PAGES)

    if "json" in body:
        response = as_pat.post(
            PAGES, content=body["json"], headers=csrf_headers(as_pat) | {"content-type": "application/json"}
        )
    else:
        response = as_pat.post(PAGES, data={"_csrf_token": token, **body}, follow_redirects=False)

    assert response.status_code == 400
    assert "This field is required." in response.text
    assert len(as_pat.get("/api/bulletins/drafts").json()) == drafts
