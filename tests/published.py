"""The published 2023 Majilis record (DESIGN.md) that the demo data must reproduce."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tracker import models as m

# (as reported, observers, countries, international organizations). A row without a time holds
# at the end of that day.
PUBLISHED_2023 = [
    ("2023-02-09T19:13+06:00", 25, 1, 2),
    ("2023-02-13T13:44+06:00", 62, 3, 2),
    ("2023-02-15", 72, 6, 3),
    ("2023-02-22T21:13+06:00", 97, 11, 3),
    ("2023-03-07T14:25+06:00", 165, 16, 4),
]


def in_2023(election_id: Any) -> Any:
    """A condition on a row's election: the 2023 record's (the demo also holds a fictional election)."""
    return election_id == select(m.Election.id).where(m.Election.slug == "majilis-2023").scalar_subquery()
