"""Names in every script observers carry, on cards, bulletins and decision annexes: each drawn with a real
glyph of the font embedded for it, read back exactly as typed, and inked where it stands."""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pypdfium2
import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream

from reports.badges import Card, Layout, build_cards
from reports.bulletin import Row, build_bulletin
from reports.decision import Annex, Heading, Line, build_annex
from reports.scripts import markup, uncovered
from tests.unit.test_badges import TEXT, verify_url
from tests.unit.test_bulletin import make_bulletin, section

# script: (name in it, the name in Latin letters, a sender named in it)
NAMES = {
    "Latin": ("Zoë Ångström-Nuñez", "Zoe Angstrom-Nunez", "République française"),
    "Kazakh Cyrillic": ("Әлихан Нұрлыбекұлы Қасымов", "Alikhan Nurlybekuly Kassymov", "Қазақстан Республикасы"),
    "Greek": ("Γιώργος Παπαδόπουλος", "Georgios Papadopoulos", "Ελληνική Δημοκρατία"),
    "Arabic": ("محمد بن عبد الله", "Mohammed Bin Abdullah", "جامعة الدول العربية"),
    # With the zero-width non-joiner Persian spells it with: it must keep the letters apart, and read back.
    "Persian": ("پژمان نمونه\u200cزاده", "Pejman Nemounehzadeh", "جمهوری اسلامی ایران"),
    "Hebrew": ("יוסף כהן", "Yosef Cohen", "מדינת ישראל"),
    "Georgian": ("გიორგი ბერიძე", "Giorgi Beridze", "საქართველო"),
    "Armenian": ("Արամ Պետրոսյան", "Aram Petrosyan", "Հայաստանի Հանրապետություն"),
    "Devanagari": ("विनोद कुमार शर्मा", "Vinod Kumar Sharma", "भारत गणराज्य"),
    "Thai": ("สมชาย น้ำใจดี", "Somchai Namjaidee", "ราชอาณาจักรไทย"),
    "Chinese (simplified)": ("王小明", "Wang Xiaoming", "上海合作组织"),
    "Chinese (traditional)": ("陳志強", "Chen Chih-chiang", "臺灣選舉觀察團"),
    "Japanese": ("佐藤 さくら", "Sato Sakura", "日本国"),
    "Korean": ("김민준", "Kim Minjun", "대한민국"),
}
SCRIPTS = list(NAMES)
CREATED = datetime(2023, 3, 1, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))


def card(script: str) -> Card:
    original, latin, sender = NAMES[script]
    return Card(
        badge_number=f"M23-{SCRIPTS.index(script) + 1:05d}",
        name_original=original,
        name_latin=latin,
        sender=sender,
        role="Observer",
        valid_until="19.03.2023",
        verify_url=verify_url("M23-00001", "3f9a0c1d2e3f4a5b"),
        check_code="K7QM-3XWP",
    )


@pytest.fixture(scope="module")
def cards() -> bytes:
    return build_cards([card(script) for script in SCRIPTS], TEXT, layout=Layout.SINGLE, created=CREATED)


@pytest.fixture(scope="module")
def card_texts(cards: bytes) -> list[str]:
    return page_texts(cards)


@pytest.fixture(scope="module")
def bulletin() -> bytes:
    senders = tuple(Row(sender, index + 1) for index, (_, _, sender) in enumerate(NAMES.values()))
    return build_bulletin(
        make_bulletin(sections=(dataclasses.replace(section("en"), by_sender=senders),), by_sender_chart=senders)
    )


@pytest.fixture(scope="module")
def annex() -> bytes:
    return build_annex(
        Annex(
            commission="Central Election Commission",
            reference="Decision No. 12/345 of 22.02.2023",
            headings=(Heading("en", "Accredited observers", "The following are accredited."),),
            columns=("No.", "Name", "Sender"),
            lines=tuple(Line(latin, original, (sender,)) for original, latin, sender in NAMES.values()),
            reason=None,
            page_label="Page {page} of {pages}",
            footer="Decision 12/345",
            created=CREATED,
        )
    )


def page_texts(content: bytes) -> list[str]:
    """What pypdf reads off each page, line breaks made spaces (a long sender may wrap)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


def drawn(content: bytes) -> Iterator[tuple[str, str, int]]:
    """(font, the text its ToUnicode map gives, glyph's contour count) for every character code drawn, read
    from the content streams and looked up in the font program embedded for it."""
    reader = PdfReader(io.BytesIO(content))
    for page in reader.pages:
        resources = page["/Resources"]["/Font"]
        font = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                font = resources[operands[0]].get_object()
            elif operator in (b"Tj", b"TJ") and font is not None and "/FontDescriptor" in font:
                strings = operands[0] if operator == b"TJ" else [operands[0]]
                program, to_unicode = _program(font)
                cmap = program.getBestCmap() or program["cmap"].tables[0].cmap
                for string in strings:
                    if isinstance(string, (int, float)):
                        continue
                    codes = string.original_bytes if hasattr(string, "original_bytes") else bytes(string)
                    for code in codes:
                        glyph = cmap.get(code, ".notdef")
                        contours = program["glyf"][glyph].numberOfContours if glyph != ".notdef" else 0
                        yield str(font["/BaseFont"]), to_unicode.get(code, glyph), contours, glyph


_programs: dict[int, tuple[TTFont, dict[int, str]]] = {}


def _program(font: object) -> tuple[TTFont, dict[int, str]]:
    key = id(font)
    if key not in _programs:
        data = font["/FontDescriptor"]["/FontFile2"].get_data()
        cmap = font["/ToUnicode"].get_object().get_data()
        pairs = re.findall(rb"<([0-9A-F]{2})> <([0-9A-F]*)>", cmap[cmap.index(b"beginbfchar") :])
        to_unicode = {int(code, 16): bytes.fromhex(text.decode()).decode("utf-16-be") for code, text in pairs}
        _programs[key] = (TTFont(io.BytesIO(data)), to_unicode)
    return _programs[key]


def inked(content: bytes, text: str, pages: slice = slice(None)) -> list[int]:
    """For each of `pages`, how many dark pixels lie where PDFium finds `text` (its glyphs' boxes), or -1 where
    it is not on the page."""
    found = []
    document = pypdfium2.PdfDocument(content)
    for page in list(document)[pages]:
        scale = 3
        image = page.render(scale=scale).to_pil().convert("L")
        textpage = page.get_textpage()
        # A name may wrap: PDFium's line break matches the space it replaced. A glyph that stands for no
        # letter (the second half of Thai's sara am) reads as its control code in PDFium: skipped.
        kept = [(i, c) for i, c in enumerate(textpage.get_text_range()) if c in "\r\n" or c.isprintable()]
        spaced = "".join(" " if c.isspace() else c for _, c in kept)
        visible = "".join(c for c in text if c.isprintable() or c.isspace())
        match = re.search(r"\s+".join(re.escape(word) for word in visible.split()), spaced)
        if match is None:
            found.append(-1)
            continue
        indexes = [kept[k][0] for k in range(match.start(), match.end()) if not spaced[k].isspace()]
        boxes = [textpage.get_charbox(i) for i in indexes]
        left, bottom = min(b[0] for b in boxes), min(b[1] for b in boxes)
        right, top = max(b[2] for b in boxes), max(b[3] for b in boxes)
        height = page.get_height()
        region = image.crop((left * scale, (height - top) * scale, right * scale, (height - bottom) * scale))
        found.append(sum(1 for value in region.get_flattened_data() if value < 128))
    return found


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_card_prints_a_name_and_sender_in_every_script(script: str, card_texts: list[str]) -> None:
    original, latin, sender = NAMES[script]
    text = card_texts[SCRIPTS.index(script)]

    assert original in text
    assert latin in text
    assert sender in text


@pytest.mark.parametrize("script", SCRIPTS)
def test_each_name_has_ink_where_it_stands_on_its_card(script: str, cards: bytes) -> None:
    original = NAMES[script][0]

    page = SCRIPTS.index(script)

    assert inked(cards, original, slice(page, page + 1)) > [40]


@pytest.mark.parametrize("document", ["cards", "bulletin", "annex"])
def test_every_glyph_drawn_is_a_real_glyph_of_the_embedded_font(document: str, request: pytest.FixtureRequest) -> None:
    content = request.getfixturevalue(document)
    glyphs = list(drawn(content))
    families = {re.sub(r"^/[A-Z]{6}\+|-(Regular|Bold)$", "", font) for font, *_ in glyphs}

    assert [(font, text) for font, text, _, glyph in glyphs if glyph == ".notdef"] == []
    # A glyph standing for a letter has outlines; only spaces and the invisible joiners are empty.
    assert [(font, text) for font, text, contours, _ in glyphs if text.strip("\u200c ") and contours == 0] == []
    assert {"DejaVuSans", "NotoSansArabic", "NotoSansHebrew", "NotoSansDevanagari", "NotoSansThai"} <= families
    assert {"NanumGothic", "DroidSansFallback"} <= families


def test_the_bulletin_reads_back_every_sender_in_its_script(bulletin: bytes) -> None:
    text = " ".join(page_texts(bulletin))

    assert [sender for _, _, sender in NAMES.values() if text.count(sender) < 2] == []  # in the table and chart


def test_the_annex_reads_back_every_name_in_both_scripts(annex: bytes) -> None:
    text = " ".join(page_texts(annex))

    assert [name for original, latin, _ in NAMES.values() for name in (original, latin) if name not in text] == []
    assert min(inked(annex, NAMES["Korean"][0])) > 20


def test_shaping_joins_arabic_reorders_devanagari_and_reverses_hebrew() -> None:
    # Joined Arabic letters are glyphs no character maps to: private-use codes, read back through ToUnicode.
    assert any("\ue000" <= c <= "\uf8ff" for c in markup("محمد"))
    # Hebrew, which does not join, is only set right to left: its letters in drawing order.
    assert "ןהכ" in markup("כהן")
    assert markup("Ivanov <b>&") == "Ivanov &lt;b&gt;&amp;"


def test_a_character_no_font_has_is_named() -> None:
    assert uncovered("王小明 محمد Ωμέγα") == ""
    assert uncovered("Ramses 𓀀𓁐 𓀀") == "𓀀𓁐"
