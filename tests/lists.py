"""Mission lists built by the tests themselves, in the layouts missions really send."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from io import BytesIO
from typing import Any

from openpyxl import Workbook

RUSSIAN_HEADER = ("№", "ФИО", "ФИО латиницей", "Дата рождения", "Гражданство", "№ паспорта", "Должность")
ENGLISH_HEADER = ("No.", "Full name", "Name (Latin)", "Date of birth", "Nationality", "Passport No.", "Role")
KAZAKH_HEADER = ("№", "Аты-жөні", "Латын әрпімен аты-жөні", "Туған күні", "Азаматтығы", "Төлқұжат нөмірі", "Лауазымы")


def observers(count: int, *, start: int = 1, nationality: str = "Кыргызстан") -> list[tuple[Any, ...]]:
    """Made-up people: names, birth dates as text, documents unique per number."""
    return [
        (
            n,
            f"Азамат Тестов {n}",
            f"Azamat Testov {n}",
            f"{1 + n % 28:02d}.{1 + n % 12:02d}.{1960 + n % 40}",
            nationality,
            f"ID{n:07d}",
            "наблюдатель",
        )
        for n in range(start, start + count)
    ]


def xlsx(
    rows: Sequence[Sequence[Any]],
    *,
    header: Sequence[str] = RUSSIAN_HEADER,
    titles: Sequence[str] = ("Список наблюдателей", ""),
) -> bytes:
    """A workbook as missions send them: a title or two, the header, the rows."""
    book = Workbook()
    sheet = book.active
    for title in titles:
        sheet.append([title] if title else [])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Sequence[Any]], *, header: Sequence[str] = ENGLISH_HEADER, delimiter: str = ";") -> bytes:
    lines = [delimiter.join(header)] + [delimiter.join("" if v is None else str(v) for v in row) for row in rows]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def with_dates(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The same rows with real date cells instead of text dates."""
    return [(*row[:3], dt.datetime.strptime(row[3], "%d.%m.%Y"), *row[4:]) for row in rows]
