"""Cleaning what people type: trimmed text without control characters, travel documents, e-mail addresses,
slugs, and the search key and LIKE pattern that find a name in any script and case. Pure: text in, text out,
InvalidInput naming the field when the text cannot be used."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from reports.scripts import uncovered
from tracker.errors import InvalidInput
from tracker.i18n import gettext as _

DOCUMENT = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,30}[A-Z0-9]$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$|^[a-z0-9]$")


# Zero-width non-joiner and joiner: invisible, but part of how Persian and the Indic scripts spell names
# (نمونه‌زاده); names may carry them, where every other invisible or direction-changing character is refused.
JOINERS = "\u200c\u200d"


def clean_text(
    value: str | None,
    field: str,
    *,
    required: bool = False,
    limit: int = 255,
    multiline: bool = False,
    printed: bool = False,
) -> str | None:
    """Trimmed text with no control or direction-override characters (line breaks kept when `multiline`, as
    `\\n`); a clear error otherwise. Text `printed` on cards and documents must be drawable by their fonts:
    refused here rather than printed as empty boxes."""
    text = unicodedata.normalize("NFC", (value or "").strip())
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text:
        if required:
            raise InvalidInput(f"{field}: " + _("is required"), field=field)
        return None
    if len(text) > limit:
        raise InvalidInput(f"{field}: " + _("at most %(limit)d characters") % {"limit": limit}, field=field)
    allowed = JOINERS if printed else ""
    if any(
        unicodedata.category(ch) in {"Cc", "Cf", "Co", "Cs"} and not (multiline and ch == "\n") and ch not in allowed
        for ch in text
    ):
        raise InvalidInput(f"{field}: " + _("contains control or invisible formatting characters"), field=field)
    if printed and (missing := uncovered(text)):
        shown = ", ".join(f"{c} (U+{ord(c):04X})" for c in missing)
        message = _("cannot be printed on cards and documents: no font has %(characters)s") % {"characters": shown}
        raise InvalidInput(f"{field}: {message}", field=field)
    return text


def clean_document(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    document = re.sub(r"\s+", "", value).upper()
    if not DOCUMENT.match(document):
        raise InvalidInput(
            "document_number: " + _("use 4 to 32 Latin letters, digits and inner hyphens, e.g. N1234567"),
            field="document_number",
        )
    return document


def clean_email(value: str | None) -> str | None:
    email = clean_text(value, "email")
    if email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        raise InvalidInput("email: " + _("%(value)s is not an email address") % {"value": repr(email)}, field="email")
    return email


def check_birth_date(day: dt.date | None, field: str = "birth_date") -> dt.date | None:
    """A birth date a person can have: from 1900 to today (UTC's today, wherever the clerk is)."""
    if day is not None and not dt.date(1900, 1, 1) <= day <= dt.datetime.now(dt.UTC).date():
        raise InvalidInput(f"{field}: " + _("must be between 1900-01-01 and today"), field=field)
    return day


def clean_slug(value: str, example: str) -> str:
    """A short name for addresses: lower-case letters, digits and inner hyphens."""
    slug = value.strip().lower()
    if not SLUG.match(slug):
        message = _("use lower-case letters, digits and inner hyphens, e.g. %(example)s") % {"example": example}
        raise InvalidInput(f"slug: {message}", field="slug")
    return slug


def search_key(*names: str | None) -> str:
    """What a name is found by: every script it is written in, case folded, joiners left out (a Persian name
    typed with or without its zero-width non-joiner is the same name)."""
    return " | ".join(_unjoined(name.casefold()) for name in names if name)


def _unjoined(text: str) -> str:
    return text.translate(dict.fromkeys(map(ord, JOINERS)))


def contains(text: str) -> str:
    """A LIKE pattern (escape character `\\`) for search keys that contain `text` as typed."""
    needle = _unjoined(text.strip().casefold()).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{needle}%"
