"""Building a three-language press bulletin (40 senders, 40 days, 5 news items) against raw reportlab
laying out the same paragraphs, tables, charts, QR code, links and numbered footers by hand.

    python -m bench.bench_bulletin [--senders 40] [--repetitions 5]
"""

from __future__ import annotations

import argparse
from datetime import date, datetime, timedelta
from io import BytesIO
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from bench.timing import HEADER, Measurement, compare
from reports.bulletin import Bulletin, NewsLink, Row, Section, TimelinePoint, build_bulletin
from reports.fonts import FONTS

HEADLINES = {
    "en": "97 international observers from 11 countries and three international organizations",
    "ru": "97 международных наблюдателей из 11 стран и 3 международных организаций",
    "kk": "11 елден және 3 халықаралық ұйымнан 97 халықаралық байқаушы",
}
SENDER = {"en": "Sender", "ru": "Направившая сторона", "kk": "Жіберуші тарап"}
KINDS = {
    "en": ("Foreign states", "International organizations"),
    "ru": ("Иностранные государства", "Международные организации"),
    "kk": ("Шет мемлекеттер", "Халықаралық ұйымдар"),
}


def make_bulletin(senders: int) -> Bulletin:
    sections = []
    for lang in ("en", "ru", "kk"):
        rows = tuple(Row(f"{SENDER[lang]} {n} — Қазақстан & <partners>", n % 9 + 1) for n in range(1, senders + 1))
        sections.append(
            Section(
                lang=lang,
                title=f"Accreditation of international observers ({lang})",
                election="Қазақстан Республикасы Парламенті Мәжілісінің депутаттарын сайлау, 2023 жыл",
                as_of="As of 22 February 2023, 21:13 (Asia/Almaty)",
                headline=HEADLINES[lang],
                kind_heading="By kind of sender",
                sender_heading="By sender",
                kind_column="Kind of sender",
                sender_column=SENDER[lang],
                observers_column="Observers",
                total_label="Total",
                by_sender_kind=(Row(KINDS[lang][0], 13), Row(KINDS[lang][1], 84)),
                by_sender=rows,
            )
        )
    return Bulletin(
        commission=("Central Election Commission of the Republic of Kazakhstan",),
        sections=tuple(sections),
        chart_by_sender_title=("Observers by sender",),
        chart_timeline_title=("Accredited international observers by day",),
        date_axis=("Date",),
        count_axis=("Accredited observers",),
        by_sender_chart=tuple(Row(f"S{n}", n % 9 + 1) for n in range(1, senders + 1)),
        timeline=tuple(TimelinePoint(date(2023, 2, 1) + timedelta(days=n), 3 * n) for n in range(40)),
        news_heading=("In the news",),
        news=tuple(
            NewsLink(f"News item {n} about observers", "Kazinform", "22.02.2023 21:13", f"https://news.example.org/{n}")
            for n in range(5)
        ),
        public_url="https://tally.example.kz/majilis-2023",
        qr_caption=("Check the current tally",),
        fingerprint=("9f3c2a71e4b0",),
        page_label=("Page {page} of {pages}",),
        created=datetime(2023, 2, 22, 21, 13, tzinfo=ZoneInfo("Asia/Almaty")),
        reference=("Bulletin 12",),
    )


# --- the raw baseline: reportlab by hand, its own font names registered from the same files ------------------------

RAW, RAW_BOLD = "BenchSans", "BenchSans-Bold"


def register_raw_fonts() -> None:
    pdfmetrics.registerFont(TTFont(RAW, str(FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(RAW_BOLD, str(FONTS / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(RAW, normal=RAW, bold=RAW_BOLD, italic=RAW, boldItalic=RAW_BOLD)


class RawNumberedCanvas(Canvas):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.states = []

    def showPage(self):
        self.states.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        for state in self.states:
            self.__dict__.update(state)
            self.setFont(RAW, 8)
            self.drawString(18 * mm, 10 * mm, "9f3c2a71e4b0")
            self.drawRightString(A4[0] - 18 * mm, 10 * mm, f"Page {self._pageNumber} of {len(self.states)}")
            Canvas.showPage(self)
        Canvas.save(self)


def raw_table(header: str, rows: tuple[Row, ...], width: float, cell: ParagraphStyle, bold: ParagraphStyle) -> Table:
    data = [[Paragraph(escape(header), bold), Paragraph("Observers", bold)]]
    data += [[Paragraph(escape(row.label), cell), Paragraph(str(row.observers), cell)] for row in rows]
    data.append([Paragraph("Total", bold), Paragraph(str(sum(row.observers for row in rows)), bold)])
    table = Table(data, colWidths=[width - 32 * mm, 32 * mm], repeatRows=1)
    table.setStyle(
        TableStyle([("FONTNAME", (0, 0), (-1, -1), RAW), ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black)])
    )
    return table


def raw_charts(bulletin: Bulletin, width: float) -> list[Drawing]:
    bars = HorizontalBarChart()
    bars.x, bars.y, bars.width, bars.height = 40, 18, width - 64, 14 * len(bulletin.by_sender_chart)
    bars.data = [tuple(row.observers for row in bulletin.by_sender_chart)]
    bars.categoryAxis.categoryNames = [row.label for row in bulletin.by_sender_chart]
    bars.categoryAxis.labels.fontName = bars.valueAxis.labels.fontName = bars.barLabels.fontName = RAW
    bars.barLabelFormat = "%d"
    bar_drawing = Drawing(width, bars.height + 30, initialFontName=RAW)
    bar_drawing.add(bars)

    line = LinePlot()
    line.x, line.y, line.width, line.height = 36, 22, width - 56, 136
    line.data = [[(point.day.toordinal(), point.observers) for point in bulletin.timeline]]
    line.xValueAxis.labelTextFormat = lambda ordinal: date.fromordinal(int(ordinal)).strftime("%d.%m")
    line.xValueAxis.labels.fontName = line.yValueAxis.labels.fontName = RAW
    line_drawing = Drawing(width, 170, initialFontName=RAW)
    line_drawing.add(line)
    return [bar_drawing, line_drawing]


def raw_build(bulletin: Bulletin) -> bytes:
    cell, bold = ParagraphStyle("c", fontName=RAW, fontSize=9), ParagraphStyle("b", fontName=RAW_BOLD, fontSize=9)
    big = ParagraphStyle("h", fontName=RAW_BOLD, fontSize=14, leading=18)
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm, bottomMargin=18 * mm,
        title=bulletin.reference[0], invariant=True, initialFontName=RAW,
    )  # fmt: skip
    story = [Paragraph(escape(bulletin.commission[0]), big)]
    for section in bulletin.sections:
        for words in (section.title, section.election, section.as_of, section.headline, section.kind_heading):
            story.append(Paragraph(escape(words), big))
        story.append(raw_table(section.kind_column, section.by_sender_kind, doc.width, cell, bold))
        story.append(Paragraph(escape(section.sender_heading), big))
        story.append(raw_table(section.sender_column, section.by_sender, doc.width, cell, bold))
    story += raw_charts(bulletin, doc.width)
    for item in bulletin.news:
        story.append(Paragraph(f'<a href="{escape(item.url or "")}">{escape(item.title)}</a>', cell))
        story.append(Paragraph(escape(f"{item.source} · {item.published}"), cell))
    qr = Drawing(32 * mm, 32 * mm, initialFontName=RAW)
    qr.add(QrCodeWidget(bulletin.public_url, barWidth=32 * mm, barHeight=32 * mm))
    caption = [
        Paragraph(escape(bulletin.qr_caption[0]), bold),
        Paragraph(f'<a href="{escape(bulletin.public_url)}">{escape(bulletin.public_url)}</a>', cell),
    ]
    qr_table = Table([[qr, caption]])
    qr_table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), RAW)]))
    story += [Spacer(0, 6 * mm), qr_table]
    doc.build(story, canvasmaker=RawNumberedCanvas)
    return buffer.getvalue()


def measure(senders: int, repetitions: int) -> Measurement:
    bulletin = make_bulletin(senders)
    register_raw_fonts()
    # Both sides once before timing: font files parsed and caches warm, as in a running service.
    project_pdf, raw_pdf = build_bulletin(bulletin), raw_build(bulletin)
    if not project_pdf.startswith(b"%PDF") or not raw_pdf.startswith(b"%PDF"):
        raise SystemExit("a side did not produce a PDF")
    project, baseline, peak = compare(
        lambda: build_bulletin(bulletin), lambda: raw_build(bulletin), repetitions=repetitions
    )
    return Measurement(
        name=f"bulletin PDF, 3 languages, {senders} senders",
        baseline="raw reportlab, same elements by hand",
        project_seconds=project,
        baseline_seconds=baseline,
        project_peak_mb=peak,
        goal="≤ 1.3×",
    )


def main(argv: list[str] | None = None) -> Measurement:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--senders", type=int, default=40)
    parser.add_argument("--repetitions", type=int, default=5)
    arguments = parser.parse_args(argv)
    result = measure(arguments.senders, arguments.repetitions)
    print(HEADER)
    print(result.line())
    return result


if __name__ == "__main__":
    main()
