"""Settings read once from `TRACKER_*` environment variables."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tracker.i18n import N_
from tracker.spreadsheets import Limits

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/tracker.sqlite3"
# Printed in the bulletin's language; a name set in TRACKER_COMMISSION_NAME is printed as given.
DEFAULT_COMMISSION = N_("Central Election Commission of the Republic of Kazakhstan")
# Likewise the place of issue under the bulletin's letterhead.
DEFAULT_PLACE_OF_ISSUE = N_("Astana")
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
DEFAULT_COMMISSION_TIME_ZONE = "Asia/Almaty"


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _embed_ancestors(value: str) -> str:
    """The sites that may frame the embeddable headline, as CSP sources separated by spaces (`*`: any)."""
    sources = " ".join(value.split())
    if not sources or any(mark in sources for mark in ";,'\""):
        raise ValueError(f"TRACKER_EMBED_ANCESTORS: {value!r} is not a list of sites, e.g. https://news.example *")
    return sources


def _time_zone(name: str) -> str:
    """A tz database name, checked when the settings are read: a typo stops the start, not a page later."""
    try:
        ZoneInfo(name.strip())
    except (ValueError, ZoneInfoNotFoundError):
        message = f"TRACKER_COMMISSION_TIME_ZONE: {name!r} is not a tz database zone, e.g. Asia/Almaty"
        raise ValueError(message) from None
    return name.strip()


def local_secret_key(path: Path = PROJECT_ROOT / "var" / "secret-key") -> str:
    """A key kept in ./var/ for a single machine; every worker there reads the same one. Set
    TRACKER_SECRET_KEY when running on several machines."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker made it first
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as file:
        file.write(key)
    return key


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    debug: bool = False
    echo_sql: bool = False
    templates_dir: Path = PROJECT_ROOT / "templates"
    commission_name: str = DEFAULT_COMMISSION
    place_of_issue: str = DEFAULT_PLACE_OF_ISSUE
    """Where bulletins are issued, printed under their letterhead."""
    press_contact: str = ""
    """The commission's press contact as printed in bulletins (e.g. a phone and an address); none when empty."""
    secret_key: str = field(default_factory=local_secret_key, repr=False)
    secure_cookies: bool = False
    import_max_mb: int = 10
    public_url: str = DEFAULT_PUBLIC_URL
    """Where the public reaches this service: printed in bulletins and their QR codes."""
    public_api_per_minute: int = 600
    """Requests a minute one address may make to the public API."""
    trusted_proxies: tuple[str, ...] = ()
    """Addresses or networks of reverse proxies whose X-Forwarded-For names the visitor."""
    commission_time_zone: str = DEFAULT_COMMISSION_TIME_ZONE
    """Where the commission sits: the staff read times that belong to no election (an account's changes) in it."""
    embed_ancestors: str = "*"
    """The sites that may show /elections/{slug}/embed in a frame (CSP frame-ancestors); no other page may be framed."""

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            database_url=env.get("TRACKER_DATABASE_URL") or DEFAULT_DATABASE_URL,
            debug=_flag(env.get("TRACKER_DEBUG")),
            echo_sql=_flag(env.get("TRACKER_ECHO_SQL")),
            templates_dir=Path(env.get("TRACKER_TEMPLATES_DIR") or PROJECT_ROOT / "templates"),
            commission_name=env.get("TRACKER_COMMISSION_NAME") or DEFAULT_COMMISSION,
            place_of_issue=(env.get("TRACKER_PLACE_OF_ISSUE") or "").strip() or DEFAULT_PLACE_OF_ISSUE,
            press_contact=(env.get("TRACKER_PRESS_CONTACT") or "").strip(),
            secret_key=env.get("TRACKER_SECRET_KEY") or local_secret_key(),
            secure_cookies=_flag(env.get("TRACKER_SECURE_COOKIES")),
            import_max_mb=int(env.get("TRACKER_IMPORT_MAX_MB") or 10),
            public_url=(env.get("TRACKER_PUBLIC_URL") or DEFAULT_PUBLIC_URL).rstrip("/"),
            public_api_per_minute=int(env.get("TRACKER_PUBLIC_API_PER_MINUTE") or 600),
            trusted_proxies=tuple(
                part.strip() for part in (env.get("TRACKER_TRUSTED_PROXIES") or "").split(",") if part.strip()
            ),
            commission_time_zone=_time_zone(env.get("TRACKER_COMMISSION_TIME_ZONE") or DEFAULT_COMMISSION_TIME_ZONE),
            embed_ancestors=_embed_ancestors(env.get("TRACKER_EMBED_ANCESTORS") or "*"),
        )

    @property
    def import_limits(self) -> Limits:
        return Limits(max_bytes=self.import_max_mb * 1024 * 1024)

    @property
    def commission_zone(self) -> ZoneInfo:
        return ZoneInfo(self.commission_time_zone)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()
