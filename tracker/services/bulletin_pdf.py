"""A bulletin's snapshot in words: the translated, formatted content the PDF builder prints."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from reports import bulletin as pdf
from tracker import labels
from tracker import models as m
from tracker.i18n import format_instant, in_language
from tracker.i18n import gettext as _
from tracker.phrases import headline

# Enough of the SHA-256 to tell two snapshots apart at a glance, short enough to read out on the phone.
FINGERPRINT_CHARS = 16


def public_page(public_url: str, snapshot: dict[str, Any]) -> str:
    """The public tally page as of the bulletin's instant: what the QR code opens."""
    zone = ZoneInfo(snapshot["election"]["time_zone"])
    local = dt.datetime.fromisoformat(snapshot["as_of"]).astimezone(zone)
    query = urlencode({"as_of": local.strftime("%Y-%m-%dT%H:%M")})
    return f"{public_url.rstrip('/')}/elections/{snapshot['election']['slug']}?{query}"


def document(bulletin: m.Bulletin, *, commission: str, public_url: str) -> pdf.Bulletin:
    snapshot = bulletin.snapshot
    languages = bulletin.language_list
    first = languages[0]
    with in_language(first):
        return pdf.Bulletin(
            # A custom name is printed as given; the default one has its translations in the catalogs.
            commission=_(commission),
            sections=tuple(_section(snapshot, lang) for lang in languages),
            chart_by_sender_title=_("Accredited observers by sender"),
            chart_timeline_title=_("Accredited international observers, day by day"),
            by_sender_chart=tuple(
                pdf.Row(sender["short_names"].get(first) or sender["names"]["en"], sender["observers"])
                for sender in snapshot["by_sender"]
            ),
            timeline=tuple(
                pdf.TimelinePoint(dt.date.fromisoformat(point["day"]), point["observers"])
                for point in snapshot["timeline"]
            ),
            news_heading=_("News items quoting these figures"),
            news=tuple(_news(item, snapshot, first) for item in snapshot["news"]),
            public_url=public_page(public_url, snapshot),
            qr_caption=_("The public tally as of this moment, to check these figures:"),
            fingerprint=_("Snapshot %(fingerprint)s") % {"fingerprint": bulletin.fingerprint[:FINGERPRINT_CHARS]},
            page_label=_("Page {page} of {pages}"),
            # The snapshot's own instant, not the clock: the same snapshot always gives the same file.
            created=dt.datetime.fromisoformat(snapshot["as_of"]),
            # The public number once published; a draft has none yet.
            reference=(
                _("Bulletin No. %(number)d") % {"number": bulletin.number} if bulletin.number else _("Draft bulletin")
            ),
            corrects=(
                _("Corrects bulletin %(number)d") % {"number": bulletin.corrects_id} if bulletin.corrects_id else None
            ),
        )


def _section(snapshot: dict[str, Any], lang: str) -> pdf.Section:
    zone = ZoneInfo(snapshot["election"]["time_zone"])
    as_of = dt.datetime.fromisoformat(snapshot["as_of"])
    with in_language(lang):
        kinds = labels.capitalized(labels.sender_kinds())
        by_kind = snapshot["by_sender_kind"]
        return pdf.Section(
            lang=lang,
            title=_("Accreditation of international observers"),
            election=snapshot["election"]["names"][lang],
            as_of=_("As of %(instant)s (%(zone)s)")
            % {"instant": format_instant(as_of, zone, lang), "zone": snapshot["election"]["time_zone"]},
            headline=headline(snapshot["observers"], snapshot["countries"], snapshot["organizations"], lang),
            kind_heading=_("By kind of sender"),
            sender_heading=_("By sender"),
            kind_column=_("Kind of sender"),
            sender_column=_("Sender"),
            observers_column=_("Observers"),
            total_label=_("Total"),
            by_sender_kind=tuple(
                pdf.Row(kinds[kind], by_kind.get(kind.value, 0))
                for kind in m.SenderKind
                # Domestic observers are counted apart; an empty line of them would only puzzle the press.
                if kind is not m.SenderKind.DOMESTIC_ORGANIZATION or by_kind.get(kind.value)
            ),
            by_sender=tuple(
                pdf.Row(sender["names"].get(lang) or sender["names"]["en"], sender["observers"])
                for sender in snapshot["by_sender"]
            ),
        )


def _news(item: dict[str, Any], snapshot: dict[str, Any], lang: str) -> pdf.NewsLink:
    zone = ZoneInfo(snapshot["election"]["time_zone"])
    published = format_instant(dt.datetime.fromisoformat(item["published_at"]), zone, lang)
    return pdf.NewsLink(title=item["title"], source=item["source"], published=published, url=item["url"])
