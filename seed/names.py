"""Names for the demo's made-up people: each one distinct, in the script of their nationality's language and in
Latin letters as a passport writes them (`names.json`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

NAMES = Path(__file__).resolve().parent / "names.json"


class NameBook:
    """Hands out names in a fixed order, never the same one twice (in either script): so the same people, asked
    for in the same order, get the same names on every run, and no two demo people look like one record twice."""

    def __init__(self) -> None:
        pools = json.loads(NAMES.read_text(encoding="utf-8"))["pools"]
        self.pools = {code: pool for pool in pools.values() for code in pool["nationalities"]}
        self.used: set[str] = set()

    def name(self, nationality: str, female: bool) -> tuple[str, str]:
        """(original script, Latin): the first of the pool's names not given yet, surnames changing slowest."""
        pool = self.pools.get(nationality)
        if pool is None:
            raise ValueError(f"seed/names.json: no pool of names for nationality {nationality}")
        givens = pool["female" if female else "male"]
        for surname in pool["surnames"]:
            family = surname[2:4] if female and len(surname) == 4 else surname[:2]
            for given in givens:
                original, latin = (_full(pool, given[i], family[i], latin=i == 1) for i in (0, 1))
                if original not in self.used and latin not in self.used:
                    self.used.update((original, latin))
                    return original, latin
        raise ValueError(f"seed/names.json: the pool for {nationality} has too few names for the demo")


def _full(pool: dict[str, Any], given: str, family: str, *, latin: bool) -> str:
    first, second = (family, given) if pool.get("family_first") else (given, family)
    return f"{first}{'' if pool.get('joined') and not latin else ' '}{second}"
