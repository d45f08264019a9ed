"""What the bulletin and news API returns. Public: no personal data, and no staff names either."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import msgspec

from tracker import models as m
from tracker.phrases import headline


class NewsLinkOut(msgspec.Struct):
    id: int
    title: str
    source: str
    url: str | None
    published_at: dt.datetime


class MissionLinkOut(msgspec.Struct):
    slug: str
    name: str


class NewsOut(msgspec.Struct, kw_only=True):
    id: int
    election: str | None
    title: str
    source: str
    url: str | None
    language: str
    published_at: dt.datetime
    text: str
    missions: list[MissionLinkOut]
    bulletins: list[int]
    """Published bulletins that link this item."""
    version: int

    @classmethod
    def of(cls, item: m.NewsItem, election: str | None, bulletins: list[m.Bulletin]) -> NewsOut:
        return cls(
            id=item.id,
            election=election,
            title=item.title,
            source=item.source,
            url=item.url,
            language=item.language,
            published_at=item.published_at,
            text=item.text,
            missions=[MissionLinkOut(mission.slug, mission.name) for mission in item.missions],
            bulletins=[bulletin.id for bulletin in bulletins],
            version=item.version,
        )


class BulletinOut(msgspec.Struct, kw_only=True):
    id: int
    election: str
    as_of: dt.datetime
    """The instant of the frozen tally, in the election's time zone."""
    languages: list[str]
    status: m.BulletinStatus
    observers: int
    countries: int
    organizations: int
    headlines: dict[str, str]
    """The headline in each of the bulletin's languages."""
    fingerprint: str
    """SHA-256 of the frozen snapshot."""
    pdf_sha256: str | None
    """SHA-256 of the published PDF: every download has exactly these bytes."""
    corrects: int | None
    published_at: dt.datetime | None
    pdf_url: str | None
    news: list[NewsLinkOut]
    version: int

    @classmethod
    def of(cls, bulletin: m.Bulletin) -> BulletinOut:
        snapshot = bulletin.snapshot
        zone = ZoneInfo(snapshot["election"]["time_zone"])
        published = bulletin.status is m.BulletinStatus.PUBLISHED
        return cls(
            id=bulletin.id,
            election=snapshot["election"]["slug"],
            as_of=bulletin.as_of.astimezone(zone),
            languages=bulletin.language_list,
            status=bulletin.status,
            observers=snapshot["observers"],
            countries=snapshot["countries"],
            organizations=snapshot["organizations"],
            headlines=headlines(bulletin),
            fingerprint=bulletin.fingerprint,
            pdf_sha256=bulletin.pdf_sha256,
            corrects=bulletin.corrects_id,
            published_at=bulletin.published_at,
            pdf_url=f"/bulletins/{bulletin.id}.pdf" if published else None,
            news=[
                NewsLinkOut(
                    item["id"],
                    item["title"],
                    item["source"],
                    item["url"],
                    dt.datetime.fromisoformat(item["published_at"]),
                )
                for item in snapshot["news"]
            ],
            version=bulletin.version,
        )


def headlines(bulletin: m.Bulletin) -> dict[str, str]:
    snapshot = bulletin.snapshot
    counts = (snapshot["observers"], snapshot["countries"], snapshot["organizations"])
    return {lang: headline(*counts, lang) for lang in bulletin.language_list}
