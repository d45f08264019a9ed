"""Accreditation cards as their readers see them: pages measured, text read back with pypdf, every character's
box located with PDFium, QR codes scanned from rendered pages, cut marks looked for in the rendered pixels."""

from __future__ import annotations

import dataclasses
import io
import math
import weakref
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pypdfium2
import pytest
import zxingcpp
from PIL import Image
from reportlab.lib.units import mm

from reports.badges import Card, CardText, Layout, build_cards, sheet_slots
from tests.unit.test_bulletin import KAZAKH_LETTERS, fonts, page_texts, read
from tracker.services.badges import CHECK_CODE_ALPHABET, check_code, signature, typed_check_code

CREATED = datetime(2023, 3, 1, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))
A4_LANDSCAPE = (297 * mm, 210 * mm)
CARD = (135 * mm, 90 * mm)
PIXELS_PER_POINT = 3

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


def verify_url(badge: str, signature: str) -> str:
    return f"https://tally.example.kz/verify?badge={badge}&sig={signature}"


def png(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


ASEL = Card(
    badge_number="M23-00087",
    name_original="Әсел Құрманғазықызы",
    name_latin="Asel Kurmangazykyzy",
    sender="ЕҚЫҰ/ДИАҚБ / OSCE/ODIHR",
    role="Қысқа мерзімді байқаушы / Short-term observer",
    valid_until="19.03.2023",
    verify_url=verify_url("M23-00087", "3f9a0c1d2e3f4a5b"),
    check_code="K7QM-3XWP",
    photo=png(60, 80, (176, 120, 90)),  # portrait, as passport photos are
)
IRINA = Card(
    badge_number="M23-00088",
    name_original="Ирина Соколова",
    name_latin="Irina Sokolova",
    sender="ТМД Парламентаралық Ассамблеясы / CIS Interparliamentary Assembly",
    role="Байқаушы / Observer",
    valid_until="19.03.2023",
    verify_url=verify_url("M23-00088", "b7e21c09d4a3f650"),
    check_code="HHQ9-H8TU",
)
MEHMET = Card(
    badge_number="M23-00089",
    name_original="Mehmet Yılmaz",
    name_latin="Mehmet Yilmaz",
    sender="Түркия / Türkiye",
    role="Миссия басшысы / Head of mission",
    valid_until="19.03.2023",
    verify_url=verify_url("M23-00089", "0c4d2e6f8a1b3c5d"),
    check_code="VSHN-9GJ3",
)
BOLD = Card(
    badge_number="M23-00090",
    name_original="Батболд Цэрэндорж",
    name_latin="Batbold Tserendorj",
    sender="Моңғолия / Mongolia",
    role="Сарапшы / Expert",
    valid_until="20.03.2023",
    verify_url=verify_url("M23-00090", "9e8d7c6b5a493827"),
    check_code="7AYN-SJN2",
    photo=png(80, 60, (90, 120, 176)),  # landscape: must fit the portrait box without being stretched
)
GULNARA = Card(
    badge_number="M23-00091",
    name_original="Гүлнар Өтебаева",
    name_latin="Gulnar Otebayeva",
    sender="Өзбекстан / Uzbekistan",
    role="Аудармашы / Interpreter",
    valid_until="19.03.2023",
    verify_url=verify_url("M23-00091", "1a2b3c4d5e6f7081"),
    check_code="G4HC-7BQV",
)
CARDS = (ASEL, IRINA, MEHMET, BOLD, GULNARA)
LONG_NAME = ("Құрманғазықызы Әсел Ирина Соколова " * 4)[:120].strip()


def build(cards: tuple[Card, ...] = CARDS, **options: object) -> bytes:
    return build_cards(cards, TEXT, **{"created": CREATED, **options})


def text_of(content: bytes) -> str:
    return " ".join(page_texts(content))


def characters(content: bytes, page_number: int = 0) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Every printed character of a page with its box (left, bottom, right, top) in points; spaces left out."""
    document = pypdfium2.PdfDocument(content)
    try:
        textpage = document[page_number].get_textpage()
        boxes = (
            (textpage.get_text_range(index, 1), textpage.get_charbox(index)) for index in range(textpage.count_chars())
        )
        return [(char, box) for char, box in boxes if not char.isspace()]
    finally:
        document.close()


def rendered_pages(content: bytes) -> list[Image.Image]:
    document = pypdfium2.PdfDocument(content)
    try:
        return [page.render(scale=PIXELS_PER_POINT).to_pil().convert("L") for page in document]
    finally:
        document.close()


def qr_codes_per_page(content: bytes) -> list[list[zxingcpp.Barcode]]:
    return [
        [code for code in zxingcpp.read_barcodes(image) if code.format == zxingcpp.BarcodeFormat.QRCode]
        for image in rendered_pages(content)
    ]


def mediabox(content: bytes) -> list[tuple[float, float]]:
    return [(float(page.mediabox.width), float(page.mediabox.height)) for page in read(content).pages]


def images(content: bytes) -> list[object]:
    found = []
    for page in read(content).pages:
        for xobject in page["/Resources"].get("/XObject", {}).values():
            if xobject.get_object()["/Subtype"] == "/Image":
                found.append(xobject.get_object())
    return found


def within(box: tuple[float, float, float, float], left: float, bottom: float, right: float, top: float) -> bool:
    return box[0] >= left and box[1] >= bottom and box[2] <= right and box[3] <= top


@pytest.fixture(scope="module")
def sheet() -> bytes:
    return build()


@pytest.fixture(scope="module")
def single() -> bytes:
    return build(layout=Layout.SINGLE)


# --- pages ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 4, 5, 9])
def test_a_sheet_is_a4_landscape_with_four_cards_a_page(count: int) -> None:
    sizes = mediabox(build(CARDS[:1] * count))

    assert len(sizes) == math.ceil(count / 4)
    for width, height in sizes:
        assert width == pytest.approx(A4_LANDSCAPE[0], abs=0.5)
        assert height == pytest.approx(A4_LANDSCAPE[1], abs=0.5)


def test_a_card_printer_gets_one_135_by_90_mm_page_per_card(single: bytes) -> None:
    sizes = mediabox(single)

    assert len(sizes) == len(CARDS)
    for width, height in sizes:
        assert width == pytest.approx(CARD[0], abs=0.5)
        assert height == pytest.approx(CARD[1], abs=0.5)


def test_the_four_cards_of_a_sheet_are_135_by_90_mm_centred_and_apart() -> None:
    slots = sheet_slots()
    lefts, bottoms = sorted({x for x, _ in slots}), sorted({y for _, y in slots})

    assert len(slots) == 4
    assert lefts[0] == pytest.approx(A4_LANDSCAPE[0] - (lefts[1] + CARD[0]), abs=0.5)
    assert bottoms[0] == pytest.approx(A4_LANDSCAPE[1] - (bottoms[1] + CARD[1]), abs=0.5)
    assert lefts[1] >= lefts[0] + CARD[0]
    assert bottoms[1] >= bottoms[0] + CARD[1]


def test_every_card_corner_has_cut_marks_outside_the_card(sheet: bytes) -> None:
    page = rendered_pages(sheet)[0]

    def darkest(x: float, y: float) -> int:
        column, row = round(x * PIXELS_PER_POINT), round((A4_LANDSCAPE[1] - y) * PIXELS_PER_POINT)
        return min(page.getpixel((column + dx, row + dy)) for dx in (-1, 0, 1) for dy in (-1, 0, 1))

    for left, bottom in sheet_slots():
        for x, outward_x in ((left, -1), (left + CARD[0], 1)):
            for y, outward_y in ((bottom, -1), (bottom + CARD[1], 1)):
                # A mark continues each edge 3 mm out, and stops short of the corner: it does not touch the card.
                assert darkest(x + outward_x * 3 * mm, y) < 160
                assert darkest(x, y + outward_y * 3 * mm) < 160
                assert darkest(x + outward_x * 0.5 * mm, y) > 240
                assert darkest(x, y + outward_y * 0.5 * mm) > 240


# --- what each card says --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("card", CARDS, ids=lambda card: card.badge_number)
@pytest.mark.parametrize("layout", list(Layout))
def test_each_card_shows_its_observer(card: Card, layout: Layout, sheet: bytes, single: bytes) -> None:
    text = text_of(sheet if layout is Layout.SHEET else single)

    for value in (card.badge_number, card.name_original, card.name_latin, card.sender, card.role, card.valid_until):
        assert value in text


def test_a_single_card_page_carries_one_observer(single: bytes) -> None:
    pages = page_texts(single)

    assert [card.badge_number in page for card, page in zip(CARDS, pages, strict=True)] == [True] * len(CARDS)
    assert "Ирина Соколова" not in pages[0]


def test_the_fixed_words_are_on_every_card(single: bytes) -> None:
    for page in page_texts(single):
        for words in (TEXT.title, TEXT.badge_label, TEXT.sender_label, TEXT.role_label, TEXT.valid_until_label):
            assert words in page
        assert "Орталық сайлау комиссиясы" in page


def test_kazakh_and_russian_names_keep_their_letters(sheet: bytes) -> None:
    text = text_of(sheet)

    assert "Әсел Құрманғазықызы" in text
    assert "Ирина Соколова" in text
    assert "Гүлнар Өтебаева" in text


def test_every_kazakh_letter_comes_through() -> None:
    card = dataclasses.replace(ASEL, name_original=KAZAKH_LETTERS)

    assert KAZAKH_LETTERS in text_of(build((card,)))


def test_nothing_prints_as_a_replacement_glyph(sheet: bytes) -> None:
    text = text_of(sheet)

    assert "\ufffd" not in text
    assert "■" not in text


def test_texts_from_the_data_are_printed_literally_not_read_as_markup() -> None:
    card = dataclasses.replace(IRINA, sender="Smith & Sons <i>Ltd</i>", name_latin="A <b>B</b> & C")

    text = text_of(build((card,)))

    assert "Smith & Sons <i>Ltd</i>" in text
    assert "A <b>B</b> & C" in text


@pytest.mark.parametrize("layout", list(Layout))
def test_every_font_is_an_embedded_dejavu(layout: Layout, sheet: bytes, single: bytes) -> None:
    found = fonts(sheet if layout is Layout.SHEET else single)

    assert found
    for font in found:
        assert "DejaVu" in font["/BaseFont"]
        if "/FontDescriptor" in font:
            assert "/FontFile2" in font["/FontDescriptor"].get_object()


@pytest.mark.parametrize("layout", list(Layout))
def test_there_is_no_helvetica(layout: Layout, sheet: bytes, single: bytes) -> None:
    content = sheet if layout is Layout.SHEET else single

    assert [font["/BaseFont"] for font in fonts(content) if "Helvetica" in font["/BaseFont"]] == []
    assert b"Helvetica" not in content


# --- QR codes -------------------------------------------------------------------------------------------------------


def test_each_sheet_page_scans_to_its_cards_verify_addresses(sheet: bytes) -> None:
    scanned = [sorted(code.text for code in codes) for codes in qr_codes_per_page(sheet)]

    assert scanned == [sorted(card.verify_url for card in CARDS[:4]), [GULNARA.verify_url]]


def test_each_single_card_scans_to_its_verify_address(single: bytes) -> None:
    scanned = [[code.text for code in codes] for codes in qr_codes_per_page(single)]

    assert scanned == [[card.verify_url] for card in CARDS]


def test_the_qr_code_is_at_least_25_mm_on_paper(single: bytes) -> None:
    code = qr_codes_per_page(single)[0][0]
    corners = code.position

    width = (corners.top_right.x - corners.top_left.x) / PIXELS_PER_POINT
    height = (corners.bottom_left.y - corners.top_left.y) / PIXELS_PER_POINT
    assert min(width, height) >= 25 * mm


def test_the_verify_hint_is_printed_by_the_code(single: bytes) -> None:
    assert TEXT.verify_hint in page_texts(single)[0]


# --- the check code, for a check typed in ---------------------------------------------------------------------------


@pytest.mark.parametrize("layout", list(Layout))
def test_each_card_prints_its_check_code_with_its_label(layout: Layout, sheet: bytes, single: bytes) -> None:
    text = text_of(sheet if layout is Layout.SHEET else single)

    for card in CARDS:
        assert card.check_code in text
    assert text.count(TEXT.check_code_label) == len(CARDS)


def test_the_check_code_stands_under_the_qr_hint_in_the_code_s_column(single: bytes) -> None:
    chars = characters(single)
    printed = "".join(char for char, _ in chars)

    def boxes_of(words: str) -> list[tuple[float, float, float, float]]:
        start = printed.index(squeezed(words))
        return [box for _, box in chars[start : start + len(squeezed(words))]]

    hint, label, code = boxes_of(TEXT.verify_hint), boxes_of(TEXT.check_code_label), boxes_of(ASEL.check_code)
    assert max(box[3] for box in label) <= min(box[1] for box in hint)
    assert max(box[3] for box in code) <= min(box[1] for box in label)
    # In the QR code's column, clear of the card's 5 mm margin, and large enough to read: capitals 7 points
    # tall are a 10-point font.
    for box in label + code:
        assert within(box, 98 * mm, 5 * mm, 130 * mm, 30 * mm)
    assert max(box[3] - box[1] for box in code) >= 7


def test_a_check_code_is_eight_characters_that_cannot_be_mistaken_in_two_groups() -> None:
    codes = [check_code("secret", "majilis-2023", f"M23-{number:05d}") for number in range(1, 301)]

    for code in codes:
        assert len(code) == 9
        assert code[4] == "-"
        assert set(code.replace("-", "")) <= set(CHECK_CODE_ALPHABET)
    assert not set("0O1IL") & set(CHECK_CODE_ALPHABET)
    assert len(set(codes)) == len(codes)
    # Every character of the alphabet turns up: the codes are spread over all of it.
    assert set("".join(codes).replace("-", "")) == set(CHECK_CODE_ALPHABET)


def test_a_check_code_needs_the_secret_and_names_one_card_of_one_election() -> None:
    code = check_code("secret", "majilis-2023", "M23-00087")

    assert check_code("secret", "majilis-2023", "M23-00087") == code
    assert check_code("other secret", "majilis-2023", "M23-00087") != code
    assert check_code("secret", "majilis-2027", "M23-00087") != code
    assert check_code("secret", "majilis-2023", "M23-00088") != code
    assert code.replace("-", "") not in signature("secret", "majilis-2023", "M23-00087").upper()


@pytest.mark.parametrize("typed", ["K7QM-3XWP", "k7qm-3xwp", "K7QM3XWP", " k7qm 3xwp ", "K7 QM-3X WP", "k7qm\t3xwp"])
def test_a_typed_code_is_read_without_case_spaces_or_dash(typed: str) -> None:
    assert typed_check_code(typed) == "K7QM3XWP"


# --- photos ---------------------------------------------------------------------------------------------------------


def test_a_photo_is_embedded_as_an_image() -> None:
    assert len(images(build((ASEL,)))) == 1


@pytest.mark.parametrize("card", [ASEL, BOLD], ids=["portrait", "landscape"])
def test_a_photo_is_scaled_into_its_box_with_its_proportions_kept(card: Card) -> None:
    document = pypdfium2.PdfDocument(build((card,), layout=Layout.SINGLE))
    try:
        [image] = document[0].get_objects(filter=(pypdfium2.raw.FPDF_PAGEOBJ_IMAGE,))
        left, bottom, right, top = image.get_bounds()
        pixels_wide, pixels_high = image.get_px_size()
    finally:
        document.close()

    assert (right - left) / (top - bottom) == pytest.approx(pixels_wide / pixels_high, rel=0.01)
    # As large as the 30 × 40 mm box allows: it fills the box's width or its height.
    assert right - left <= 30 * mm + 0.5
    assert top - bottom <= 40 * mm + 0.5
    assert max((right - left) / (30 * mm), (top - bottom) / (40 * mm)) == pytest.approx(1, abs=0.01)
    assert within((left, bottom, right, top), 0, 0, CARD[0], CARD[1])


def test_a_card_without_a_photo_builds_without_an_image() -> None:
    content = build((IRINA,))

    assert images(content) == []
    assert IRINA.name_original in text_of(content)


def test_a_photo_that_is_not_an_image_is_refused() -> None:
    with pytest.raises(ValueError, match="M23-00087 is not a readable JPEG or PNG"):
        build((dataclasses.replace(ASEL, photo=b"not a photo"),))


# --- long texts stay on the card ------------------------------------------------------------------------------------


LONG_TEXTS = {
    "120 characters": {"name_original": LONG_NAME, "name_latin": LONG_NAME, "sender": LONG_NAME},
    "one 60-letter word": {"name_original": "Құрманғазы" * 6, "name_latin": "Kurmangazy" * 6},
    "2,000 characters": {"name_original": "Әсел " * 400, "sender": "OSCE " * 400, "role": "Observer " * 400},
}


@pytest.mark.parametrize("changes", LONG_TEXTS.values(), ids=LONG_TEXTS.keys())
def test_long_texts_stay_on_the_card(changes: dict[str, str]) -> None:
    content = build((dataclasses.replace(IRINA, **changes),), layout=Layout.SINGLE)

    outside = [
        char for char, box in characters(content) if not within(box, 2 * mm, 2 * mm, CARD[0] - 2 * mm, CARD[1] - 2 * mm)
    ]
    assert outside == []


@pytest.mark.parametrize("changes", LONG_TEXTS.values(), ids=LONG_TEXTS.keys())
def test_on_a_sheet_long_texts_stay_on_their_own_card(changes: dict[str, str]) -> None:
    content = build((dataclasses.replace(IRINA, **changes),) * 4)
    cards = [(x, y, x + CARD[0], y + CARD[1]) for x, y in sheet_slots()]

    stray = [char for char, box in characters(content) if not any(within(box, *card) for card in cards)]
    assert stray == []


LONG_NAMES = {"120 characters": LONG_NAME, "one 60-letter word": "Құрманғазы" * 6, "2,000 characters": "Әсел " * 400}


def squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("name", LONG_NAMES.values(), ids=LONG_NAMES.keys())
def test_a_long_name_keeps_to_its_column_above_the_details_and_clear_of_the_code(name: str) -> None:
    content = build((dataclasses.replace(IRINA, name_original=name),), layout=Layout.SINGLE)
    chars = characters(content)
    printed = "".join(char for char, _ in chars)

    def boxes_of(words: str) -> tuple[int, list[tuple[float, float, float, float]]]:
        start = printed.index(squeezed(words))
        return start, [box for _, box in chars[start : start + len(squeezed(words))]]

    # Characters come in drawing order: the title, then the two names, then the sender's label.
    title_start, _ = boxes_of(TEXT.title)
    sender_start, sender_label = boxes_of(TEXT.sender_label)
    _, hint = boxes_of(TEXT.verify_hint)
    names = [box for _, box in chars[title_start + len(squeezed(TEXT.title)) : sender_start]]

    assert min(box[1] for box in names) >= max(box[3] for box in sender_label)
    assert max(box[2] for box in names) <= min(box[0] for box in hint)


# A word is only broken at the smallest size: a 40-letter one still fits a line, a 60-letter one is broken.
@pytest.mark.parametrize("name", [LONG_NAME, "Құрманғазы" * 4], ids=["120 characters", "one 40-letter word"])
def test_a_long_name_is_shrunk_and_printed_whole(name: str) -> None:
    content = build((dataclasses.replace(IRINA, name_original=name, name_latin=name),))

    assert text_of(content).count(name) == 2


def test_a_name_too_long_for_any_size_is_cut_short_with_an_ellipsis() -> None:
    text = text_of(build((dataclasses.replace(IRINA, name_original="Әсел " * 400),)))

    assert "Әсел Әсел" in text
    assert "…" in text


# --- determinism and metadata ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", list(Layout))
def test_the_same_cards_give_the_same_bytes(layout: Layout, sheet: bytes, single: bytes) -> None:
    assert build(layout=layout) == (sheet if layout is Layout.SHEET else single)


def test_another_created_time_gives_other_bytes(sheet: bytes) -> None:
    assert build(created=datetime(2023, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))) != sheet


def test_the_creation_date_is_created(sheet: bytes) -> None:
    metadata = read(sheet).metadata

    assert metadata.creation_date == CREATED
    assert metadata.modification_date == CREATED


def test_a_created_time_without_a_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        build(created=datetime(2023, 3, 1, 10, 0))


@pytest.mark.parametrize("cards", [(), iter(())], ids=["empty tuple", "empty generator"])
def test_no_cards_is_refused(cards: object) -> None:
    with pytest.raises(ValueError, match="at least one card"):
        build_cards(cards, TEXT, created=CREATED)  # type: ignore[arg-type]


# --- many cards -----------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Stream:
    """Hands out `count` cards one at a time, and notes how many earlier cards were still alive at each hand-out."""

    count: int
    alive_at_handout: list[int] = dataclasses.field(default_factory=list)

    def __iter__(self) -> Iterator[Card]:
        handed_out: list[weakref.ref[Card]] = []
        for number in range(self.count):
            # The builder may still hold the card it has just drawn; any older one should be gone.
            self.alive_at_handout.append(sum(ref() is not None for ref in handed_out[:-1]))
            badge = f"M23-{number:05d}"
            card = dataclasses.replace(MEHMET, badge_number=badge, verify_url=verify_url(badge, f"{number:016x}"))
            handed_out.append(weakref.ref(card))
            yield card
            del card


@pytest.fixture(scope="module")
def four_hundred() -> tuple[Stream, bytes]:
    stream = Stream(400)
    return stream, build_cards(stream, TEXT, created=CREATED)


def test_four_hundred_cards_from_a_generator_make_a_hundred_sheets(four_hundred: tuple[Stream, bytes]) -> None:
    _, content = four_hundred

    pages = read(content).pages
    assert len(pages) == 100
    assert "M23-00399" in pages[-1].extract_text()


def test_the_builder_lets_go_of_each_card_once_it_is_drawn(four_hundred: tuple[Stream, bytes]) -> None:
    stream, _ = four_hundred

    assert len(stream.alive_at_handout) == 400
    assert max(stream.alive_at_handout) == 0
