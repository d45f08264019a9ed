"""ISO 3166 countries: read-only reference data, offered wherever a form asks for a nationality or an issuer."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m


class CountryService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def choices(self, lang: str) -> list[tuple[str, str]]:
        """Every country as (code, name in `lang`), ordered by that name."""
        countries = await self.session.scalars(select(m.Country))
        return sorted(((country.code, country.name(lang)) for country in countries), key=lambda item: item[1])
