"""What is read about a decision: the accreditations it made, as its pages, annex and letters list them."""

from __future__ import annotations

from dataclasses import dataclass

from tracker import models as m


@dataclass(frozen=True, slots=True)
class Decided:
    """One accreditation a decision made, as its annex and letters list it."""

    accreditation: m.Accreditation
    person: m.Person
    mission: m.Mission


@dataclass(frozen=True, slots=True)
class DecisionDetail:
    decision: m.Decision
    election: m.Election
    decided: list[Decided]
    """By mission, then name."""
