"""The roster printed: LibreOffice turns it into a PDF, as a registrar's print-out would come out of it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from pypdf import PdfReader

from reports.roster import RosterRow
from tests.conftest import skip_or_fail
from tests.unit.test_roster import LABELS, SUMMARY, build, observer

A4_LANDSCAPE = (842, 595)
A4_PORTRAIT = (595, 842)


def rows() -> list[RosterRow]:
    """Enough rows for three pages, with the longest texts a roster in Russian carries."""
    return [
        observer(
            number,
            name_original=f"Анна-Мария Константинопольская-Петрова {number}",
            name_latin=f"Anna-Mariya Konstantinopolskaya-Petrova {number}",
            nationality="Кыргызская Республика",
            sender="Межпарламентская Ассамблея государств — участников СНГ",
            mission="Миссия наблюдателей Межпарламентской Ассамблеи СНГ",
            role="Краткосрочный наблюдатель",
            status="Аккредитован",
        )
        for number in range(1, 40)
    ]


def printed(tmp_path: Path) -> PdfReader:
    soffice = shutil.which("soffice")
    if soffice is None:
        skip_or_fail("LibreOffice (soffice) is not installed: apt install libreoffice-calc-nogui")
    source = tmp_path / "roster.xlsx"
    source.write_bytes(build(SUMMARY, rows(), labels=LABELS["ru"]))
    # A profile of its own, so that tests running at the same time do not share LibreOffice's lock.
    profile = (tmp_path / "profile").as_uri()
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    subprocess.run([*command, "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=120)
    return PdfReader(tmp_path / "roster.pdf")


def compact(text: str) -> str:
    """Text without spaces and line breaks: a wrapped cell comes out of the PDF in pieces."""
    return re.sub(r"\s+", "", text)


def smallest_text(page: object) -> float:
    sizes: list[float] = []

    def seen(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            sizes.append(size * abs(tm[3]) * abs(cm[3]))

    page.extract_text(visitor_text=seen)  # type: ignore[attr-defined]
    return min(sizes)


def test_libreoffice_prints_the_summary_on_one_a4_page_and_every_roster_column_on_a4_landscape(
    tmp_path: Path,
) -> None:
    labels = LABELS["ru"]
    pdf = printed(tmp_path)
    summary, *roster = pdf.pages

    def size(page: object) -> tuple[int, int]:
        box = page.mediabox  # type: ignore[attr-defined]
        return round(float(box.width)), round(float(box.height))

    assert all(abs(got - want) <= 2 for got, want in zip(size(summary), A4_PORTRAIT, strict=True))
    assert compact(SUMMARY.headline) in compact(summary.extract_text())
    # The Summary's last line is on its one page: the roster's pages follow.
    assert compact(labels.by_nationality) in compact(summary.extract_text())
    assert len(roster) >= 2
    texts = [compact(page.extract_text()) for page in roster]
    for page, text in zip(roster, texts, strict=True):
        assert all(abs(got - want) <= 2 for got, want in zip(size(page), A4_LANDSCAPE, strict=True))
        # The header row heads every page, every column of it.
        assert all(compact(header) in text for header in labels.columns)
        assert compact(labels.personal_data) in text
        # Nothing was squeezed below 8 pt to fit.
        assert smallest_text(page) >= 8 - 0.01
    # Every cell of a row is on the page of its name: no column went to a page of its own, or off the paper.
    for row in (rows()[0], rows()[20], rows()[-1]):
        cells = [row.name_original, row.name_latin, row.nationality, row.sender, row.mission, row.role, row.status]
        cells += [row.badge_number, row.decision_ref, "22.02.202321:13", row.document_number]
        page = next(text for text in texts if compact(row.name_latin) in text)
        assert all(compact(str(value)) in page for value in cells)
