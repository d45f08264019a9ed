"""How the roster looks on paper: one font, A4, widths that fit the page at a readable size, and a page header
and footer that say what the pages are and whose data they carry.

Decided for a registrar printing on an A4 office printer from LibreOffice or Excel:

- All twelve columns print, on one A4 landscape width, at 9 pt with no squeezing: long texts wrap inside their
  columns instead. Squeezing twelve columns of 30 characters onto one width gave 4.8 pt; printing only some
  columns would hide the document number and the decision from the people who check them on paper; and a
  second print area (Excel's way of splitting) prints each page's right half on a separate sheet of paper,
  which a registrar then has to match up row by row.
- Widths come from what each column holds: short codes and dates get what they need, names, senders and
  missions share the rest; no column is narrower than its header's longest word, so headers wrap between
  words, never inside one.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from openpyxl.styles import Alignment, Font
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from reports.cells import cell

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from openpyxl import Workbook
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet


# One family everywhere: cells, headers, headline, page header and footer. Arial, because Excel has it on every
# Windows and Mac, and LibreOffice on Linux substitutes Liberation Sans, drawn to Arial's metrics, so the widths
# and line breaks computed here hold in both. Calibri (openpyxl's default) is not on Linux: LibreOffice then
# falls back to a wider face and the columns overflow. Both cover Latin, Cyrillic with the Kazakh letters, Greek,
# Arabic and Hebrew; other scripts in the original-name column fall back glyph by glyph in both programs.
FONT_NAME = "Arial"
BODY_SIZE = 9
HEADLINE_SIZE = 12
MARGIN_SIZE = BODY_SIZE
BODY = Font(name=FONT_NAME, size=BODY_SIZE)
BOLD = Font(name=FONT_NAME, size=BODY_SIZE, bold=True)
HEADLINE = Font(name=FONT_NAME, size=HEADLINE_SIZE, bold=True)
WRAPPED = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")

# Day first, as the commission writes dates; the same in all three languages.
DATE_FORMAT = "dd.mm.yyyy hh:mm"

# Inches: narrow side margins leave the columns 11.1 inches of the 11.7 an A4 landscape page has.
MARGINS = PageMargins(left=0.3, right=0.3, top=0.6, bottom=0.55, header=0.25, footer=0.25)

# Characters of the body font that fit across one A4 landscape page between the margins, less a little for
# the printers' and programs' differing cell padding (checked with LibreOffice in tests/unit/test_roster_pdf.py).
PRINT_WIDTH = 158
# (least width, share of what is left) per column, in the order of Labels.columns: a share of 0 is a column
# whose content has a known width (numbers, codes, dates).
COLUMNS = (
    (5, 0),  # No.
    (12, 2.5),  # name (original script)
    (12, 2.5),  # name (Latin)
    (10, 1.5),  # nationality
    (12, 3.5),  # sender: up to "Тәуелсіз Мемлекеттер Достастығына қатысушы мемлекеттердің Парламентаралық Ассамблеясы"
    (12, 3.5),  # mission
    (14, 2),  # role: "Краткосрочный", "Қысқа мерзімді" whole
    (13, 1),  # status: "Аккредитован", "Аккредиттелген"
    (10, 0),  # badge number
    (15.5, 0),  # decision reference: "CEC-2023/0306-1"
    (15, 0),  # accredited at: "22.02.2023 21:13"
    (12, 0),  # document number
)
# Excel cuts a page header or footer longer than 255 characters; the election's name gives way.
TITLE_LIMIT = 90

# Row heights. Excel fits a row to its wrapped text when it opens the file; LibreOffice keeps the height the
# file gives (or its default of one line, which prints the second line of a name over the next row). So each
# row carries the height its text needs, reckoned from Arial's advance widths, and is not marked as a
# hand-set height, which Excel then refits by itself.
# Arial's (and Liberation Sans') advance widths of the printable ASCII characters, in thousandths of an em
# (read from Liberation Sans with fontTools).
ASCII_WIDTHS = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667,
    556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556,
    556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722,
    500, 500, 500, 334, 260, 334, 584,
)  # fmt: skip
# The same for Russian's А to я (U+0410 to U+044F), and the letters Kazakh adds.
CYRILLIC_WIDTHS = (
    667, 656, 667, 542, 677, 667, 923, 604, 719, 719, 583, 656, 833, 722, 778, 719, 667, 722, 611, 635, 760, 667,
    740, 667, 917, 938, 792, 885, 656, 719, 1010, 722, 556, 573, 531, 365, 583, 556, 669, 458, 559, 559, 438, 583,
    688, 552, 556, 542, 556, 500, 458, 500, 823, 500, 573, 521, 802, 823, 625, 719, 521, 510, 750, 542,
)  # fmt: skip
KAZAKH_WIDTHS = {
    "Ё": 667, "ё": 556, "І": 278, "і": 222, "Ә": 752, "ә": 556, "Ғ": 542, "ғ": 365, "Қ": 583, "қ": 438,
    "Ң": 722, "ң": 552, "Ө": 778, "ө": 556, "Ұ": 556, "ұ": 500, "Ү": 556, "ү": 500, "Һ": 667, "һ": 556,
}  # fmt: skip
# Ideographs and kana are one em; anything else is taken as wide as a wide Cyrillic letter.
FULL_WIDTH, OTHER = 1.0, 0.72
DIGIT = 0.556
# Bold letters are about a tenth wider than regular ones (Liberation Sans Bold over Regular: 1.10).
BOLD_WIDER = 1.12
# Both programs pad a cell's text on each side; a few per cent more for rounding keeps estimates on the safe side.
CELL_PADDING_PT = 3.0
SAFETY = 1.02
# Arial's line is 1.15 em; a single-line row of 9 pt text is 12 pt high in both programs.
LINE_EM = 1.15
ROW_PADDING_PT = 1.8


@dataclass(frozen=True)
class Heading:
    """What each printed page's header says, in the roster's language."""

    election: str
    as_of: str
    """The roster's instant as the reader writes it, with its time zone."""


def use_body_style(book: Workbook) -> None:
    """Make the body font, wrapped and at the top of its cell, the workbook's default: for every cell written
    without a style of its own (nearly all of them, so 100,000 rows are not 1.2 million styled cells) and for
    the column width's unit (the default font's digit). openpyxl has no public way: its default is Calibri 11,
    unwrapped, at the bottom."""
    book._fonts = IndexedList([BODY])
    normal = book._named_styles["Normal"]
    normal.font, normal.alignment = BODY, WRAPPED
    default = StyleArray()
    default.alignmentId = book._alignments.add(WRAPPED)
    book._cell_styles = IndexedList([default])


def roster_widths(headers: Sequence[str]) -> tuple[float, ...]:
    """Each column's width in characters, so that together they fill one A4 landscape width."""
    least = [
        max(minimum, _width_of_longest_word(header)) for (minimum, _), header in zip(COLUMNS, headers, strict=True)
    ]
    shares = [share for _, share in COLUMNS]
    widths = [float(width) for width in least]
    # Hand out what is left by share; a column already wider than its share keeps its width and drops out.
    growing = {index for index, share in enumerate(shares) if share}
    while growing:
        spare = PRINT_WIDTH - sum(widths[index] for index in range(len(widths)) if index not in growing)
        total = sum(shares[index] for index in growing)
        fair = {index: spare * shares[index] / total for index in growing}
        settled = {index for index in growing if least[index] >= fair[index]}
        if not settled:
            for index in growing:
                widths[index] = math.floor(fair[index] * 10) / 10
            break
        growing -= settled
    return tuple(widths)


def _width_of_longest_word(header: str) -> float:
    """The width, in characters, a column needs for the header's longest word to fit in bold on one line."""
    longest = max((sum(map(_em, word)) for word in header.split()), default=0.0)
    return math.ceil((longest * BOLD_WIDER * SAFETY + CELL_PADDING_PT / BODY_SIZE) / DIGIT * 2) / 2


def row_height(cells: Iterable[tuple[str | None, float]], *, size: float = BODY_SIZE, bold: bool = False) -> str:
    """The height in points, as the file writes it, that a row needs for its texts to wrap within their
    columns; each cell is (text, column width in characters)."""
    lines = max((_lines(text, width, size, bold) for text, width in cells if text), default=1)
    return f"{lines * LINE_EM * size + ROW_PADDING_PT:.1f}"


@lru_cache(maxsize=8192)
def _lines(text: str, width: float, size: float, bold: bool) -> int:
    """How many lines `text` takes in a column `width` characters wide, wrapped between words as both programs
    wrap it (a word longer than the line is broken inside)."""
    # The column's width is counted in the body font's digits; the text may be larger.
    room = (width * DIGIT * BODY_SIZE - CELL_PADDING_PT) / size / SAFETY / (BOLD_WIDER if bold else 1)
    # Most values are short enough that even at one em a character they fit.
    if len(text) <= room and "\n" not in text:
        return 1
    space = ASCII_WIDTHS[0] / 1000
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split():
            wide = sum(map(_em, word))
            if used and used + space + wide <= room:
                used += space + wide
                continue
            if used:
                lines += 1
            broken = max(math.ceil(wide / room) - 1, 0)
            lines += broken
            used = wide - broken * room
    return lines


def _em(char: str) -> float:
    code = ord(char)
    if 32 <= code < 127:
        return ASCII_WIDTHS[code - 32] / 1000
    if 0x410 <= code < 0x450:
        return CYRILLIC_WIDTHS[code - 0x410] / 1000
    if char in KAZAKH_WIDTHS:
        return KAZAKH_WIDTHS[char] / 1000
    if unicodedata.east_asian_width(char) in "WF":
        return FULL_WIDTH
    return OTHER


def characters(text: str, size: float, *, bold: bool) -> float:
    """The column width, in the body font's digits, that holds `text` on one line."""
    wide = sum(map(_em, text)) * size * (BOLD_WIDER if bold else 1) * SAFETY + CELL_PADDING_PT
    return math.ceil(wide / (DIGIT * BODY_SIZE))


def set_up_page(
    sheet: WriteOnlyWorksheet,
    heading: Heading,
    personal_data: str,
    page_of: str,
    *,
    landscape: bool,
    one_page: bool,
) -> None:
    """A4, the given orientation, one page wide (and one high if `one_page`), with the header and footer.

    Called before the first row: write-only mode writes the fit-to-page flag ahead of the cells."""
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    # The widths fit the page already; fitting to it is the safety net for a printer with wider margins.
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    # Zero pages high means "as many as it takes".
    sheet.page_setup.fitToHeight = 1 if one_page else 0
    sheet.page_margins = MARGINS
    # Excel would otherwise shrink the header and footer with the sheet when it fits it to the page.
    sheet.HeaderFooter.scaleWithDoc = False
    title = heading.election if len(heading.election) <= TITLE_LIMIT else heading.election[: TITLE_LIMIT - 1] + "…"
    # Side by side, a long election name and the instant run into each other across a portrait page: there
    # they share the left part, which wraps (a line break of its own would be written as the text "_x000a_").
    left, right = (title, heading.as_of) if landscape else (f"{title} · {heading.as_of}", "")
    parts = (
        (sheet.oddHeader.left, _escaped(left), "Regular"),
        (sheet.oddHeader.right, _escaped(right), "Regular"),
        (sheet.oddFooter.left, _escaped(personal_data), "Bold"),
        (sheet.oddFooter.right, _escaped(page_of) % {"page": "&P", "pages": "&N"}, "Regular"),
    )
    for part, text, weight in parts:
        if not text:
            continue
        part.text = text
        part.font = f"{FONT_NAME},{weight}"
        part.size = MARGIN_SIZE


def _escaped(text: str) -> str:
    """Text as a page header shows it: & starts a code there."""
    return text.replace("&", "&&")


def append_row(sheet: WriteOnlyWorksheet, number: int, height: str, values: list[Any]) -> None:
    """Write row `number` with its height (not marked as set by hand, so Excel still refits it to its text), and
    the default style (use_body_style) as the row's own: LibreOffice does not give it to cells written without a
    style, as Excel does, but takes it from their row.

    openpyxl writes a row's attributes as they are when the row is appended, and has no public way to write
    a height without marking it custom; the entry goes once the row is written, so memory does not grow."""
    sheet.row_dimensions[number] = {"ht": height, "s": "0", "customFormat": "1"}
    sheet.append(values)
    del sheet.row_dimensions[number]


def date_cell(sheet: WriteOnlyWorksheet, moment: datetime, zone: ZoneInfo) -> Any:
    """The wall-clock time in the election's zone: Excel has no time zones, so the zone is dropped after converting."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        # Guessing the zone of a naive time would shift the printed hour without anyone noticing.
        raise ValueError(f"{moment.isoformat()} has no time zone; the roster needs aware datetimes")
    # To the minute the format shows: LibreOffice rounds what it does not show (Excel cuts it off), so the end of
    # a day, 23:59:59.999, printed as 00:00 of the next.
    local = moment.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)
    return cell(sheet, local, number_format=DATE_FORMAT, alignment=TOP)
