"""ISO 3166 countries, offered wherever a form asks for a nationality or an issuer, and shown by the names the
commission writes: the codes are fixed, the three display names are admins' to keep."""

from __future__ import annotations

import hashlib

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker.cleaning import clean_text, search_key
from tracker.errors import Checks, Conflict, NotFound
from tracker.i18n import LANGUAGES, collation_key
from tracker.i18n import gettext as _
from tracker.services.audit import Actor, record, snapshot

NAMES = tuple(f"name_{lang}" for lang in LANGUAGES)


class CountryNamesData(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    # Empty by default: a missing name is refused with the others' problems, by the service's checks.
    name_en: str = ""
    name_ru: str = ""
    name_kk: str = ""


def names_version(country: m.Country) -> str:
    """The version of a country's names as a form read them (the table has no version column): a digest of
    the three, so that a save made from names someone else has changed since is refused."""
    return hashlib.sha256("\x1f".join(getattr(country, field) for field in NAMES).encode()).hexdigest()[:16]


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

    async def by_code(self, code: str) -> m.Country:
        country = await self.session.get(m.Country, code.upper()) if len(code) == 2 else None
        if country is None:
            raise NotFound("country", code)
        return country

    async def search(self, text: str, lang: str) -> list[m.Country]:
        """Countries whose code or any of whose names contains `text` (all of them for no text), by name."""
        wanted = text.strip().casefold()
        countries = list(await self.session.scalars(select(m.Country)))
        if wanted:
            countries = [
                country
                for country in countries
                if wanted in search_key(country.code, country.alpha_3, *(getattr(country, f) for f in NAMES))
            ]
        return sorted(countries, key=lambda country: collation_key(country.name(lang)))

    async def rename(self, country: m.Country, data: CountryNamesData, version: str, actor: Actor) -> m.Country:
        """Set the names the commission shows for `country`, each checked, none taken by another country."""
        if version != names_version(country):
            raise Conflict(
                "version: "
                + _("these names were changed by someone else meanwhile; reload the page and make your change again"),
                field="version",
            )
        checks = Checks()
        names = {
            f: checks.run(lambda f=f: clean_text(getattr(data, f), f, required=True, limit=255, printed=True))
            for f in NAMES
        }
        for field, name in names.items():
            if name is None:
                continue
            column = getattr(m.Country, field)
            other = await self.session.scalar(
                select(m.Country.code).where(column == name, m.Country.code != country.code)
            )
            if other is not None:
                # The import reads a name to a country: two countries of one name would make it read neither.
                checks.refuse(field, _("another country (%(code)s) has this name") % {"code": other})
        checks.done()
        before = snapshot(country)
        for field, name in names.items():
            setattr(country, field, name)
        await self.session.flush()
        await record(self.session, actor, "update", country, before=before)
        return country
