"""Pages of a public list: a bounded number of rows each, the page asked for read as a visitor typed it."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tracker.errors import InvalidInput
from tracker.i18n import gettext as _
from tracker.i18n import ngettext

PAGE_SIZE = 20
# Far beyond any list's length: a longer number is a typing slip, not a page.
LONGEST = 6


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a list: its rows, its number (from 1) and how many pages the list has (at least one)."""

    rows: tuple[Any, ...]
    page_number: int
    pages: int


def read_page_number(text: str | None) -> int:
    """`?page_number=` as typed: a whole number from 1, or nothing (the first page)."""
    value = (text or "").strip() or "1"
    if not (value.isascii() and value.isdigit()) or len(value) > LONGEST or int(value) < 1:
        message = _("%(value)s is not a page number: give a whole number from 1") % {"value": repr(value[:20])}
        raise InvalidInput(f"page_number: {message}", field="page_number")
    return int(value)


async def page_of(
    session: AsyncSession, query: Select[Any], where: Sequence[ColumnElement[bool]], counted: Any, page_number: int
) -> Page:
    """The `page_number`th page of `query` (ordered, filtered by `where`); `counted` is the column whose rows
    are counted. A page past the last is refused, naming how many there are."""
    total = await session.scalar(select(func.count(counted)).where(*where)) or 0
    pages = max(1, math.ceil(total / PAGE_SIZE))
    if page_number > pages:
        message = ngettext("there is only %(pages)d page", "there are only %(pages)d pages", pages) % {"pages": pages}
        raise InvalidInput(f"page_number: {message}", field="page_number")
    rows = await session.scalars(query.where(*where).limit(PAGE_SIZE).offset((page_number - 1) * PAGE_SIZE))
    return Page(tuple(rows), page_number, pages)
