"""Atom feeds (RFC 4287), built with the standard library's ElementTree: every text a user or staff wrote
(titles, sources, names) goes in as element text or attribute values, which ElementTree escapes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ET.register_namespace("", ATOM)


@dataclass(frozen=True, slots=True)
class Link:
    href: str
    rel: str = "alternate"
    type: str | None = None
    hreflang: str | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    title: str
    updated: dt.datetime
    summary: str
    links: tuple[Link, ...]
    published: dt.datetime | None = None
    language: str | None = None
    """The entry's own language when it differs from the feed's (a news item written in another)."""


@dataclass(frozen=True, slots=True)
class Feed:
    id: str
    title: str
    author: str
    language: str
    self_url: str
    page_url: str
    fallback_updated: dt.datetime
    """The feed's `updated` when it has no entry yet (RFC 4287 requires one)."""
    entries: list[Entry] = field(default_factory=list)

    @property
    def updated(self) -> dt.datetime:
        return max((entry.updated for entry in self.entries), default=self.fallback_updated)


def _stamp(instant: dt.datetime) -> str:
    """RFC 3339 in UTC, to the second."""
    return instant.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    element.text = text
    return element


def _link(parent: ET.Element, link: Link) -> None:
    attributes = {"rel": link.rel, "href": link.href}
    if link.type:
        attributes["type"] = link.type
    if link.hreflang:
        attributes["hreflang"] = link.hreflang
    ET.SubElement(parent, f"{{{ATOM}}}link", attributes)


def atom_document(feed: Feed) -> bytes:
    root = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: feed.language})
    _text(root, "id", feed.id)
    _text(root, "title", feed.title)
    _text(root, "updated", _stamp(feed.updated))
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    _text(author, "name", feed.author)
    _link(root, Link(feed.self_url, rel="self", type="application/atom+xml"))
    _link(root, Link(feed.page_url, type="text/html"))
    for entry in feed.entries:
        element = ET.SubElement(root, f"{{{ATOM}}}entry", {XML_LANG: entry.language} if entry.language else {})
        _text(element, "id", entry.id)
        _text(element, "title", entry.title)
        _text(element, "updated", _stamp(entry.updated))
        if entry.published is not None:
            _text(element, "published", _stamp(entry.published))
        for link in entry.links:
            _link(element, link)
        _text(element, "summary", entry.summary)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
