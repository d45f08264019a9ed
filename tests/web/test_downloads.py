"""A download keeps its name in any script, and no name can break the header or disguise the file."""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any
from urllib.parse import unquote

import pytest
from litestar import Litestar, Response, get
from litestar.params import FromQuery
from litestar.testing import TestClient
from openpyxl import load_workbook

from tests.lists import ENGLISH_HEADER, csv_bytes, observers
from tests.web.test_staff_imports import upload
from tracker.web.http.files import file_response


def saved_as(response: Any) -> tuple[str, str]:
    """The name a browser saves the file under (`filename*` first, RFC 6266), and the one an old client
    that knows only `filename` uses."""
    header = response.headers["content-disposition"]
    fallback = re.search(r'filename="([^"]*)"', header)
    extended = re.search(r"filename\*=UTF-8''([^;]*)", header)
    assert fallback
    return (unquote(extended.group(1), errors="strict") if extended else fallback.group(1)), fallback.group(1)


@get("/file", opt={"public": True, "no_session": True}, sync_to_thread=False)
def download(name: FromQuery[str]) -> Response[bytes]:
    return file_response(b"%PDF-", "application/pdf", name)


@pytest.fixture(scope="module")
def plain() -> Any:
    with TestClient(app=Litestar([download])) as client:
        yield client


@pytest.mark.parametrize(
    ("name", "saved", "fallback"),
    [
        ("majilis-2023-roster-20230222-2113-en.xlsx", "majilis-2023-roster-20230222-2113-en.xlsx", None),
        ("Список наблюдателей.csv", "Список наблюдателей.csv", "download.csv"),
        ("Список наблюдателей-checked.xlsx", "Список наблюдателей-checked.xlsx", "checked.xlsx"),
        ("Байқаушылар тізімі — ЕҚЫҰ.xlsx", "Байқаушылар тізімі — ЕҚЫҰ.xlsx", "download.xlsx"),
        ("Liste für Zürich.pdf", "Liste für Zürich.pdf", "Liste fur Zurich.pdf"),
        ('say "hi".pdf', 'say "hi".pdf', "say hi.pdf"),
        ("back\\slash.pdf", "back_slash.pdf", None),
        ("../../etc/passwd", "_.._etc_passwd", "etc_passwd"),
        ("line\r\nSet-Cookie: x=1.pdf", "line Set-Cookie: x=1.pdf", "line Set-Cookie_x_1.pdf"),
        ("tab\tand\x00nul\x1b.pdf", "tab andnul.pdf", None),
        ("invoice\u202egpj.exe", "invoicegpj.exe", None),
        ("100% done;.pdf", "100% done;.pdf", "100_done.pdf"),
    ],
)
def test_the_name_is_kept_safely(plain: Any, name: str, saved: str, fallback: str | None) -> None:
    response = plain.get("/file", params={"name": name})

    assert response.status_code == 200
    header = response.headers["content-disposition"]
    assert header.isascii()
    assert header.startswith("attachment; ")
    assert not any(ch in header for ch in "\r\n\x00")
    assert saved_as(response) == (saved, fallback or saved)
    assert ("filename*=" in header) == (fallback is not None)


def test_a_very_long_name_keeps_its_extension(plain: Any) -> None:
    response = plain.get("/file", params={"name": "Наблюдатели " * 40 + ".xlsx"})

    saved, fallback = saved_as(response)
    assert saved.startswith("Наблюдатели Наблюдатели")
    assert saved.endswith(".xlsx")
    assert len(saved) <= 150
    assert fallback == "download.xlsx"


def test_the_errors_of_a_list_named_in_cyrillic_download_under_its_name(as_rita: TestClient[Litestar]) -> None:
    rows = observers(2)
    rows[1] = (*rows[1][:4], "Атлантида", *rows[1][5:])
    uploaded = upload(as_rita, csv_bytes(rows, header=ENGLISH_HEADER), "Список наблюдателей.csv")
    assert uploaded.status_code in (302, 303), uploaded.text

    report = as_rita.get(f"{uploaded.headers['location']}/errors.xlsx")

    assert report.status_code == 200
    assert saved_as(report) == ("Список наблюдателей-checked.xlsx", "checked.xlsx")
    sheet = load_workbook(BytesIO(report.content)).active
    assert sheet is not None
    assert "unknown country 'Атлантида'" in str([cell.value for cell in sheet[3]])
