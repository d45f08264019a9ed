"""ISO 3166 countries: read-only reference data, offered wherever a form asks for a nationality or an issuer."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker.i18n import collation_key


class CountryService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def choices(self, lang: str) -> list[tuple[str, str]]:
        """Every country as (code, name in `lang`), ordered by that name."""
        countries = await self.session.scalars(select(m.Country))
        return sorted(
            ((country.code, country.name(lang)) for country in countries), key=lambda item: collation_key(item[1])
        )

    async def in_name_order(self, codes: set[str], lang: str) -> list[str]:
        """These countries' codes, ordered as `choices` orders them: by their names in `lang`."""
        countries = await self.session.scalars(select(m.Country).where(m.Country.code.in_(codes)))
        return [country.code for country in sorted(countries, key=lambda country: collation_key(country.name(lang)))]
