"""A bulletin's snapshot in words: the translated, formatted content the PDF builder prints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from reports import bulletin as pdf
from tracker import labels
from tracker import models as m
from tracker.i18n import format_day, format_instant, in_language
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


@dataclass(frozen=True)
class Letterhead:
    """Who issues the bulletin, where and how the press reaches them: settings, printed in every language.
    A name set in the settings is printed as given; the defaults have their translations in the catalogs."""

    commission: str
    place: str
    contact: str = ""


def document(
    bulletin: m.Bulletin, *, letterhead: Letterhead, public_url: str, draft: bool, corrects: int | None = None
) -> pdf.Bulletin:
    """The bulletin's words in each of its languages. `draft` marks every page as a draft; a published
    bulletin gives its publication date as the date of issue. `corrects` is the public number of the bulletin
    it corrects."""
    snapshot = bulletin.snapshot
    languages = bulletin.language_list
    zone = ZoneInfo(snapshot["election"]["time_zone"])

    def each(words: Callable[[], str]) -> tuple[str, ...]:
        """`words` said in each of the bulletin's languages, in its order."""
        said = []
        for lang in languages:
            with in_language(lang):
                said.append(words())
        return tuple(said)

    fingerprint = bulletin.fingerprint[:FINGERPRINT_CHARS]
    return pdf.Bulletin(
        commission=each(lambda: _(letterhead.commission)),
        sections=tuple(_section(snapshot, lang) for lang in languages),
        chart_by_sender_title=each(lambda: _("Accredited observers by sender")),
        chart_timeline_title=each(lambda: _("Accredited international observers, day by day")),
        date_axis=each(lambda: _("Date")),
        count_axis=each(lambda: _("Accredited observers")),
        by_sender_chart=tuple(
            pdf.Row(_short_names(sender, languages), sender["observers"]) for sender in snapshot["by_sender"]
        ),
        timeline=tuple(
            pdf.TimelinePoint(dt.date.fromisoformat(point["day"]), point["observers"]) for point in snapshot["timeline"]
        ),
        news_heading=each(lambda: _("News items quoting these figures")),
        news=tuple(_news(item, zone) for item in snapshot["news"]),
        public_url=public_page(public_url, snapshot),
        qr_caption=each(lambda: _("The public tally as of this moment, to check these figures:")),
        fingerprint=each(lambda: _("Snapshot %(fingerprint)s") % {"fingerprint": fingerprint}),
        page_label=each(lambda: _("Page {page} of {pages}")),
        # The snapshot's own instant, not the clock: the same snapshot always gives the same file.
        created=dt.datetime.fromisoformat(snapshot["as_of"]),
        # The public number once published; a draft has none yet.
        reference=each(
            lambda: (
                _("Bulletin No. %(number)d") % {"number": bulletin.number} if bulletin.number else _("Draft bulletin")
            )
        ),
        issued=each(lambda: _issued(letterhead.place, None if draft else bulletin.published_at, zone)),
        contact=each(lambda: _("Press contact: %(contact)s") % {"contact": letterhead.contact})
        if letterhead.contact
        else (),
        corrects=each(lambda: _("Corrects bulletin %(number)d") % {"number": corrects}) if corrects else (),
        draft=draft,
        draft_mark=each(lambda: _("DRAFT")),
    )


def _issued(place: str, published_at: dt.datetime | None, zone: ZoneInfo) -> str:
    """Where and when it is issued; a draft is not issued yet, and says so rather than give a date it may not keep."""
    if published_at is None:
        return _("Place of issue: %(place)s. Date of issue: not yet published") % {"place": _(place)}
    day = format_day(published_at.astimezone(zone).date())
    return _("Place of issue: %(place)s. Date of issue: %(date)s") % {"place": _(place), "date": day}


def _short_names(sender: dict[str, Any], languages: list[str]) -> str:
    """The sender's short name in each language, each different one once: "ODIHR / БДИПЧ / ДИАҚБ", "KG"."""
    names = (
        sender["short_names"].get(lang) or sender["names"].get(lang) or sender["names"]["en"] for lang in languages
    )
    return pdf.SEPARATOR.join(dict.fromkeys(names))


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


def _news(item: dict[str, Any], zone: ZoneInfo) -> pdf.NewsLink:
    # In figures, read alike in every language (a month's name would be in one of them only).
    published = dt.datetime.fromisoformat(item["published_at"]).astimezone(zone).strftime("%d.%m.%Y %H:%M")
    return pdf.NewsLink(title=item["title"], source=item["source"], published=published, url=item["url"])
