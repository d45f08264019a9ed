"""The press bulletin: a frozen tally as an A4 PDF, in one or more languages, with charts, news and a QR code.

Plain data in, bytes out: every text arrives translated and formatted by the caller; only the counts in
the tables are printed from numbers. The same `Bulletin` always gives the same bytes (reportlab's
invariant mode, and the dates taken from `created` rather than the clock), so a published bulletin can
be rebuilt and compared byte for byte.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import partial
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from reports import scripts
from reports.charts import INK, drawing, sender_bars, timeline
from reports.fonts import BOLD, REGULAR, register_fonts


@dataclass(frozen=True)
class Row:
    """One line of a table or one bar of the chart."""

    label: str
    observers: int


@dataclass(frozen=True)
class Section:
    """Everything in one language, already translated and formatted by the caller."""

    lang: str
    title: str
    election: str
    as_of: str
    headline: str
    kind_heading: str
    sender_heading: str
    kind_column: str
    sender_column: str
    observers_column: str
    total_label: str
    by_sender_kind: tuple[Row, ...]
    by_sender: tuple[Row, ...]


@dataclass(frozen=True)
class TimelinePoint:
    day: datetime.date
    observers: int  # accredited international observers at the end of that day


@dataclass(frozen=True)
class NewsLink:
    title: str
    source: str
    published: str
    url: str | None


@dataclass(frozen=True)
class Bulletin:
    """What the sections share, once per language in the sections' order (stacked or joined when printed)."""

    commission: tuple[str, ...]
    sections: tuple[Section, ...]  # one per language, in order; at least one
    chart_by_sender_title: tuple[str, ...]
    chart_timeline_title: tuple[str, ...]
    date_axis: tuple[str, ...]  # the timeline's axis titles
    count_axis: tuple[str, ...]
    by_sender_chart: tuple[Row, ...]  # short labels (acronyms), already in every language
    timeline: tuple[TimelinePoint, ...]
    news_heading: tuple[str, ...]
    news: tuple[NewsLink, ...]
    public_url: str  # the QR code carries exactly this
    qr_caption: tuple[str, ...]
    fingerprint: tuple[str, ...]  # "Snapshot 9f3c…", in every page's footer
    page_label: tuple[str, ...]  # "Page {page} of {pages}"
    created: datetime.datetime  # aware; the PDF's creation and modification date
    reference: tuple[str, ...]  # "Bulletin No. 12": the document's title
    issued: tuple[str, ...] = ()  # place and date of issue, under the letterhead
    contact: tuple[str, ...] = ()  # the commission's press contact; none printed when empty
    corrects: tuple[str, ...] = ()  # "Corrects bulletin 11", printed under each section's title
    draft: bool = False  # a draft carries `draft_mark` across every page; a published bulletin never does
    draft_mark: tuple[str, ...] = ("DRAFT",)


MARGIN = 18 * mm
FOOTER_SIZE = 8
QR_SIZE = 32 * mm
OBSERVERS_WIDTH = 28 * mm
CELL_PADDING = 6  # reportlab's default left and right padding of a table cell
GREY = colors.HexColor("#555555")
RULE = colors.HexColor("#999999")
# Only web addresses become links: anything else (a bare name, "javascript:") would be an internal
# destination reportlab cannot resolve, or a link nobody should click.
LINK_SCHEMES = ("https://", "http://")
SEPARATOR = " / "
FOOTER_LEADING = 8.5
DRAFT_RED = colors.HexColor("#a4161a")
WATERMARK_SIZE = 64


def style(name: str, **changes: Any) -> ParagraphStyle:
    return ParagraphStyle(name, **{"fontName": REGULAR, "fontSize": 10, "leading": 13, **changes})


LETTERHEAD = style("letterhead", fontName=BOLD, fontSize=13, leading=17, alignment=TA_CENTER)
REFERENCE = style("reference", fontSize=9, textColor=GREY, alignment=TA_CENTER)
ISSUED = style("issued", fontSize=8, leading=10, textColor=GREY, alignment=TA_CENTER)
TITLE = style("title", fontName=BOLD, fontSize=16, leading=20, spaceBefore=6, spaceAfter=4)
CORRECTS = style("corrects", fontName=BOLD, textColor=colors.HexColor("#a4161a"), spaceAfter=4)
ELECTION = style("election", fontSize=11, leading=14)
AS_OF = style("as of", fontSize=9, textColor=GREY, spaceAfter=6)
HEADLINE = style("headline", fontName=BOLD, fontSize=14, leading=18, textColor=INK, spaceAfter=8)
HEADING = style("heading", fontName=BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4)
CELL = style("cell", fontSize=9, leading=11)
CELL_BOLD = style("cell bold", fontName=BOLD, fontSize=9, leading=11)
NUMBER = style("number", fontSize=9, leading=11, alignment=TA_RIGHT)
NUMBER_BOLD = style("number bold", fontName=BOLD, fontSize=9, leading=11, alignment=TA_RIGHT)
NEWS_TITLE = style("news title", spaceBefore=4)
NEWS_SOURCE = style("news source", fontSize=8, leading=10, textColor=GREY)
URL = style("url", fontSize=9, leading=11)

TABLE_STYLE = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
        ("LINEBELOW", (0, 1), (-1, -2), 0.25, colors.lightgrey),
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
)
QR_TABLE_STYLE = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (0, 0), 0),
    ]
)


def text(value: str, paragraph_style: ParagraphStyle) -> Paragraph:
    """A paragraph of data, in any script."""
    return scripts.paragraph(value, paragraph_style)


def link(label: str, url: str | None, paragraph_style: ParagraphStyle) -> Paragraph:
    """`label` as a clickable link to `url`, or as plain text when there is no web address."""
    if not url or not url.startswith(LINK_SCHEMES):
        return text(label, paragraph_style)
    href = escape(url, {'"': "&quot;"})
    return Paragraph(f'<a href="{href}" color="#1f4e79"><u>{scripts.markup(label)}</u></a>', paragraph_style)


def count_table(column: str, observers_column: str, rows: tuple[Row, ...], total: str, width: float) -> Table:
    """A header, one line per row and a total; the header repeats when the table runs onto the next page."""
    # Wide enough for the header on one line ("Байқаушылар саны"): a number column wrapping mid-word looks broken.
    header_width = stringWidth(observers_column, BOLD, NUMBER_BOLD.fontSize) + 2 * CELL_PADDING
    observers_width = min(max(OBSERVERS_WIDTH, header_width), width / 2)
    lines = [[text(column, CELL_BOLD), text(observers_column, NUMBER_BOLD)]]
    lines += [[text(row.label, CELL), Paragraph(str(row.observers), NUMBER)] for row in rows]
    lines.append([text(total, CELL_BOLD), Paragraph(str(sum(row.observers for row in rows)), NUMBER_BOLD)])
    table = Table(lines, colWidths=[width - observers_width, observers_width], repeatRows=1)
    table.setStyle(TABLE_STYLE)
    return table


def joined(words: tuple[str, ...]) -> str:
    """One line in every language, each said once: "Сурет / Снимок", not a word repeated for each language."""
    return SEPARATOR.join(dict.fromkeys(words))


def letterhead(bulletin: Bulletin, width: float) -> list[Flowable]:
    """The commission's name in each language, the reference, then where, when and whom to call."""
    names = [text(name, LETTERHEAD) for name in dict.fromkeys(bulletin.commission)]
    details = [text(line, ISSUED) for line in (*bulletin.issued, *bulletin.contact)]
    return [
        *names,
        text(joined(bulletin.reference), REFERENCE),
        *details,
        HRFlowable(width=width, thickness=1.2, color=INK, spaceBefore=4, spaceAfter=6),
    ]


def section_story(section: Section, corrects: str | None, width: float) -> list[Flowable]:
    opening = [text(section.title, TITLE)]
    if corrects:
        opening.append(text(corrects, CORRECTS))
    opening += [text(section.election, ELECTION), text(section.as_of, AS_OF), text(section.headline, HEADLINE)]
    observers, total = section.observers_column, section.total_label
    kinds = count_table(section.kind_column, observers, section.by_sender_kind, total, width)
    senders = count_table(section.sender_column, observers, section.by_sender, total, width)
    return [
        # A title alone at the foot of a page, its figures overleaf, reads as a mistake.
        CondPageBreak(60 * mm),
        KeepTogether([*opening, text(section.kind_heading, HEADING), kinds]),
        # Likewise a table heading: the sender table starts on the next page unless a few of its rows fit here.
        CondPageBreak(35 * mm),
        text(section.sender_heading, HEADING),
        senders,
        Spacer(0, 6 * mm),
    ]


def chart_story(bulletin: Bulletin, width: float) -> list[Flowable]:
    """The two charts, each left out when there is nothing to draw (no sender yet, no day yet)."""
    story: list[Flowable] = []
    if bulletin.by_sender_chart:
        labels = [row.label for row in bulletin.by_sender_chart]
        bars = sender_bars(labels, [row.observers for row in bulletin.by_sender_chart], width)
        story.append(KeepTogether([text(joined(bulletin.chart_by_sender_title), HEADING), bars]))
    if bulletin.timeline:
        days = [point.day for point in bulletin.timeline]
        axes = (joined(bulletin.date_axis), tuple(dict.fromkeys(bulletin.count_axis)))
        line = timeline(days, [point.observers for point in bulletin.timeline], width, axes)
        story.append(KeepTogether([text(joined(bulletin.chart_timeline_title), HEADING), line]))
    return story


def news_story(bulletin: Bulletin) -> list[Flowable]:
    if not bulletin.news:
        return []
    story: list[Flowable] = [text(joined(bulletin.news_heading), HEADING)]
    for item in bulletin.news:
        source = text(f"{item.source} · {item.published}", NEWS_SOURCE)
        story.append(KeepTogether([link(item.title, item.url, NEWS_TITLE), source]))
    return story


def qr_code(value: str) -> Drawing:
    widget = QrCodeWidget(value, barWidth=QR_SIZE, barHeight=QR_SIZE)
    code = drawing(QR_SIZE, QR_SIZE)
    code.add(widget)
    return code


def qr_block(bulletin: Bulletin, width: float) -> Table:
    captions = [text(caption, CELL_BOLD) for caption in dict.fromkeys(bulletin.qr_caption)]
    words = [*captions, link(bulletin.public_url, bulletin.public_url, URL)]
    table = Table([[qr_code(bulletin.public_url), words]], colWidths=[QR_SIZE + 4 * mm, width - QR_SIZE - 4 * mm])
    # Tables set their cells' font even when every cell is a flowable: Helvetica unless told otherwise.
    table.setStyle(QR_TABLE_STYLE)
    return table


def story(bulletin: Bulletin, width: float) -> list[Flowable]:
    flowables = letterhead(bulletin, width)
    for number, section in enumerate(bulletin.sections):
        corrects = bulletin.corrects[number] if number < len(bulletin.corrects) else None
        flowables += section_story(section, corrects, width)
    flowables += chart_story(bulletin, width) + news_story(bulletin)
    # The QR code goes with the block before it (the last news item or chart): alone on the last page it
    # reads as a page printed by mistake.
    last = [flowables.pop()] if isinstance(flowables[-1], KeepTogether) else []
    return [*flowables, KeepTogether([*last, Spacer(0, 6 * mm), qr_block(bulletin, width)])]


def pdf_date(moment: datetime.datetime) -> str:
    """A PDF date string, `D:YYYYMMDDHHmmSS+HH'mm'`, in the moment's own offset."""
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError("the bulletin's created time must be aware of its time zone")
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"D:{moment:%Y%m%d%H%M%S}{sign}{hours:02d}'{minutes:02d}'"


class FooterCanvas(Canvas):
    """Holds every page back until the end, so each footer can say how many pages there are.

    One layout pass instead of `multiBuild`'s two: the pages are kept as canvas states, and the
    footers (and a draft's marks) drawn on them when the document is saved.
    """

    def __init__(
        self,
        *args: Any,
        fingerprint: tuple[str, ...],
        page_label: tuple[str, ...],
        draft_mark: tuple[str, ...],
        created: datetime.datetime,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fingerprint = fingerprint
        self.page_label = page_label
        self.draft_mark = tuple(dict.fromkeys(draft_mark))  # empty: a published bulletin
        self.pages: list[dict[str, Any]] = []
        creation = pdf_date(created)
        # The formatter receives reportlab's (invariant, year 2000) timestamp and answers with `created`.
        self.setDateFormatter(lambda *_: creation)

    def showPage(self) -> None:
        self.pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        for page in self.pages:
            self.__dict__.update(page)
            if self.draft_mark:
                self.draw_draft_mark()
            self.draw_footer(self._pageNumber, len(self.pages))
            super().showPage()
        super().save()

    def draw_footer(self, page: int, pages: int) -> None:
        """One line per language: the snapshot on the left, the page on the right."""
        width = self._pagesize[0]
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, MARGIN - 4 * mm, width - MARGIN, MARGIN - 4 * mm)
        self.setFont(REGULAR, FOOTER_SIZE)
        self.setFillColor(GREY)
        lines = max(len(self.fingerprint), len(self.page_label))
        for number in range(lines):
            y = MARGIN - 4 * mm - FOOTER_LEADING * (number + 1)
            if number < len(self.fingerprint):
                self.drawString(MARGIN, y, self.fingerprint[number])
            if number < len(self.page_label):
                label = self.page_label[number].replace("{pages}", str(pages)).replace("{page}", str(page))
                self.drawRightString(width - MARGIN, y, label)
        self.restoreState()

    def draw_draft_mark(self) -> None:
        """A line above the content and the words across the page, light enough to read the figures through."""
        width, height = self._pagesize
        self.saveState()
        self.setFont(BOLD, FOOTER_SIZE + 1)
        self.setFillColor(DRAFT_RED)
        self.drawCentredString(width / 2, height - MARGIN + 3 * mm, SEPARATOR.join(self.draft_mark))
        self.setFillAlpha(0.10)
        self.translate(width / 2, height / 2)
        self.rotate(55)
        self.setFont(BOLD, WATERMARK_SIZE)
        middle = (len(self.draft_mark) - 1) / 2
        for number, word in enumerate(self.draft_mark):
            self.drawCentredString(0, (middle - number) * WATERMARK_SIZE * 1.1 - WATERMARK_SIZE / 3, word)
        self.restoreState()


def build_bulletin(bulletin: Bulletin) -> bytes:
    if not bulletin.sections:
        raise ValueError("a bulletin needs at least one language section")
    register_fonts()
    first = bulletin.sections[0]
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=bulletin.reference[0],
        subject=f"{first.title}: {first.election}",
        author=bulletin.commission[0],
        creator="observer-tracker",
        # Searchable by the snapshot it shows; it also feeds the document ID, so another snapshot gets another ID.
        keywords=list(bulletin.fingerprint),
        lang=first.lang,
        invariant=True,
        # The canvas sets an initial font on every page; left alone it is Helvetica.
        initialFontName=REGULAR,
    )
    canvas_maker = partial(
        FooterCanvas,
        fingerprint=bulletin.fingerprint,
        page_label=bulletin.page_label,
        draft_mark=bulletin.draft_mark if bulletin.draft else (),
        created=bulletin.created,
    )
    document.build(story(bulletin, document.width), canvasmaker=canvas_maker)
    return buffer.getvalue()
