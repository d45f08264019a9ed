"""Names for the demo's made-up people: each one distinct, in the script of their nationality's language and in
Latin letters as a passport writes them (`names.json`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

NAMES = Path(__file__).resolve().parent / "names.json"


class NameBook:
    """Hands out names in a fixed order, never the same one twice (in either script): so the same people, asked
    for in the same order, get the same names on every run, and no two demo people look like one record twice."""

    def __init__(self) -> None:
        self.pools = pools_by_nationality()
        self.used: set[str] = set()

    def name(self, nationality: str, female: bool) -> tuple[str, str]:
        """(original script, Latin): the first of the pool's names not given yet, surnames changing slowest."""
        pool = self.pools.get(nationality)
        if pool is None:
            raise ValueError(f"seed/names.json: no pool of names for nationality {nationality}")
        for original, latin in names_in(pool, female):
            if original not in self.used and latin not in self.used:
                self.used.update((original, latin))
                return original, latin
        raise ValueError(f"seed/names.json: the pool for {nationality} has too few names for the demo")


def pools_by_nationality() -> dict[str, dict[str, Any]]:
    pools = json.loads(NAMES.read_text(encoding="utf-8"))["pools"]
    return {code: pool for pool in pools.values() for code in pool["nationalities"]}


def names_in(pool: dict[str, Any], female: bool) -> Iterator[tuple[str, str]]:
    """Every (original, Latin) name of a pool for one gender, surnames changing slowest."""
    for surname in pool["surnames"]:
        family = surname[2:4] if female and len(surname) == 4 else surname[:2]
        for given in pool["female" if female else "male"]:
            yield _full(pool, given[0], family[0], latin=False), _full(pool, given[1], family[1], latin=True)


def _full(pool: dict[str, Any], given: str, family: str, *, latin: bool) -> str:
    first, second = (family, given) if pool.get("family_first") else (given, family)
    return f"{first}{'' if pool.get('joined') and not latin else ' '}{second}"
