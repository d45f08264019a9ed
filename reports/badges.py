"""Accreditation cards: 135 × 90 mm badges as a PDF, four to an A4 sheet with cut marks or one per page.

Plain data in, bytes out: every word arrives translated and formatted by the caller. Each card carries
the observer's names in both scripts, the sender, role and validity, a photo (or a frame to paste one
in), a QR code that opens the public check of the badge, and under it the check code to type in
instead. Text the card does not control (names, senders, bilingual labels) is set in a fixed box and
shrinks, wraps or, past all reason, is cut short, so that nothing ever runs off the card. The same input
always gives the same bytes (reportlab's invariant mode, and the dates taken from `created`).
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from reports import scripts
from reports.bulletin import pdf_date
from reports.charts import INK, drawing
from reports.fonts import BOLD, REGULAR, register_fonts


@dataclass(frozen=True)
class Card:
    badge_number: str  # "M23-00087"
    name_original: str  # in the observer's own script
    name_latin: str
    sender: str  # country or organization, in the card's language(s)
    role: str
    valid_until: str  # already formatted: "19.03.2023"
    verify_url: str  # the QR code carries exactly this
    check_code: str  # for a check typed in instead of scanned: "K7QM-3XWP"
    photo: bytes | None = None  # JPEG or PNG


@dataclass(frozen=True)
class CardText:
    """The words every card shares, already translated (may be bilingual: "Байқаушы / Observer")."""

    commission: str
    election: str
    title: str
    badge_label: str
    sender_label: str
    role_label: str
    valid_until_label: str
    verify_hint: str
    check_code_label: str


class Layout(enum.StrEnum):
    SHEET = "sheet"  # four cards on A4 landscape, with cut marks
    SINGLE = "single"  # one card per 135 × 90 mm page, for card printers


@dataclass(frozen=True)
class Box:
    """A rectangle on the card, in points from the card's lower left corner."""

    x: float
    top: float
    width: float
    height: float


CARD_WIDTH, CARD_HEIGHT = 135 * mm, 90 * mm
SHEET = landscape(A4)
# Cards on a sheet stand this far apart: each has its own cut marks, and a slightly crooked cut
# trims the gap rather than the neighbouring card.
GUTTER = 6 * mm
MARK_OFFSET, MARK_LENGTH = 1.5 * mm, 3 * mm
BAND_HEIGHT = 16 * mm
GREY = colors.HexColor("#555555")
FRAME = colors.HexColor("#999999")
MIN_SIZE = 5  # points: below this a name cannot be read, so a longer one is cut short instead
# With its quiet zone of four modules: the code itself is at least 25 mm for any address of 27 characters or more.
QR_SIZE = 32 * mm

# The boxes of one card (its inner margin is 5 mm): photo on the left, names and details in the middle,
# the QR code on the right, commission and election in the band along the top.
COMMISSION = Box(5 * mm, 88 * mm, 125 * mm, 6.5 * mm)
ELECTION = Box(5 * mm, 81 * mm, 125 * mm, 6.5 * mm)
TITLE = Box(5 * mm, 72.5 * mm, 125 * mm, 7 * mm)
PHOTO = Box(5 * mm, 63 * mm, 30 * mm, 40 * mm)
NAME_ORIGINAL = Box(39 * mm, 63 * mm, 57 * mm, 12 * mm)
NAME_LATIN = Box(39 * mm, 50.5 * mm, 57 * mm, 8.5 * mm)
SENDER = Box(39 * mm, 41 * mm, 57 * mm, 9.5 * mm)
ROLE = Box(39 * mm, 30.5 * mm, 57 * mm, 7.5 * mm)
BADGE = Box(5 * mm, 19 * mm, 50 * mm, 14 * mm)
VALID_UNTIL = Box(59 * mm, 19 * mm, 37 * mm, 14 * mm)
QR = Box(98 * mm, 63 * mm, QR_SIZE, QR_SIZE)
HINT = Box(98 * mm, 30 * mm, QR_SIZE, 14 * mm)
CHECK_CODE = Box(98 * mm, 14 * mm, QR_SIZE, 9 * mm)


def style(name: str, size: float, **changes: object) -> ParagraphStyle:
    return ParagraphStyle(name, **{"fontName": REGULAR, "fontSize": size, "leading": size * 1.2, **changes})


COMMISSION_STYLE = style("commission", 9, fontName=BOLD, textColor=colors.white, alignment=TA_CENTER)
ELECTION_STYLE = style("election", 7.5, textColor=colors.white, alignment=TA_CENTER)
TITLE_STYLE = style("title", 12, fontName=BOLD, textColor=INK, alignment=TA_CENTER)
NAME_ORIGINAL_STYLE = style("name original", 15, fontName=BOLD)
NAME_LATIN_STYLE = style("name latin", 12)
LABEL_STYLE = style("label", 6, textColor=GREY)
VALUE_STYLE = style("value", 9)
BADGE_STYLE = style("badge", 20, fontName=BOLD, textColor=INK)
VALID_UNTIL_STYLE = style("valid until", 12, fontName=BOLD)
HINT_STYLE = style("hint", 6.5, textColor=GREY, alignment=TA_CENTER)
CENTRED_LABEL_STYLE = style("centred label", 6, textColor=GREY, alignment=TA_CENTER)
CHECK_CODE_STYLE = style("check code", 12, fontName=BOLD, textColor=INK, alignment=TA_CENTER)


def paragraph(value: str, paragraph_style: ParagraphStyle, size: float) -> Paragraph:
    """`value` at `size`, in any script."""
    sized = ParagraphStyle(f"{paragraph_style.name} {size}", paragraph_style, fontSize=size, leading=size * 1.2)
    return scripts.paragraph(value, sized)


def fits(candidate: Paragraph, width: float, height: float) -> bool:
    # The longest word counts too: a paragraph only breaks words apart that are wider than its line.
    return candidate.minWidth() <= width and candidate.wrap(width, height)[1] <= height


def fitted(value: str, paragraph_style: ParagraphStyle, width: float, height: float) -> Paragraph:
    """`value` at the largest size, from the style's own down to MIN_SIZE, that fits `width` × `height`."""
    size = paragraph_style.fontSize
    while size > MIN_SIZE:
        candidate = paragraph(value, paragraph_style, size)
        if fits(candidate, width, height):
            return candidate
        size -= 0.5
    return cut_to_fit(value, paragraph_style, width, height)


def cut_to_fit(value: str, paragraph_style: ParagraphStyle, width: float, height: float) -> Paragraph:
    """At the smallest size, the longest start of `value` that fits, ending in an ellipsis.

    Only text far longer than any real name or sender gets here; long words are broken at this size.
    """
    whole = paragraph(value, paragraph_style, MIN_SIZE)
    if whole.wrap(width, height)[1] <= height:
        return whole
    shortest, longest = 0, len(value)  # a start that fits, and one that does not
    while longest - shortest > 1:
        middle = (shortest + longest) // 2
        if paragraph(value[:middle] + "…", paragraph_style, MIN_SIZE).wrap(width, height)[1] <= height:
            shortest = middle
        else:
            longest = middle
    return paragraph(value[:shortest].rstrip() + "…", paragraph_style, MIN_SIZE)


def draw_text(canvas: Canvas, value: str, paragraph_style: ParagraphStyle, box: Box) -> float:
    """`value` fitted into `box`, from its top; answers where the text ends, for what goes below it."""
    text = fitted(value, paragraph_style, box.width, box.height)
    _, height = text.wrap(box.width, box.height)
    text.drawOn(canvas, box.x, box.top - height)
    return box.top - height


def draw_field(
    canvas: Canvas,
    label: str,
    value: str,
    value_style: ParagraphStyle,
    box: Box,
    label_style: ParagraphStyle = LABEL_STYLE,
) -> None:
    """A small grey label over its value, both within `box`; a long label wraps only where the box is tall."""
    label_height = min(label_style.leading * 2, box.height / 2)
    label_end = draw_text(canvas, label, label_style, Box(box.x, box.top, box.width, label_height))
    below = Box(box.x, label_end - 0.5 * mm, box.width, box.height - (box.top - label_end) - 0.5 * mm)
    draw_text(canvas, value, value_style, below)


def draw_band(canvas: Canvas, text: CardText) -> None:
    canvas.setFillColor(INK)
    canvas.rect(0, CARD_HEIGHT - BAND_HEIGHT, CARD_WIDTH, BAND_HEIGHT, stroke=0, fill=1)
    draw_text(canvas, text.commission, COMMISSION_STYLE, COMMISSION)
    draw_text(canvas, text.election, ELECTION_STYLE, ELECTION)


def draw_photo(canvas: Canvas, card: Card) -> None:
    """The photo scaled into its box and centred, aspect kept; without one, a frame to paste a print into."""
    box = PHOTO
    if card.photo is None:
        canvas.setStrokeColor(FRAME)
        canvas.setLineWidth(0.5)
        canvas.setDash(2, 2)
        canvas.rect(box.x, box.top - box.height, box.width, box.height, stroke=1, fill=0)
        canvas.setDash()
        return
    try:
        image = ImageReader(BytesIO(card.photo))
        canvas.drawImage(
            image, box.x, box.top - box.height, box.width, box.height, preserveAspectRatio=True, anchor="c", mask="auto"
        )
    except OSError as error:  # Pillow's "cannot identify image file" and truncated files alike
        raise ValueError(f"the photo on card {card.badge_number} is not a readable JPEG or PNG image") from error


def draw_qr_code(canvas: Canvas, card: Card, text: CardText) -> None:
    # Level M survives a scuffed or creased badge better than the widget's default, L.
    code = drawing(QR.width, QR.height)
    code.add(QrCodeWidget(card.verify_url, barWidth=QR.width, barHeight=QR.height, barLevel="M"))
    renderPDF.draw(code, canvas, QR.x, QR.top - QR.height)
    draw_text(canvas, text.verify_hint, HINT_STYLE, HINT)
    draw_field(canvas, text.check_code_label, card.check_code, CHECK_CODE_STYLE, CHECK_CODE, CENTRED_LABEL_STYLE)


def draw_card(canvas: Canvas, card: Card, text: CardText) -> None:
    """One card with its lower left corner at the canvas' origin."""
    draw_band(canvas, text)
    draw_text(canvas, text.title, TITLE_STYLE, TITLE)
    draw_photo(canvas, card)
    draw_text(canvas, card.name_original, NAME_ORIGINAL_STYLE, NAME_ORIGINAL)
    draw_text(canvas, card.name_latin, NAME_LATIN_STYLE, NAME_LATIN)
    draw_field(canvas, text.sender_label, card.sender, VALUE_STYLE, SENDER)
    draw_field(canvas, text.role_label, card.role, VALUE_STYLE, ROLE)
    draw_field(canvas, text.badge_label, card.badge_number, BADGE_STYLE, BADGE)
    draw_field(canvas, text.valid_until_label, card.valid_until, VALID_UNTIL_STYLE, VALID_UNTIL)
    draw_qr_code(canvas, card, text)


def draw_cut_marks(canvas: Canvas) -> None:
    """Short lines that continue each edge of the card outward from its corners, clear of the card itself."""
    canvas.saveState()
    canvas.setStrokeColor(colors.black)
    canvas.setLineWidth(0.25)
    for x, outward_x in ((0, -1), (CARD_WIDTH, 1)):
        for y, outward_y in ((0, -1), (CARD_HEIGHT, 1)):
            near, far = MARK_OFFSET, MARK_OFFSET + MARK_LENGTH
            canvas.line(x + outward_x * near, y, x + outward_x * far, y)
            canvas.line(x, y + outward_y * near, x, y + outward_y * far)
    canvas.restoreState()


def sheet_slots() -> list[tuple[float, float]]:
    """Lower left corners of the four cards on a sheet, centred, filled left to right and top to bottom."""
    left = (SHEET[0] - 2 * CARD_WIDTH - GUTTER) / 2
    bottom = (SHEET[1] - 2 * CARD_HEIGHT - GUTTER) / 2
    columns = (left, left + CARD_WIDTH + GUTTER)
    rows = (bottom + CARD_HEIGHT + GUTTER, bottom)
    return [(x, y) for y in rows for x in columns]


def new_canvas(buffer: BytesIO, layout: Layout, text: CardText, created: datetime.datetime) -> Canvas:
    page_size = SHEET if layout is Layout.SHEET else (CARD_WIDTH, CARD_HEIGHT)
    # The canvas sets an initial font on every page; left alone it is Helvetica.
    canvas = Canvas(buffer, pagesize=page_size, invariant=1, initialFontName=REGULAR)
    creation = pdf_date(created)
    # The formatter receives reportlab's (invariant, year 2000) timestamp and answers with `created`.
    canvas.setDateFormatter(lambda *_: creation)
    canvas.setTitle(f"{text.title}: {text.election}")
    canvas.setAuthor(text.commission)
    canvas.setCreator("observer-tracker")
    return canvas


def build_cards(
    cards: Iterable[Card], text: CardText, *, layout: Layout = Layout.SHEET, created: datetime.datetime
) -> bytes:
    """The cards as one PDF, drawn as they come: nothing holds on to a card once it is on its page."""
    if created.utcoffset() is None:
        raise ValueError("the cards' created time must be aware of its time zone")
    register_fonts()
    buffer = BytesIO()
    canvas = new_canvas(buffer, layout, text, created)
    slots = sheet_slots() if layout is Layout.SHEET else [(0.0, 0.0)]
    count = 0
    for count, card in enumerate(cards, start=1):
        x, y = slots[(count - 1) % len(slots)]
        canvas.saveState()  # so that each card starts from the same colours, line width and origin
        canvas.translate(x, y)
        draw_card(canvas, card, text)
        if layout is Layout.SHEET:
            draw_cut_marks(canvas)
        canvas.restoreState()
        if count % len(slots) == 0:
            canvas.showPage()
    if count == 0:
        raise ValueError("there are no cards to print: build_cards needs at least one card")
    if count % len(slots):
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
