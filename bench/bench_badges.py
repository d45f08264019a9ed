"""Building accreditation cards on A4 sheets against raw reportlab drawing the same elements by hand
(fixed font sizes, no fitting, the same QR widget, photos and cut marks).

    python -m bench.bench_badges [--cards 200] [--repetitions 3]
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

from PIL import Image
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from bench.bench_bulletin import RAW, RAW_BOLD, register_raw_fonts
from bench.timing import HEADER, Measurement, compare
from reports.badges import Card, CardText, build_cards

CREATED = datetime(2023, 3, 1, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))
TEXT = CardText(
    commission="Қазақстан Республикасының Орталық сайлау комиссиясы / Central Election Commission of Kazakhstan",
    election="Парламент Мәжілісінің депутаттарын сайлау, 2023 / Election of deputies of the Majilis, 2023",
    title="Халықаралық байқаушы / International observer",
    badge_label="Белгі № / Badge No.",
    sender_label="Жіберуші / Sender",
    role_label="Рөлі / Role",
    valid_until_label="Жарамды / Valid until",
    verify_hint="Тексеру үшін сканерлеңіз / Scan to check that this card is genuine and valid",
    check_code_label="Тексеру коды / Check code",
)


def photo() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (300, 400), (176, 120, 90)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def make_cards(count: int, picture: bytes) -> Iterator[Card]:
    """Every other card with a photo, the same photo: as a commission's print run of one mission might look."""
    for number in range(count):
        badge = f"M23-{number:05d}"
        yield Card(
            badge_number=badge,
            name_original=f"Құрманғазықызы Әсел {number}",
            name_latin=f"Kurmangazykyzy Asel {number}",
            sender="ТМД Парламентаралық Ассамблеясы / CIS Interparliamentary Assembly",
            role="Қысқа мерзімді байқаушы / Short-term observer",
            valid_until="19.03.2023",
            verify_url=f"https://tally.example.kz/verify?badge={badge}&sig={number:016x}",
            check_code=f"K7QM-{number:04d}",
            photo=picture if number % 2 else None,
        )


# --- the raw baseline: strings at fixed sizes where they go, nothing measured or fitted ------------------------------


def raw_card(canvas: Canvas, card: Card) -> None:
    canvas.setFillColorRGB(0.12, 0.31, 0.47)
    canvas.rect(0, 74 * mm, 135 * mm, 16 * mm, stroke=0, fill=1)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.setFont(RAW_BOLD, 7)
    canvas.drawCentredString(67.5 * mm, 84 * mm, TEXT.commission)
    canvas.setFont(RAW, 6.5)
    canvas.drawCentredString(67.5 * mm, 78 * mm, TEXT.election)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(RAW_BOLD, 12)
    canvas.drawCentredString(67.5 * mm, 68 * mm, TEXT.title)
    canvas.setFont(RAW_BOLD, 13)
    canvas.drawString(39 * mm, 58 * mm, card.name_original)
    canvas.setFont(RAW, 11)
    canvas.drawString(39 * mm, 50 * mm, card.name_latin)
    canvas.setFont(RAW, 7)
    for height, value in ((41, TEXT.sender_label), (37, card.sender), (30, TEXT.role_label), (26, card.role)):
        canvas.drawString(39 * mm, height * mm, value)
    canvas.setFont(RAW_BOLD, 20)
    canvas.drawString(5 * mm, 8 * mm, card.badge_number)
    canvas.drawString(59 * mm, 8 * mm, card.valid_until)
    if card.photo:
        canvas.drawImage(ImageReader(BytesIO(card.photo)), 5 * mm, 23 * mm, 30 * mm, 40 * mm, preserveAspectRatio=True)
    code = Drawing(32 * mm, 32 * mm, initialFontName=RAW)
    code.add(QrCodeWidget(card.verify_url, barWidth=32 * mm, barHeight=32 * mm, barLevel="M"))
    renderPDF.draw(code, canvas, 98 * mm, 31 * mm)
    canvas.setFont(RAW, 6)
    canvas.drawCentredString(114 * mm, 27 * mm, TEXT.verify_hint[:40])
    canvas.drawCentredString(114 * mm, 12 * mm, TEXT.check_code_label)
    canvas.setFont(RAW_BOLD, 12)
    canvas.drawCentredString(114 * mm, 7 * mm, card.check_code)
    for x, y, dx, dy in ((0, 0, -1, -1), (135, 0, 1, -1), (0, 90, -1, 1), (135, 90, 1, 1)):
        canvas.line((x + dx * 1.5) * mm, y * mm, (x + dx * 4.5) * mm, y * mm)
        canvas.line(x * mm, (y + dy * 1.5) * mm, x * mm, (y + dy * 4.5) * mm)


def raw_build(cards: Iterator[Card]) -> bytes:
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=landscape(A4), invariant=1, initialFontName=RAW)
    slots = [(10.5, 108), (151.5, 108), (10.5, 12), (151.5, 12)]
    for number, card in enumerate(cards):
        x, y = slots[number % 4]
        canvas.saveState()
        canvas.translate(x * mm, y * mm)
        raw_card(canvas, card)
        canvas.restoreState()
        if number % 4 == 3:
            canvas.showPage()
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def measure(count: int, repetitions: int) -> Measurement:
    picture = photo()
    register_raw_fonts()
    # Both sides once before timing: font files parsed and caches warm, as in a running service.
    project_pdf = build_cards(make_cards(count, picture), TEXT, created=CREATED)
    raw_pdf = raw_build(make_cards(count, picture))
    if not project_pdf.startswith(b"%PDF") or not raw_pdf.startswith(b"%PDF"):
        raise SystemExit("a side did not produce a PDF")
    project, baseline, peak = compare(
        lambda: build_cards(make_cards(count, picture), TEXT, created=CREATED),
        lambda: raw_build(make_cards(count, picture)),
        repetitions=repetitions,
    )
    return Measurement(
        name=f"accreditation cards PDF, {count} cards on A4 sheets",
        baseline="raw reportlab, same elements at fixed sizes",
        project_seconds=project,
        baseline_seconds=baseline,
        project_peak_mb=peak,
        goal="≤ 1.3×",
    )


def main(argv: list[str] | None = None) -> Measurement:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=200)
    parser.add_argument("--repetitions", type=int, default=3)
    arguments = parser.parse_args(argv)
    result = measure(arguments.cards, arguments.repetitions)
    print(HEADER)
    print(result.line())
    return result


if __name__ == "__main__":
    main()
