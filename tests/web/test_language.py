"""The interface language: chosen with ?lang=, remembered, or taken from the browser."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po
from litestar import Litestar
from litestar.testing import TestClient

from tracker.i18n import LOCALES

HTML = {"accept": "text/html"}


def test_it_speaks_english_by_default(client: TestClient[Litestar]) -> None:
    page = client.get("/", headers=HTML).text

    assert '<html lang="en">' in page
    assert "Accredited international observers" in page


def test_lang_switches_the_page_and_is_remembered(client: TestClient[Litestar]) -> None:
    switched = client.get("/", params={"lang": "ru"}, headers=HTML)

    assert '<html lang="ru">' in switched.text
    assert "Аккредитованные международные наблюдатели" in switched.text
    assert "lang=ru" in switched.headers["set-cookie"]
    later = client.get("/", headers=HTML).text
    assert '<html lang="ru">' in later
    assert "208 международных наблюдателей из 16 стран и 4 международных организаций" in later


def test_it_follows_the_browser_when_nothing_was_chosen(client: TestClient[Litestar]) -> None:
    page = client.get("/", headers=HTML | {"accept-language": "kk-KZ,kk;q=0.9,ru;q=0.8"}).text

    assert '<html lang="kk">' in page
    assert "16 елден және 4 халықаралық ұйымнан 208 халықаралық байқаушы" in page


def test_the_staff_pages_are_translated_too(client: TestClient[Litestar]) -> None:
    page = client.get("/staff/sign-in", params={"lang": "kk"}, headers=HTML).text

    assert '<html lang="kk">' in page
    assert "Кіру" in page


def test_an_unknown_language_falls_back_without_an_error(client: TestClient[Litestar]) -> None:
    response = client.get("/", params={"lang": "xx"}, headers=HTML)

    assert response.status_code == 200
    assert '<html lang="en">' in response.text


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_interface_message_is_translated(lang: str) -> None:
    with (LOCALES / "messages.pot").open("rb") as template:
        wanted = {message.id for message in read_po(template) if message.id}
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalog = read_po(source, locale=lang)
    translated = {
        message.id
        for message in catalog
        if message.id and (all(message.string) if isinstance(message.string, tuple) else message.string)
    }

    assert wanted - translated == set()


def test_the_catalog_template_holds_every_message_in_the_code() -> None:
    """Fails when new interface text was added without `make messages` (and so without translations)."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    root = LOCALES.parent.parent
    with (root / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2)}
    found = set()
    for directory in ("tracker", "templates"):
        for _, _, message, _, _ in extract_from_dir(
            root / directory,
            method_map=[(f"{p.split('/', 1)[1]}", m) for p, m in method_map],
            options_map={f"{p.split('/', 1)[1]}": o for p, o in options_map.items()},
            keywords=keywords,
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    with (LOCALES / "messages.pot").open("rb") as template:
        listed = {message.id[0] if isinstance(message.id, tuple) else message.id for message in read_po(template)}

    assert found - listed == set()
