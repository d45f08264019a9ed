"""News items: press officers record them, the public reads them, linked to missions and bulletins."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import csrf_headers, form_token, submit
from tests.web.api_helpers import fields_named, new_election


def item(**changes: Any) -> dict[str, Any]:
    return {
        "election": "majilis-2023",
        "title": "Халықаралық байқаушылар саны 97-ге жетті",
        "source": "Demo: Kazakh service",
        "url": "https://example.org/news/97",
        "language": "kk",
        "published_at": "2023-02-22T22:00:00",
        "text": "Бірінші абзац.\nЕкінші абзац.",
        "missions": ["cis-ipa", "odihr"],
    } | changes


def record(client: TestClient[Litestar], **changes: Any) -> Any:
    return client.post("/api/news", json=item(**changes), headers=csrf_headers(client))


def test_a_press_officer_records_a_news_item_the_public_can_read(as_pat: TestClient[Litestar]) -> None:
    response = record(as_pat)

    assert response.status_code == 201, response.text
    body = response.json()
    # Without an offset, the election's time zone (UTC+6 in 2023).
    assert body["published_at"] == "2023-02-22T16:00:00Z"
    assert [mission["slug"] for mission in body["missions"]] == ["cis-ipa", "odihr"]
    public = as_pat.get(f"/api/news/{body['id']}").json()
    assert public["title"] == "Халықаралық байқаушылар саны 97-ге жетті"
    page = as_pat.get(f"/news/{body['id']}")
    assert page.status_code == 200
    assert '<h1 lang="kk">Халықаралық байқаушылар саны 97-ге жетті</h1>' in page.text
    assert "<p>Екінші абзац.</p>" in page.text
    assert "OSCE/ODIHR Election Observation Mission" in page.text


def test_it_is_changed_only_from_the_version_last_read(as_pat: TestClient[Litestar]) -> None:
    created = record(as_pat).json()
    path = f"/api/news/{created['id']}"

    changed = as_pat.put(path, params={"version": 1}, json=item(title="Corrected title"), headers=csrf_headers(as_pat))
    stale = as_pat.put(path, params={"version": 1}, json=item(title="Lost update"), headers=csrf_headers(as_pat))

    assert changed.status_code == 200
    assert changed.json()["version"] == 2
    assert stale.status_code == 409
    assert as_pat.get(path).json()["title"] == "Corrected title"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "example.org/news"}, "url"),
        ({"title": "Title\u202egnp.exe"}, "title"),
        ({"title": "   "}, "title"),
        ({"language": "xx-nowhere"}, "language"),
        ({"missions": ["nobody"]}, "missions"),
        ({"text": "a\x00b"}, "text"),
    ],
)
def test_bad_input_is_named(as_pat: TestClient[Litestar], changes: dict[str, Any], field: str) -> None:
    before = len(as_pat.get("/api/news").json())

    response = record(as_pat, **changes)

    assert response.status_code == 400
    assert fields_named(response) == {field}
    assert len(as_pat.get("/api/news").json()) == before


def test_the_same_item_twice_is_a_conflict(as_pat: TestClient[Litestar]) -> None:
    assert record(as_pat).status_code == 201

    response = record(as_pat)

    assert response.status_code == 409
    assert fields_named(response) == {"title"}


def test_html_in_a_title_is_shown_as_text(as_pat: TestClient[Litestar]) -> None:
    created = record(as_pat, title="<script>alert('x')</script> observers").json()

    page = as_pat.get(f"/news/{created['id']}").text

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; observers" in page


def test_a_registrar_cannot_record_news(as_rita: TestClient[Litestar]) -> None:
    assert record(as_rita).status_code == 403


def test_the_staff_pages_record_and_edit_a_news_item(as_pat: TestClient[Litestar]) -> None:
    page = "/staff/elections/majilis-2023/news/new"
    response = submit(
        as_pat,
        page,
        title="Update of 27 February",
        source="Demo: commission update",
        url="",
        language="en",
        published_at="2023-02-27T18:00",
        text="",
    )
    assert response.status_code in (302, 303), response.text
    created = next(row for row in as_pat.get("/api/news").json() if row["title"] == "Update of 27 February")

    wrong = submit(
        as_pat,
        f"/staff/elections/majilis-2023/news/{created['id']}/edit",
        title="Update of 27 February",
        source="Demo: commission update",
        url="ftp://example.org/x",
        language="en",
        published_at="2023-02-27T18:00",
        version="1",
    )

    assert wrong.status_code == 400
    assert "starting with https://" in wrong.text
    assert as_pat.get(f"/api/news/{created['id']}").json()["url"] is None


def test_another_elections_pages_neither_show_nor_move_a_news_item(as_ada: TestClient[Litestar]) -> None:
    assert as_ada.post("/api/elections", json=new_election(), headers=csrf_headers(as_ada)).status_code == 201
    created = record(as_ada).json()
    other = f"/staff/elections/presidential-2029/news/{created['id']}/edit"

    shown = as_ada.get(other)
    moved = as_ada.post(
        other,
        data={
            "_csrf_token": form_token(as_ada, "/staff/elections/presidential-2029/news/new"),
            "title": "Moved away",
            "source": "Demo: Kazakh service",
            "language": "kk",
            "published_at": "2023-02-22T22:00",
            "version": str(created["version"]),
        },
        follow_redirects=False,
    )

    assert (shown.status_code, moved.status_code) == (404, 404)
    assert "unknown news item" in moved.text
    kept = as_ada.get(f"/api/news/{created['id']}").json()
    assert (kept["election"], kept["title"], kept["version"]) == ("majilis-2023", created["title"], 1)
    assert as_ada.get(f"/staff/elections/majilis-2023/news/{created['id']}/edit").status_code == 200


@pytest.mark.parametrize("election", ["presidential-2029", None])
def test_the_api_neither_moves_a_news_item_to_another_election_nor_loosens_it(
    as_ada: TestClient[Litestar], election: str | None
) -> None:
    assert as_ada.post("/api/elections", json=new_election(), headers=csrf_headers(as_ada)).status_code == 201
    created = record(as_ada, missions=[]).json()

    response = as_ada.put(
        f"/api/news/{created['id']}",
        params={"version": 1},
        json=item(election=election, missions=[], title="Moved away"),
        headers=csrf_headers(as_ada),
    )

    assert response.status_code == 400
    assert fields_named(response) == {"election"}
    assert "stays with it" in response.json()["detail"]
    kept = as_ada.get(f"/api/news/{created['id']}").json()
    assert (kept["election"], kept["title"], kept["version"]) == ("majilis-2023", created["title"], 1)
