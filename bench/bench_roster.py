"""Building a 100,000-row Excel roster against raw openpyxl in write-only mode writing the same cells by hand.

python -m bench.bench_roster [--rows 100000] [--repetitions 3]
"""

from __future__ import annotations

import argparse
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.page import PageMargins

from bench.timing import HEADER, Measurement, compare
from reports.roster import Count, Labels, RosterRow, Summary, build_roster
from reports.roster_print import Heading, roster_widths, row_height
from reports.roster_summary import write_summary
from tracker.services.rosters import roster_labels

# The workbook's words as the service gives them: from the translation catalogs.
LABELS = {lang: roster_labels(lang) for lang in ("en", "ru", "kk")}

TIME_ZONE = "Asia/Almaty"
LANGUAGE = "ru"
HEADING = Heading(
    election="Выборы депутатов Мажилиса Парламента Республики Казахстан 2023 года",
    as_of="По состоянию на 22 февраля 2023, 21:13 (Asia/Almaty)",
)
OPENED = datetime(2023, 2, 1, 4, 0, tzinfo=UTC)

SUMMARY = Summary(
    headline="97 international observers from 11 countries and three international organizations",
    as_of=datetime(2023, 2, 22, 15, 13, tzinfo=UTC),
    by_sender_kind=(Count("Foreign states", 24), Count("International organizations", 73)),
    by_sender=(Count("OSCE/ODIHR", 40), Count("CIS Interparliamentary Assembly", 30), Count("Palestine", 1)),
    by_role=(Count("Short-term observer", 80), Count("Head of mission", 3), Count("Interpreter", 14)),
    by_nationality=(Count("Germany", 12), Count("Russia", 30), Count("Kyrgyzstan", 5), Count("Palestine", 1)),
)

# (original script, Latin) pairs: Cyrillic, Kazakh Cyrillic, Latin and Arabic originals.
FIRST_NAMES = (
    ("Анна", "Anna"),
    ("Иван", "Ivan"),
    ("Айгерім", "Aigerim"),
    ("Нұрлан", "Nurlan"),
    ("Marta", "Marta"),
    ("Klaus", "Klaus"),
    ("محمد", "Mohammad"),
)
LAST_NAMES = (
    ("Петрова", "Petrova"),
    ("Смирнов", "Smirnov"),
    ("Жұмабаева", "Zhumabayeva"),
    ("Ахметов", "Akhmetov"),
    ("Kowalska", "Kowalska"),
    ("Müller", "Mueller"),
    ("الحسيني", "Al-Husseini"),
)
# (slug, sender, mission, nationality)
MISSIONS = (
    ("odihr-2023", "ОБСЕ/БДИПЧ", "Миссия ОБСЕ/БДИПЧ по наблюдению за выборами", "Германия"),
    ("cis-ipa-2023", "Межпарламентская Ассамблея СНГ", "Миссия МПА СНГ", "Кыргызстан"),
    ("cis-2023", "Миссия наблюдателей от СНГ", "Миссия наблюдателей от СНГ", "Россия"),
    ("sco-2023", "ШОС", "Миссия наблюдателей ШОС", "Китай"),
    ("palestine-2023", "Палестина", "Делегация Государства Палестина", "Палестина"),
    ("poland-2023", "Польша", "Делегация Республики Польша", "Польша"),
)
ROLES = ("Краткосрочный наблюдатель", "Долгосрочный наблюдатель", "Переводчик", "Эксперт", "Глава миссии")


def roster_rows(count: int) -> Iterator[RosterRow]:
    """Rows made one at a time, so that neither side ever holds them all."""
    for number in range(1, count + 1):
        first, last = FIRST_NAMES[number % len(FIRST_NAMES)], LAST_NAMES[number % len(LAST_NAMES)]
        slug, sender, mission, nationality = MISSIONS[number % len(MISSIONS)]
        # One in five still nominated: no badge, decision or time.
        accredited = number % 5 != 0
        document = f"N{number:08d}" if number % 3 else None
        name_latin = f"{first[1]} {last[1]} {number}"
        # A few values a spreadsheet would otherwise take for formulas, from the first thousand rows on.
        if number % 1000 == 7:
            document = f"-{number}"
        if number % 1000 == 42:
            name_latin = f"=cmd|{number}"
        yield RosterRow(
            number=number,
            name_original=f"{first[0]} {last[0]} {number}",
            name_latin=name_latin,
            nationality=nationality,
            sender=sender,
            mission=mission,
            role=ROLES[number % len(ROLES)],
            status="Аккредитован" if accredited else "Выдвинут",
            badge_number=f"B-{number:06d}" if accredited else None,
            decision_ref=f"{12 + number // 5000}/45" if accredited else None,
            # Spread over five weeks, crossing days in both UTC and Astana time.
            accredited_at=OPENED + timedelta(seconds=number * 31) if accredited else None,
            document_number=document,
            mission_slug=slug,
        )


def project(rows: int) -> bytes:
    return build_roster(SUMMARY, roster_rows(rows), labels=LABELS[LANGUAGE], time_zone=TIME_ZONE, heading=HEADING)


def raw_openpyxl(rows: int) -> bytes:
    """The same file as `project`, written by hand with openpyxl in write-only mode.

    Its widths and row heights come from the project's own reckoning (roster_widths, row_height), and its Summary
    sheet (a few dozen cells against 1.2 million) from the project's write_summary: writing the same file needs
    the same numbers, and what is measured is the writing of the rows."""
    labels: Labels = LABELS[LANGUAGE]
    zone = ZoneInfo(TIME_ZONE)
    body, bold = Font(name="Arial", size=9), Font(name="Arial", size=9, bold=True)
    wrapped, top = Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")
    book = Workbook(write_only=True)
    # Every cell without a style of its own: Arial 9, wrapped, at the top.
    book._fonts = IndexedList([body])
    normal = book._named_styles["Normal"]
    normal.font, normal.alignment = body, wrapped
    default = StyleArray()
    default.alignmentId = book._alignments.add(wrapped)
    book._cell_styles = IndexedList([default])

    def text(sheet: WriteOnlyWorksheet, value: str | None) -> object:
        if value is None or not value.startswith(("=", "+", "-", "@")):
            return value
        written = WriteOnlyCell(sheet)
        written.data_type = "s"
        written._value = value
        return written

    def date(sheet: WriteOnlyWorksheet, moment: datetime) -> WriteOnlyCell:
        local = moment.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)
        written = WriteOnlyCell(sheet, value=local)
        written.number_format = "dd.mm.yyyy hh:mm"
        written.alignment = top
        return written

    def page(sheet: WriteOnlyWorksheet, orientation: str, high: int) -> None:
        sheet.page_setup.paperSize = "9"
        sheet.page_setup.orientation = orientation
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, high
        sheet.page_margins = PageMargins(left=0.3, right=0.3, top=0.6, bottom=0.55, header=0.25, footer=0.25)
        sheet.HeaderFooter.scaleWithDoc = False
        portrait = orientation == "portrait"
        parts = (
            (
                sheet.oddHeader.left,
                f"{HEADING.election} · {HEADING.as_of}" if portrait else HEADING.election,
                "Regular",
            ),
            (sheet.oddHeader.right, "" if portrait else HEADING.as_of, "Regular"),
            (sheet.oddFooter.left, labels.personal_data, "Bold"),
            (sheet.oddFooter.right, labels.page_of % {"page": "&P", "pages": "&N"}, "Regular"),
        )
        for part, words, weight in parts:
            if words:
                part.text, part.font, part.size = words, f"Arial,{weight}", 9

    front = book.create_sheet(labels.summary_sheet)
    page(front, "portrait", 1)
    write_summary(front, SUMMARY, labels, zone, TIME_ZONE)

    sheet = book.create_sheet(labels.roster_sheet)
    page(sheet, "landscape", 0)
    widths = roster_widths(labels.columns)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    header_height = row_height(zip(labels.columns, widths, strict=True), bold=True)
    sheet.row_dimensions[1] = {"ht": header_height, "s": "0", "customFormat": "1"}  # type: ignore[assignment]
    headers = []
    for header in labels.columns:
        written = WriteOnlyCell(sheet, value=header)
        written.font, written.alignment = bold, wrapped
        headers.append(written)
    sheet.append(headers)
    written = 0
    for row in roster_rows(rows):
        texts = (None, row.name_original, row.name_latin, row.nationality, row.sender, row.mission, row.role)
        texts += (row.status, row.badge_number, row.decision_ref, None, row.document_number)
        written += 1
        height = row_height(zip(texts, widths, strict=True))
        sheet.row_dimensions[written + 1] = {"ht": height, "s": "0", "customFormat": "1"}  # type: ignore[assignment]
        sheet.append(
            [
                row.number,
                text(sheet, row.name_original),
                text(sheet, row.name_latin),
                text(sheet, row.nationality),
                text(sheet, row.sender),
                text(sheet, row.mission),
                text(sheet, row.role),
                text(sheet, row.status),
                text(sheet, row.badge_number),
                text(sheet, row.decision_ref),
                None if row.accredited_at is None else date(sheet, row.accredited_at),
                text(sheet, row.document_number),
            ]
        )
        del sheet.row_dimensions[written + 1]
    sheet.auto_filter.ref = f"A1:L{written + 1}"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheets_and_styles(content: bytes) -> dict[str, bytes]:
    """The parts that hold the cells, set-up and styles: the rest only differs by the time of saving."""
    with zipfile.ZipFile(BytesIO(content)) as archive:
        return {
            name: archive.read(name)
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") or name in ("xl/styles.xml", "xl/workbook.xml")
        }


def traced_peak_mb(build: Callable[[], object]) -> float:
    tracemalloc.start()
    build()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return peak


def measure(rows: int, repetitions: int) -> tuple[Measurement, float]:
    # An honest baseline writes the very same file: checked on a sample that has risky values in it.
    sample = min(rows, 1_000)
    if sheets_and_styles(project(sample)) != sheets_and_styles(raw_openpyxl(sample)):
        raise SystemExit("the raw baseline no longer writes the same workbook as build_roster")
    project_seconds, baseline_seconds, peak = compare(
        lambda: project(rows), lambda: raw_openpyxl(rows), repetitions=repetitions
    )
    measurement = Measurement(
        name=f"Excel roster, {rows:,} rows",
        baseline="raw openpyxl write-only, same cells",
        project_seconds=project_seconds,
        baseline_seconds=baseline_seconds,
        project_peak_mb=peak,
        goal="≤ 1.25×",
    )
    return measurement, traced_peak_mb(lambda: raw_openpyxl(rows))


def main(argv: list[str] | None = None) -> Measurement:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repetitions", type=int, default=3)
    arguments = parser.parse_args(argv)
    result, baseline_peak = measure(arguments.rows, arguments.repetitions)
    print(HEADER)
    print(result.line())
    print(f"raw baseline peak memory: {baseline_peak:,.1f} MB")
    return result


if __name__ == "__main__":
    main()
