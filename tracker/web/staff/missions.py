"""Missions of an election: the list with counts by status, and the mission form."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy import select

from tracker import models as m
from tracker.errors import TrackerError
from tracker.i18n import current_language
from tracker.services.elections import ElectionService
from tracker.services.missions import MissionData, MissionService, sender_value
from tracker.tally import mission_status_counts
from tracker.web.auth import registrars, staff
from tracker.web.staff import page
from tracker.web.staff.forms import FormErrors, errors_of, parse, status_of, ticked_ids, version_of

Elections = NamedDependency[ElectionService]
Missions = NamedDependency[MissionService]


async def _choices(missions: MissionService, election: m.Election) -> dict[str, Any]:
    session = missions.repository.session
    lang = current_language.get()
    countries = sorted(await session.scalars(select(m.Country)), key=lambda c: c.name(lang))
    organizations = sorted(await session.scalars(select(m.Organization)), key=lambda o: o.name(lang))
    news = list(
        await session.scalars(
            select(m.NewsItem).where(m.NewsItem.election_id == election.id).order_by(m.NewsItem.published_at)
        )
    )
    return {
        "countries": [(f"country:{c.code}", c.name(lang)) for c in countries],
        "organizations": [(f"organization:{o.slug}", f"{o.acronym(lang)} — {o.name(lang)}") for o in organizations],
        "news": news,
    }


def _values(mission: m.Mission) -> dict[str, Any]:
    return {
        "slug": mission.slug,
        "name": mission.name,
        "sender": sender_value(mission, mission.organization.slug if mission.organization else None),
        "head_name": mission.head_name,
        "coordinator_name": mission.coordinator_name,
        "expected_size": mission.expected_size,
        "nomination_note_ref": mission.nomination_note_ref,
        "news_item_ids": [item.id for item in mission.news_items],
        "version": mission.version,
    }


def _form_values(form: Any) -> dict[str, Any]:
    return dict(form) | {"news_item_ids": ticked_ids(form, "news_item_ids")}


class MissionPages(Controller):
    path = "/staff/elections/{slug:str}/missions"
    include_in_schema = False

    @get("/", guards=[staff])
    async def index(
        self, request: Request[Any, Any, Any], elections: Elections, missions: Missions, slug: FromPath[str]
    ) -> Template:
        election = await elections.get_by_slug(slug)
        counts = await mission_status_counts(missions.repository.session, election.id)
        rows = [(mission, counts.get(mission.id, {})) for mission in await missions.of_election(election)]
        return page(request, "missions", election=election, rows=rows, statuses=list(m.Status))

    @get("/new", guards=[registrars])
    async def new(
        self, request: Request[Any, Any, Any], elections: Elections, missions: Missions, slug: FromPath[str]
    ) -> Template:
        election = await elections.get_by_slug(slug)
        return page(
            request,
            "mission_form",
            election=election,
            mission=None,
            values={"news_item_ids": []},
            errors={},
            **await _choices(missions, election),
        )

    @post("/new", guards=[registrars])
    async def create(
        self, request: Request[Any, Any, Any], elections: Elections, missions: Missions, slug: FromPath[str]
    ) -> Template | Redirect:
        election = await elections.get_by_slug(slug)
        form = await request.form()
        try:
            data = parse(form, MissionData, lists=("news_item_ids",))
            await missions.create_mission(election, data, request.user.actor)
        except (FormErrors, TrackerError) as error:
            return page(
                request,
                "mission_form",
                status_code=status_of(error),
                election=election,
                mission=None,
                values=_form_values(form),
                errors=errors_of(error),
                **await _choices(missions, election),
            )
        return Redirect(f"/staff/elections/{slug}/missions")

    @get("/{mission:str}/edit", guards=[registrars])
    async def edit(
        self,
        request: Request[Any, Any, Any],
        elections: Elections,
        missions: Missions,
        slug: FromPath[str],
        mission: FromPath[str],
    ) -> Template:
        election = await elections.get_by_slug(slug)
        found = await missions.by_slug(election, mission)
        return page(
            request,
            "mission_form",
            election=election,
            mission=found,
            values=_values(found),
            errors={},
            **await _choices(missions, election),
        )

    @post("/{mission:str}/edit", guards=[registrars])
    async def update(
        self,
        request: Request[Any, Any, Any],
        elections: Elections,
        missions: Missions,
        slug: FromPath[str],
        mission: FromPath[str],
    ) -> Template | Redirect:
        election = await elections.get_by_slug(slug)
        found = await missions.by_slug(election, mission)
        form = await request.form()
        try:
            data = parse(form, MissionData, lists=("news_item_ids",))
            version = version_of(form)
            await missions.update_mission(found, election, data, version, request.user.actor)
        except (FormErrors, TrackerError) as error:
            return page(
                request,
                "mission_form",
                status_code=status_of(error),
                election=election,
                mission=found,
                values=_form_values(form),
                errors=errors_of(error),
                **await _choices(missions, election),
            )
        return Redirect(f"/staff/elections/{slug}/missions")
