"""The press bulletin as its readers see it: the PDF opened with pypdf, its QR code scanned from a rendered page."""

from __future__ import annotations

import dataclasses
import io
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from reportlab.pdfbase import pdfmetrics

from reports.bulletin import Bulletin, NewsLink, Row, Section, TimelinePoint, build_bulletin
from reports.fonts import BOLD, REGULAR, register_fonts

# Kazinform reported the 97 observers at 21:13 Astana time on 22 February 2023 (UTC+6 then).
REPORTED = datetime(2023, 2, 22, 21, 13, tzinfo=ZoneInfo("Asia/Almaty"))
PUBLIC_URL = "https://tally.example.kz/majilis-2023"
KAZAKH_LETTERS = "ӘҒҚҢӨҰҮҺІ әғқңөұүһі"

HEADLINES = {
    "en": "97 international observers from 11 countries and three international organizations",
    "ru": "97 международных наблюдателей из 11 стран и 3 международных организаций",
    "kk": "11 елден және 3 халықаралық ұйымнан 97 халықаралық байқаушы",
}

# (en, ru, kk, acronym for the chart, observers): 3 organizations with 84 observers, 11 states with 13.
SENDERS = (
    ("OSCE/ODIHR", "ОБСЕ/БДИПЧ", "ЕҚЫҰ/ДИАҚБ", "ODIHR", 40),
    ("CIS Interparliamentary Assembly", "Межпарламентская Ассамблея СНГ", "ТМД Парламентаралық Ассамблеясы", "IPA", 30),
    ("CIS Observer Mission", "Миссия наблюдателей от СНГ", "ТМД байқаушылар миссиясы", "CIS", 14),
    ("Kyrgyzstan", "Кыргызстан", "Қырғызстан", "KG", 2),
    ("Uzbekistan", "Узбекистан", "Өзбекстан", "UZ", 2),
    ("Palestine", "Палестина", "Палестина", "PS", 1),
    ("Türkiye", "Турция", "Түркия", "TR", 1),
    ("Azerbaijan", "Азербайджан", "Әзірбайжан", "AZ", 1),
    ("Mongolia", "Монголия", "Моңғолия", "MN", 1),
    ("Tajikistan", "Таджикистан", "Тәжікстан", "TJ", 1),
    ("Egypt", "Египет", "Мысыр", "EG", 1),
    ("Hungary", "Венгрия", "Венгрия", "HU", 1),
    ("Latvia", "Латвия", "Латвия", "LV", 1),
    ("Belarus", "Беларусь", "Беларусь", "BY", 1),
)
KINDS = {
    "en": (Row("Foreign states", 13), Row("International organizations", 84)),
    "ru": (Row("Иностранные государства", 13), Row("Международные организации", 84)),
    "kk": (Row("Шет мемлекеттер", 13), Row("Халықаралық ұйымдар", 84)),
}
WORDS = {
    "en": {
        "title": "Accreditation of international observers",
        "election": "Election of deputies of the Majilis of the Parliament of the Republic of Kazakhstan, 2023",
        "as_of": "As of 22 February 2023, 21:13 (Asia/Almaty)",
        "kind_heading": "By kind of sender",
        "sender_heading": "By sender",
        "kind_column": "Kind of sender",
        "sender_column": "Sender",
        "observers_column": "Observers",
        "total_label": "Total",
    },
    "ru": {
        "title": "Аккредитация международных наблюдателей",
        "election": "Выборы депутатов Мажилиса Парламента Республики Казахстан 2023 года",
        "as_of": "По состоянию на 22 февраля 2023 г., 21:13 (Asia/Almaty)",
        "kind_heading": "По типу направившей стороны",
        "sender_heading": "По направившей стороне",
        "kind_column": "Тип направившей стороны",
        "sender_column": "Направившая сторона",
        "observers_column": "Наблюдателей",
        "total_label": "Итого",
    },
    "kk": {
        "title": "Халықаралық байқаушыларды аккредиттеу",
        "election": "Қазақстан Республикасы Парламенті Мәжілісінің депутаттарын сайлау, 2023 жыл",
        "as_of": "2023 жылғы 22 ақпандағы жағдай бойынша, 21:13 (Asia/Almaty)",
        "kind_heading": "Жіберуші тарап түрі бойынша",
        "sender_heading": "Жіберуші тарап бойынша",
        "kind_column": "Жіберуші тарап түрі",
        "sender_column": "Жіберуші тарап",
        "observers_column": "Байқаушылар саны",
        "total_label": "Барлығы",
    },
}
KAZINFORM = NewsLink(
    title="Kazakh CEC Chair Abdirov holds online meeting with observers from CIS Interparliamentary Assembly",
    source="Kazinform",
    published="22.02.2023 21:13",
    url="https://news.example.org/kazinform/cec-observers-2023-02-22",
)
UPDATE = NewsLink(
    title="Accreditation of international observers: update of 15 February 2023",
    source="Demo: commission update",
    published="15.02.2023 18:00",
    url="https://cec.example.kz/news/2023-02-15?lang=en&part=observers",
)
PRINTED_ONLY = NewsLink(title="Update read on the evening news", source="Khabar", published="22.02.2023", url=None)


def section(lang: str) -> Section:
    column = ("en", "ru", "kk").index(lang)
    senders = tuple(Row(names[column], names[4]) for names in SENDERS)
    return Section(lang=lang, headline=HEADLINES[lang], by_sender_kind=KINDS[lang], by_sender=senders, **WORDS[lang])


def make_bulletin(**changes: Any) -> Bulletin:
    bulletin = Bulletin(
        commission=("Central Election Commission of the Republic of Kazakhstan",),
        sections=(section("en"), section("ru"), section("kk")),
        chart_by_sender_title=("Observers by sender",),
        chart_timeline_title=("Accredited international observers by day",),
        date_axis=("Date",),
        count_axis=("Accredited observers",),
        by_sender_chart=tuple(Row(names[3], names[4]) for names in SENDERS),
        timeline=(
            TimelinePoint(date(2023, 2, 9), 25),
            TimelinePoint(date(2023, 2, 13), 62),
            TimelinePoint(date(2023, 2, 15), 72),
            TimelinePoint(date(2023, 2, 22), 97),
        ),
        news_heading=("In the news",),
        news=(KAZINFORM, UPDATE, PRINTED_ONLY),
        public_url=PUBLIC_URL,
        qr_caption=("Check the current tally",),
        fingerprint=("9f3c2a71e4b0",),
        page_label=("Page {page} of {pages}",),
        created=REPORTED,
        reference=("Bulletin 12",),
    )
    return dataclasses.replace(bulletin, **changes)


def with_many_senders(count: int = 40) -> Bulletin:
    """Long enough to run over several pages: `count` senders in every language and on the chart."""
    rows = tuple(Row(f"Sender number {n}", n % 7 + 1) for n in range(1, count + 1))
    sections = tuple(dataclasses.replace(section(lang), by_sender=rows) for lang in ("en", "ru", "kk"))
    chart = tuple(Row(f"S{n}", n % 7 + 1) for n in range(1, count + 1))
    return make_bulletin(sections=sections, by_sender_chart=chart)


def read(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


def page_texts(content: bytes) -> list[str]:
    """Each page's text with line breaks and runs of spaces made single spaces: a headline may wrap."""
    return [" ".join(page.extract_text().split()) for page in read(content).pages]


def all_text(content: bytes) -> str:
    return " ".join(page_texts(content))


def link_targets(content: bytes) -> list[str]:
    """The web addresses that link annotations point to, in the order drawn, once each (a link that wraps
    onto a second line is a second annotation)."""
    targets: list[str] = []
    for page in read(content).pages:
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            if annotation["/Subtype"] == "/Link" and "/A" in annotation:
                targets.append(str(annotation["/A"]["/URI"]))
    return list(dict.fromkeys(targets))


def fonts(content: bytes) -> list[DictionaryObject]:
    """Every font a page uses, as the PDF describes it (a composite font's descendants included)."""
    found = []
    for page in read(content).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            found.append(font)
            found += [descendant.get_object() for descendant in font.get("/DescendantFonts", [])]
    return found


def scanned_qr_codes(content: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(content)
    try:
        return [
            code.text
            for page in document
            for code in zxingcpp.read_barcodes(page.render(scale=3).to_pil())
            if code.format == zxingcpp.BarcodeFormat.QRCode
        ]
    finally:
        document.close()


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return build_bulletin(make_bulletin())


@pytest.fixture(scope="module")
def long_pdf() -> bytes:
    return build_bulletin(with_many_senders())


# --- languages and fonts --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_it_prints_the_headline_in_each_language(pdf: bytes, lang: str) -> None:
    assert HEADLINES[lang] in all_text(pdf)


def test_the_kazakh_headline_keeps_its_kazakh_letters(pdf: bytes) -> None:
    text = all_text(pdf)

    assert "халықаралық байқаушы" in text
    assert "ұйымнан" in text


def test_every_kazakh_letter_comes_through() -> None:
    kazakh = dataclasses.replace(section("kk"), title=KAZAKH_LETTERS)

    assert KAZAKH_LETTERS in all_text(build_bulletin(make_bulletin(sections=(kazakh,))))


def test_the_font_has_a_glyph_for_every_kazakh_letter() -> None:
    register_fonts()
    for name in (REGULAR, BOLD):
        glyphs = pdfmetrics.getFont(name).face.charToGlyph
        assert [letter for letter in KAZAKH_LETTERS.replace(" ", "") if ord(letter) not in glyphs] == []


def test_nothing_prints_as_a_replacement_glyph(pdf: bytes) -> None:
    text = all_text(pdf)

    assert "\ufffd" not in text
    assert "■" not in text


def test_every_font_is_an_embedded_dejavu(pdf: bytes) -> None:
    for font in fonts(pdf):
        assert "DejaVu" in font["/BaseFont"]
        if "/FontDescriptor" in font:
            assert "/FontFile2" in font["/FontDescriptor"].get_object()


def test_there_is_no_helvetica(pdf: bytes) -> None:
    assert [font["/BaseFont"] for font in fonts(pdf) if "Helvetica" in font["/BaseFont"]] == []


# --- tables ---------------------------------------------------------------------------------------------------------


def test_the_tables_list_every_sender_and_the_total(pdf: bytes) -> None:
    text = all_text(pdf)

    assert "OSCE/ODIHR 40" in text
    assert "ТМД байқаушылар миссиясы 14" in text
    assert "Total 97" in text
    assert "Итого 97" in text
    assert "Барлығы 97" in text


def test_texts_from_the_data_are_printed_literally_not_read_as_markup() -> None:
    escaped = dataclasses.replace(KAZINFORM, title="A & B <b>")
    sender = dataclasses.replace(section("en"), by_sender=(Row("Smith & Sons <i>Ltd</i>", 1),))

    text = all_text(build_bulletin(make_bulletin(sections=(sender,), news=(escaped,))))

    assert "A & B <b>" in text
    assert "Smith & Sons <i>Ltd</i>" in text


# --- corrections ----------------------------------------------------------------------------------------------------


def test_it_says_which_bulletin_it_corrects() -> None:
    assert "Corrects bulletin 11" in all_text(build_bulletin(make_bulletin(corrects=("Corrects bulletin 11",))))


def test_a_bulletin_that_corrects_nothing_says_nothing_about_it(pdf: bytes) -> None:
    assert "Corrects" not in all_text(pdf)


# --- charts ---------------------------------------------------------------------------------------------------------


def test_the_charts_label_senders_and_days(pdf: bytes) -> None:
    text = all_text(pdf)

    assert "Observers by sender" in text
    assert "ODIHR" in text
    assert "Accredited international observers by day" in text
    assert "09.02" in text


def test_forty_senders_each_get_a_bar_label(long_pdf: bytes) -> None:
    labels = set(all_text(long_pdf).split())

    assert {f"S{n}" for n in range(1, 41)} <= labels


def test_one_sender_and_one_day_still_make_charts() -> None:
    content = build_bulletin(
        make_bulletin(by_sender_chart=(Row("PS", 1),), timeline=(TimelinePoint(date(2023, 2, 9), 1),))
    )
    text = all_text(content)

    assert "Observers by sender" in text
    assert "Accredited international observers by day" in text
    assert "09.02" in text


def test_without_senders_or_days_the_charts_are_left_out() -> None:
    text = all_text(build_bulletin(make_bulletin(by_sender_chart=(), timeline=())))

    assert "Observers by sender" not in text
    assert "Accredited international observers by day" not in text


def test_a_timeline_of_forty_days_builds() -> None:
    days = tuple(TimelinePoint(date(2023, 2, 1) + timedelta(days=n), 3 * n) for n in range(40))

    assert "01.02" in all_text(build_bulletin(make_bulletin(timeline=days)))


# --- links and the QR code ------------------------------------------------------------------------------------------


def test_news_titles_link_to_their_articles_and_the_public_page_is_linked(pdf: bytes) -> None:
    assert link_targets(pdf) == [KAZINFORM.url, UPDATE.url, PUBLIC_URL]


def test_a_news_item_without_an_address_is_printed_but_not_linked() -> None:
    content = build_bulletin(make_bulletin(news=(PRINTED_ONLY,)))

    assert PRINTED_ONLY.title in all_text(content)
    assert link_targets(content) == [PUBLIC_URL]


def test_news_items_show_their_source_and_date(pdf: bytes) -> None:
    assert "Kazinform · 22.02.2023 21:13" in all_text(pdf)


def test_an_address_that_is_not_a_web_address_is_not_linked() -> None:
    script = dataclasses.replace(KAZINFORM, url="javascript:alert(1)")

    assert link_targets(build_bulletin(make_bulletin(news=(script,)))) == [PUBLIC_URL]


def test_the_qr_code_scans_to_the_public_page(pdf: bytes) -> None:
    assert scanned_qr_codes(pdf) == [PUBLIC_URL]


def test_the_public_address_is_printed_with_its_caption(pdf: bytes) -> None:
    text = all_text(pdf)

    assert "Check the current tally" in text
    assert PUBLIC_URL in text


# --- pages ----------------------------------------------------------------------------------------------------------


def test_every_page_carries_its_number_and_the_fingerprint(long_pdf: bytes) -> None:
    pages = page_texts(long_pdf)

    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "9f3c2a71e4b0" in text


def test_the_page_label_is_the_callers_template() -> None:
    pages = page_texts(build_bulletin(make_bulletin(page_label=("Бет {page} / {pages}",))))

    assert f"Бет 1 / {len(pages)}" in pages[0]


def test_it_is_a4() -> None:
    page = read(build_bulletin(make_bulletin())).pages[0]

    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


# --- determinism and metadata ---------------------------------------------------------------------------------------


def test_the_same_bulletin_gives_the_same_bytes(pdf: bytes) -> None:
    assert build_bulletin(make_bulletin()) == pdf


def test_another_fingerprint_gives_other_bytes(pdf: bytes) -> None:
    assert build_bulletin(make_bulletin(fingerprint=("000000000000",))) != pdf


def test_the_creation_and_modification_dates_are_created(pdf: bytes) -> None:
    metadata = read(pdf).metadata

    assert metadata.creation_date == REPORTED
    assert metadata.modification_date == REPORTED


def test_the_title_is_the_reference(pdf: bytes) -> None:
    assert read(pdf).metadata.title == "Bulletin 12"


def test_a_created_time_without_a_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        build_bulletin(make_bulletin(created=datetime(2023, 2, 22, 21, 13)))


def test_a_bulletin_needs_a_language() -> None:
    with pytest.raises(ValueError, match="at least one"):
        build_bulletin(make_bulletin(sections=()))
