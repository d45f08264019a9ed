"""The roster as a printer gets it, read with openpyxl: paper, orientation, titles, header and footer, one font."""

from __future__ import annotations

import io
from dataclasses import replace
from xml.etree import ElementTree

import openpyxl
import pytest

from reports.roster_print import FONT_NAME, PRINT_WIDTH, roster_widths
from tests.unit.test_roster import LABELS, SUMMARY, build, observer, open_roster

SPREADSHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def long_observer(number: int) -> object:
    return observer(
        number,
        name_original="Анна-Мария Константинопольская-Петрова",
        sender="Межпарламентская Ассамблея государств — участников СНГ",
        mission="Миссия наблюдателей Межпарламентской Ассамблеи СНГ",
    )


@pytest.mark.parametrize(
    ("lang", "marking", "page"),
    [
        ("en", "Personal data — for commission use only", "Page &P of &N"),
        ("ru", "Персональные данные — только для работы комиссии", "Страница &P из &N"),
        ("kk", "Дербес деректер — тек комиссияның жұмысы үшін", "&N беттің &P-беті"),
    ],
)
def test_every_sheet_prints_on_a4_with_the_header_and_footer_in_the_roster_s_language(
    lang: str, marking: str, page: str
) -> None:
    labels = LABELS[lang]
    rows = [observer(1, mission_slug="odihr-2023"), observer(2, mission_slug="cis-2023")]
    book = open_roster(build(SUMMARY, rows, labels=labels, per_mission=True))

    assert len(book.worksheets) == 4
    for sheet in book.worksheets:
        # openpyxl names the size as text and reads it back as a number.
        assert sheet.page_setup.paperSize == int(sheet.PAPERSIZE_A4)
        # An & in the election's name is doubled: alone it would start a header code. Across a portrait page
        # (the Summary) the election and the instant share the left part, where side by side they would collide.
        header = sheet.oddHeader.left.text, sheet.oddHeader.right.text
        if sheet.page_setup.orientation == "portrait":
            assert header == ("Majilis && maslikhat elections 2023 · As of 22 February 2023, 21:13 (Asia/Almaty)", None)
        else:
            assert header == ("Majilis && maslikhat elections 2023", "As of 22 February 2023, 21:13 (Asia/Almaty)")
        assert (sheet.oddFooter.left.text, sheet.oddFooter.right.text) == (marking, page)
        parts = (sheet.oddHeader.left, sheet.oddFooter.left, sheet.oddFooter.right)
        assert {part.font.split(",")[0] for part in parts} == {FONT_NAME}
        assert min(part.size for part in parts) >= 8
    summary, *rosters = book.worksheets
    assert summary.page_setup.orientation == "portrait"
    assert summary.sheet_properties.pageSetUpPr.fitToPage is True
    assert (summary.page_setup.fitToWidth, summary.page_setup.fitToHeight) == (1, 1)
    for sheet in rosters:
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.print_title_rows == "$1:$1"


def test_one_font_throughout_and_never_below_8_points() -> None:
    content = build(SUMMARY, [long_observer(1), observer(2)], labels=LABELS["kk"])
    book = open_roster(content)

    fonts = {(c.font.name, c.font.sz) for sheet in book.worksheets for row in sheet.iter_rows() for c in row}
    assert {name for name, _ in fonts} == {FONT_NAME}
    assert min(size for _, size in fonts) >= 8
    # Empty cells and the column width's unit take the workbook's default font: the same one.
    with openpyxl.reader.excel.ZipFile(io.BytesIO(content)) as archive:
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    names = {font.find(f"{SPREADSHEET_NS}name").get("val") for font in styles.iter(f"{SPREADSHEET_NS}font")}
    assert names == {FONT_NAME}


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_columns_fit_one_page_width_in_every_language(lang: str) -> None:
    assert sum(roster_widths(LABELS[lang].columns)) <= PRINT_WIDTH


def test_long_texts_wrap_and_their_row_is_as_tall_as_its_lines() -> None:
    labels = LABELS["ru"]
    short = observer(2, name_original="Анна", name_latin="Anna", nationality="Чехия", sender="Чехия", mission="Чехия")
    short = replace(short, role="Эксперт", status="Аккредитован")
    content = build(SUMMARY, [long_observer(1), short], labels=labels)
    sheet = open_roster(content)[labels.roster_sheet]

    assert all(cell.alignment.wrap_text for cell in sheet[2][1:10])
    assert all(cell.alignment.vertical == "top" for cell in sheet[2] if cell.value is not None)
    # openpyxl reads every height back as set by hand: the file itself says whether it is.
    with openpyxl.reader.excel.ZipFile(io.BytesIO(content)) as archive:
        part = ElementTree.fromstring(archive.read("xl/worksheets/sheet2.xml"))
    rows = {row.get("r"): row.attrib for row in part.iter(f"{SPREADSHEET_NS}row")}
    # Five lines of the mission's name against one; not marked as set by hand, so Excel refits them itself.
    assert float(rows["2"]["ht"]) > 3 * float(rows["3"]["ht"])
    assert "customHeight" not in rows["2"]
