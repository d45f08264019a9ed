"""Names in the order readers of each language expect, not in code-point order."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tracker.i18n import collation_key
from tracker.services.countries import CountryService


def test_kazakh_letters_sort_beside_the_letters_they_extend() -> None:
    names = ["Өзбекстан", "Қырғызстан", "Әзірбайжан", "Армения", "Беларусь", "Ресей", "Ғана", "Германия"]

    assert sorted(names, key=collation_key) == [
        "Армения",
        "Әзірбайжан",
        "Беларусь",
        "Германия",
        "Ғана",
        "Қырғызстан",
        "Өзбекстан",
        "Ресей",
    ]


@pytest.mark.anyio
async def test_the_country_choices_in_kazakh_put_azerbaijan_after_armenia(session: AsyncSession) -> None:
    names = [name for _code, name in await CountryService(session).choices("kk")]

    assert names.index("Әзірбайжан") < names.index("Беларусь")
    assert names.index("Қырғызстан") < names.index("Ресей")
