"""What is read about accreditations: the list's filters and statement, and the shapes a list and a page get."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, select

from tracker import models as m
from tracker.cleaning import contains
from tracker.errors import InvalidInput
from tracker.i18n import gettext as _
from tracker.services.transitions import NEXT


@dataclass(frozen=True, slots=True)
class Filters:
    mission: str | None = None
    sender: str | None = None
    status: m.Status | None = None
    role: m.Role | None = None
    q: str | None = None


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the accreditations list."""

    accreditation: m.Accreditation
    person: m.Person
    mission: m.Mission
    status: m.Status
    status_since: dt.datetime


@dataclass(frozen=True, slots=True)
class AccreditationList:
    """The staff's list: one page of rows, how many match in all, and the choices of its filters."""

    rows: list[Row]
    total: int
    missions: list[m.Mission]
    senders: list[tuple[str, str]]
    """(`country:XX` or `organization:SLUG`, its name), by name."""


@dataclass(frozen=True, slots=True)
class AccreditationDetail:
    """One accreditation with everything its page and the API show."""

    accreditation: m.Accreditation
    election: m.Election
    person: m.Person
    mission: m.Mission
    history: list[m.StatusEvent]
    """Oldest first."""
    replaced_by: m.Accreditation | None

    @property
    def status(self) -> m.Status | None:
        return self.history[-1].status if self.history else None

    @property
    def next_statuses(self) -> list[m.Status]:
        """What the status may become next, as the workflow allows."""
        return sorted(NEXT[self.status])


def listing_statement(election: m.Election, filters: Filters) -> Select:  # type: ignore[type-arg]
    """The list's rows (accreditation, person, mission, current status and since when) that pass the filters."""
    event = m.StatusEvent
    statement = (
        select(m.Accreditation, m.Person, m.Mission, event.status, event.effective_at)
        .join(m.Person, m.Person.id == m.Accreditation.person_id)
        .join(m.Mission, m.Mission.id == m.Accreditation.mission_id)
        .join(event, (event.accreditation_id == m.Accreditation.id) & event.current())
        .where(m.Accreditation.election_id == election.id)
    )
    if filters.mission:
        statement = statement.where(m.Mission.slug == filters.mission)
    if filters.sender:
        kind, _colon, key = filters.sender.partition(":")
        if kind == "country":
            statement = statement.where(m.Mission.country_code == key.upper())
        elif kind == "organization":
            statement = statement.where(
                m.Mission.organization_id.in_(select(m.Organization.id).where(m.Organization.slug == key))
            )
        else:
            raise InvalidInput("sender: " + _("use country:XX or organization:SLUG"), field="sender")
    if filters.status:
        statement = statement.where(event.status == filters.status)
    if filters.role:
        statement = statement.where(m.Accreditation.role == filters.role)
    if filters.q and filters.q.strip():
        statement = statement.where(
            (m.Person.search_name.like(contains(filters.q), escape="\\"))
            | (m.Accreditation.badge_number == filters.q.strip().upper())
        )
    return statement
