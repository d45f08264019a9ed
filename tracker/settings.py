"""Settings read once from `TRACKER_*` environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/tracker.sqlite3"


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    debug: bool = False
    echo_sql: bool = False
    templates_dir: Path = PROJECT_ROOT / "templates"
    commission_name: str = "Central Election Commission of the Republic of Kazakhstan"

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            database_url=env.get("TRACKER_DATABASE_URL") or DEFAULT_DATABASE_URL,
            debug=_flag(env.get("TRACKER_DEBUG")),
            echo_sql=_flag(env.get("TRACKER_ECHO_SQL")),
            templates_dir=Path(env.get("TRACKER_TEMPLATES_DIR") or PROJECT_ROOT / "templates"),
            commission_name=env.get("TRACKER_COMMISSION_NAME") or cls.commission_name,
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()
