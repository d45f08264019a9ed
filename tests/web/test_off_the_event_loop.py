"""Work on a file (a list being opened and checked, a photo being decoded) runs in a worker thread: while it
goes on, the worker's event loop answers everyone else. Each test records, where the work is done, whether an
event loop runs in that thread."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from PIL import Image

from tests.conftest import csrf_headers, form_token
from tests.lists import observers, xlsx
from tests.web.test_staff_imports import upload
from tracker.services import photos
from tracker.spreadsheets import Table


def on_an_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def test_a_list_is_opened_checked_and_written_back_off_the_event_loop(
    as_rita: TestClient[Litestar], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every pass over a file's rows goes through Table.rows.
    passes: list[bool] = []
    rows = Table.rows

    def watched(table: Table) -> Iterator[tuple[object, ...]]:
        passes.append(on_an_event_loop())
        return rows(table)

    monkeypatch.setattr(Table, "rows", watched)
    listed = observers(3)
    listed[1] = (*listed[1][:4], "Атлантида", *listed[1][5:])

    review_url = upload(as_rita, xlsx(listed)).headers["location"]
    assert 'data-problems="1"' in as_rita.get(review_url).text
    assert as_rita.get(f"{review_url}/errors.xlsx").status_code == 200
    token = form_token(as_rita, review_url)
    assert as_rita.post(f"{review_url}/commit", data={"_csrf_token": token}).status_code == 400

    # The upload finds the header, the review checks, the download checks and reads again, the commit checks.
    assert len(passes) >= 5
    assert not any(passes)


def test_a_photo_is_decoded_off_the_event_loop(as_rita: TestClient[Litestar], monkeypatch: pytest.MonkeyPatch) -> None:
    decoded: list[bool] = []
    clean_photo = photos.clean_photo

    def watched(content: bytes) -> bytes:
        decoded.append(on_an_event_loop())
        return clean_photo(content)

    monkeypatch.setattr(photos, "clean_photo", watched)
    picture = io.BytesIO()
    Image.new("RGB", (300, 400), (90, 120, 150)).save(picture, format="PNG")
    person = as_rita.get("/api/elections/majilis-2023/accreditations").json()["items"][0]["person_id"]

    response = as_rita.put(f"/api/persons/{person}/photo", content=picture.getvalue(), headers=csrf_headers(as_rita))

    assert response.status_code in (200, 204)
    assert decoded == [False]
