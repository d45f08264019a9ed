"""The public site for other sites: Atom feeds of bulletins and news items, and the embeddable headline."""

from __future__ import annotations

import itertools
import re
from typing import Any
from xml.etree import ElementTree as ET

import feedparser
import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import select

from tests.conftest import read
from tracker import models as m
from tracker.phrases import headline
from tracker.settings import DEFAULT_PUBLIC_URL, Settings
from tracker.web.http.security import EMBEDDABLE, security_headers

ATOM = "{http://www.w3.org/2005/Atom}"
BULLETIN = {"en": "Bulletin No. {}", "ru": "Бюллетень № {}", "kk": "№ {} бюллетень"}
MAJILIS = {
    "en": "Election of deputies of the Majilis of the Parliament of the Republic of Kazakhstan, 2023",
    "ru": "Выборы депутатов Мажилиса Парламента Республики Казахстан 2023 года",
    "kk": "Қазақстан Республикасы Парламенті Мәжілісінің депутаттарын сайлау, 2023 жыл",
}
AUTHOR = {"en": "Central Election Commission", "ru": "Центральная избирательная комиссия", "kk": "Орталық сайлау"}


def atom(client: TestClient[Litestar], kind: str, lang: str, election: str | None = None) -> Any:
    """The feed, parsed by a feed reader's parser, after checking what RFC 4287 requires of it."""
    response = client.get(f"/feeds/{kind}.atom", params={"lang": lang} | ({"election": election} if election else {}))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    for element in (root, *root.iter(f"{ATOM}entry")):
        assert all(element.find(f"{ATOM}{tag}") is not None for tag in ("id", "title", "updated", "link"))
    assert root.find(f"{ATOM}author/{ATOM}name") is not None
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.language == lang
    return parsed


def published(demo_db: str) -> list[Any]:
    rows = read(
        demo_db,
        select(m.Bulletin.id, m.Bulletin.number, m.Bulletin.snapshot)
        .where(m.Bulletin.status == m.BulletinStatus.PUBLISHED)
        .order_by(m.Bulletin.published_at.desc(), m.Bulletin.id.desc()),
    )
    assert rows, "the demo publishes bulletins"
    return rows


def test_the_feeds_give_bulletins_by_number_with_their_headline_and_news_items_in_their_own_language(
    client: TestClient[Litestar], demo_db: str
) -> None:
    bulletins = published(demo_db)
    items = read(demo_db, select(m.NewsItem).order_by(m.NewsItem.published_at.desc(), m.NewsItem.id.desc()))
    for lang, election in itertools.product(("en", "ru", "kk"), (None, "majilis-2023")):
        feed = atom(client, "bulletins", lang, election)
        assert AUTHOR[lang] in feed.feed.author
        if election:
            assert MAJILIS[lang] in feed.feed.title
        assert [entry.id for entry in feed.entries] == [f"{DEFAULT_PUBLIC_URL}/bulletins/{row.id}" for row in bulletins]
        for entry, row in zip(feed.entries, bulletins, strict=True):
            figures = row.snapshot
            assert entry.title == f"{BULLETIN[lang].format(row.number)} — {MAJILIS[lang]}"
            assert entry.summary.startswith(
                headline(figures["observers"], figures["countries"], figures["organizations"], lang)
            )
            links = {link.rel: link.href for link in entry.links}
            assert links["alternate"] == f"{DEFAULT_PUBLIC_URL}/bulletins/{row.id}?lang={lang}"
            assert links["enclosure"] == f"{DEFAULT_PUBLIC_URL}/bulletins/{row.id}.pdf"

        feed = atom(client, "news", lang, election)
        assert [entry.title for entry in feed.entries] == [item.title for item in items]
        for entry, item in zip(feed.entries, items, strict=True):
            assert entry.link == f"{DEFAULT_PUBLIC_URL}/news/{item.id}?lang={lang}"
            assert entry.summary.startswith(item.source)
            # feedparser gives an entry the feed's language unless the entry names its own.
            assert entry.title_detail.language == item.language


def test_a_feed_answers_304_to_a_reader_who_has_it_and_404_for_an_unknown_election(
    client: TestClient[Litestar],
) -> None:
    first = client.get("/feeds/news.atom?lang=kk")
    assert "set-cookie" not in first.headers
    again = client.get("/feeds/news.atom?lang=kk", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    other = client.get("/feeds/news.atom?lang=ru", headers={"If-None-Match": first.headers["etag"]})
    assert other.status_code == 200
    # An unknown language falls back, as on every public page.
    assert client.get("/feeds/news.atom?lang=xx").status_code == 200
    for path in ("/feeds/bulletins.atom?election=nope", "/feeds/news.atom?election=nope", "/elections/nope/embed"):
        assert client.get(path).status_code == 404, path


def test_the_embeddable_headline_may_be_framed_by_other_sites_and_no_other_page_may(
    client: TestClient[Litestar],
) -> None:
    for lang in ("en", "ru", "kk"):
        embedded_in(client, lang)


def embedded_in(client: TestClient[Litestar], lang: str) -> None:
    response = client.get("/elections/majilis-2023/embed", params={"lang": lang})
    assert response.status_code == 200
    live = client.get("/api/elections/majilis-2023/tally", params={"lang": lang}).json()["headline"]
    assert re.search(rf"<p class=\"headline\" data-headline>{re.escape(live)}</p>", response.text)
    assert f'<html lang="{lang}">' in response.text
    assert MAJILIS[lang] in response.text
    assert re.search(r"<time datetime=\"[^\"]+\" data-as-of>", response.text)
    link = f'href="{DEFAULT_PUBLIC_URL}/elections/majilis-2023?lang={lang}" target="_blank" rel="noopener"'
    assert link in response.text
    assert "frame-ancestors *" in response.headers["content-security-policy"]
    assert "x-frame-options" not in response.headers
    assert response.headers["cache-control"] == "public, max-age=60"
    assert "set-cookie" not in response.headers
    page = client.get("/elections/majilis-2023", params={"lang": lang})
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"


@pytest.mark.anyio
async def test_the_sites_that_may_frame_the_headline_are_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_EMBED_ANCESTORS", "https://news.example  https://*.tengri.example")
    assert Settings.from_env().embed_ancestors == "https://news.example https://*.tengri.example"
    monkeypatch.setenv("TRACKER_EMBED_ANCESTORS", "https://news.example; script-src *")
    with pytest.raises(ValueError, match="TRACKER_EMBED_ANCESTORS"):
        Settings.from_env()
    sent: dict[str, Any] = {"type": "http.response.start", "headers": []}
    handler = type("Handler", (), {"opt": {EMBEDDABLE: True}})()
    await security_headers(https=False, embed_ancestors="https://news.example")(sent, {"route_handler": handler})
    headers = dict(sent["headers"])
    assert b"frame-ancestors https://news.example;" in headers[b"content-security-policy"]
    assert b"x-frame-options" not in headers
