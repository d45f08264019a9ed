"""A decision's documents as A4 PDFs: its annex (the numbered list of whom it accredited or rejected) and a
letter to each mission listing its members' outcomes.

Plain data in, bytes out: every word arrives translated and every date formatted by the caller. The same data
always gives the same bytes (reportlab's invariant mode, dates from `created`, never the clock).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import partial
from io import BytesIO
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from reports.bulletin import (
    CELL,
    CELL_BOLD,
    GREY,
    LETTERHEAD,
    MARGIN,
    REFERENCE,
    RULE,
    FooterCanvas,
    style,
    text,
)
from reports.charts import INK
from reports.fonts import BOLD, REGULAR, register_fonts
from reports.scripts import markup

TITLE = style("decision title", fontName=BOLD, fontSize=13, leading=17, spaceBefore=4, spaceAfter=2)
INTRO = style("decision intro", fontSize=10, leading=13, spaceAfter=4)
SMALL = style("decision small", fontSize=8, leading=10, textColor=GREY)
BODY = style("letter body", fontSize=10.5, leading=14, spaceAfter=6)
NUMBER_WIDTH = 10 * mm
LIST_STYLE = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
)


@dataclass(frozen=True)
class Line:
    """One person of the list: the name in Latin letters and, when it differs, in its own script."""

    name_latin: str
    name_original: str
    cells: tuple[str, ...]  # the other columns, in order (sender, role, badge number, outcome...)


@dataclass(frozen=True)
class Heading:
    """The document's title and opening sentence in one language."""

    lang: str
    title: str
    intro: str


@dataclass(frozen=True)
class Annex:
    commission: str
    reference: str  # under the letterhead: "Decision No. 12/345 of 22.02.2023"
    headings: tuple[Heading, ...]  # one per language, in order; at least one
    columns: tuple[str, ...]  # "No.", "Name", then one per cell; each in every language ("№ / №")
    lines: tuple[Line, ...]
    reason: str | None  # a rejection's reason, already labelled
    page_label: str  # "Page {page} of {pages}"
    footer: str
    created: datetime.datetime  # aware


@dataclass(frozen=True)
class Letter:
    commission: str
    place_and_date: str
    addressee: tuple[str, ...]  # lines: the mission, its head
    subject: str
    paragraphs: tuple[str, ...]  # before the list
    columns: tuple[str, ...]
    lines: tuple[Line, ...]
    closing: tuple[str, ...]  # after the list
    page_label: str
    footer: str
    created: datetime.datetime
    lang: str


def _name(line: Line) -> Paragraph:
    if line.name_original and line.name_original != line.name_latin:
        return Paragraph(f"{markup(line.name_latin)}<br/><font size=8>{markup(line.name_original)}</font>", CELL)
    return text(line.name_latin, CELL)


def _list(columns: tuple[str, ...], lines: tuple[Line, ...], width: float, shares: tuple[float, ...]) -> Table:
    """A numbered list whose header repeats on every page; `shares` split the width after the number column."""
    rows: list[list[Flowable]] = [[text(column, CELL_BOLD) for column in columns]]
    for number, line in enumerate(lines, start=1):
        rows.append([text(str(number), CELL), _name(line), *(text(cell, CELL) for cell in line.cells)])
    rest = width - NUMBER_WIDTH
    table = Table(rows, colWidths=[NUMBER_WIDTH, *(rest * share for share in shares)], repeatRows=1)
    table.setStyle(LIST_STYLE)
    return table


def _document(buffer: BytesIO, title: str, author: str, lang: str) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author=author,
        creator="observer-tracker",
        lang=lang,
        invariant=True,
        initialFontName=REGULAR,
    )


def _shares(cells: int) -> tuple[float, ...]:
    # The name takes the most room; the other columns share the rest evenly.
    name = 0.34 if cells >= 3 else 0.45
    return (name, *((1 - name) / cells for _ in range(cells)))


def _footed(footer: str, page_label: str, created: datetime.datetime) -> Any:
    """The bulletin's canvas, with one footer line and no draft mark: a decision is never a draft."""
    return partial(FooterCanvas, fingerprint=(footer,), page_label=(page_label,), draft_mark=(), created=created)


def build_annex(annex: Annex) -> bytes:
    if not annex.headings:
        raise ValueError("an annex needs at least one language")
    register_fonts()
    buffer = BytesIO()
    document = _document(buffer, annex.reference, annex.commission, annex.headings[0].lang)
    story: list[Flowable] = [
        text(annex.commission, LETTERHEAD),
        text(annex.reference, REFERENCE),
        HRFlowable(width=document.width, thickness=1.2, color=INK, spaceBefore=4, spaceAfter=6),
    ]
    for heading in annex.headings:
        story += [text(heading.title, TITLE), text(heading.intro, INTRO)]
    if annex.reason:
        story.append(text(annex.reason, INTRO))
    cells = len(annex.columns) - 2
    story += [Spacer(0, 2 * mm), _list(annex.columns, annex.lines, document.width, _shares(cells))]
    document.build(story, canvasmaker=_footed(annex.footer, annex.page_label, annex.created))
    return buffer.getvalue()


def build_letter(letter: Letter) -> bytes:
    register_fonts()
    buffer = BytesIO()
    document = _document(buffer, letter.subject, letter.commission, letter.lang)
    story: list[Flowable] = [
        text(letter.commission, LETTERHEAD),
        HRFlowable(width=document.width, thickness=1.2, color=INK, spaceBefore=4, spaceAfter=6),
        text(letter.place_and_date, SMALL),
        Spacer(0, 4 * mm),
        *(text(line, INTRO) for line in letter.addressee),
        Spacer(0, 4 * mm),
        text(letter.subject, TITLE),
        *(text(paragraph, BODY) for paragraph in letter.paragraphs),
        _list(letter.columns, letter.lines, document.width, _shares(len(letter.columns) - 2)),
        Spacer(0, 6 * mm),
        *(text(paragraph, BODY) for paragraph in letter.closing),
    ]
    document.build(story, canvasmaker=_footed(letter.footer, letter.page_label, letter.created))
    return buffer.getvalue()
