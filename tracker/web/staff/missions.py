"""Missions of an election: the list with counts by status, and the mission form."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from tracker import models as m
from tracker.errors import TrackerError
from tracker.i18n import current_language, format_day
from tracker.services.missions import MissionData, letter_languages, sender_value
from tracker.web.auth import registrars, staff
from tracker.web.deps import Election, Missions
from tracker.web.staff import page
from tracker.web.staff.forms import FormErrors, errors_of, parse, status_of, ticked_ids, version_of


async def _choices(missions: Missions, election: m.Election) -> dict[str, Any]:
    lang = current_language.get()
    choices = await missions.choices(election, lang)
    return {
        "countries": [(f"country:{code}", name) for code, name in choices.countries],
        "organizations": [
            (f"organization:{o.slug}", f"{o.acronym(lang)} — {o.name(lang)}") for o in choices.organizations
        ],
        "news": choices.news,
        "letter_languages": letter_languages(),
    }


def _values(mission: m.Mission) -> dict[str, Any]:
    return {
        "slug": mission.slug,
        "name": mission.name,
        "name_ru": mission.name_ru,
        "name_kk": mission.name_kk,
        "sender": sender_value(mission),
        "head_name": mission.head_name,
        "coordinator_name": mission.coordinator_name,
        "expected_size": mission.expected_size,
        "nomination_note_ref": mission.nomination_note_ref,
        "contacts": mission.contacts,
        "language": mission.language,
        "news_item_ids": [item.id for item in mission.news_items],
        "version": mission.version,
    }


def _form_values(form: Any) -> dict[str, Any]:
    return dict(form) | {"news_item_ids": ticked_ids(form, "news_item_ids")}


class MissionPages(Controller):
    path = "/staff/elections/{slug:str}/missions"
    include_in_schema = False

    @get("/", guards=[staff])
    async def index(self, request: Request[Any, Any, Any], election: Election, missions: Missions) -> Template:
        rows = await missions.overview(election)
        return page(request, "missions", election=election, rows=rows, statuses=list(m.Status))

    @get("/new", guards=[registrars])
    async def new(self, request: Request[Any, Any, Any], election: Election, missions: Missions) -> Template:
        return page(
            request,
            "mission_form",
            election=election,
            mission=None,
            values={"news_item_ids": [], "language": "en"},
            errors={},
            **await _choices(missions, election),
        )

    @post("/new", guards=[registrars])
    async def create(
        self, request: Request[Any, Any, Any], election: Election, missions: Missions
    ) -> Template | Redirect:
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
        return Redirect(f"/staff/elections/{election.slug}/missions")

    @get("/{mission:str}", guards=[registrars])
    async def detail(
        self,
        request: Request[Any, Any, Any],
        election: Election,
        missions: Missions,
        mission: FromPath[str],
        sort: Annotated[str, QueryParameter(max_length=32)] = "name",
        page_number: Annotated[int, QueryParameter(ge=1, le=100_000)] = 1,
    ) -> Template:
        """The mission's page: its people (personal data), so for registrars and admins only."""
        shown = await missions.page(election, mission, current_language.get(), sort=sort, page_number=page_number)
        return page(
            request,
            "mission",
            election=election,
            shown=shown,
            statuses=list(m.Status),
            letter_languages=letter_languages(),
            format_day=format_day,
        )

    @get("/{mission:str}/edit", guards=[registrars])
    async def edit(
        self, request: Request[Any, Any, Any], election: Election, missions: Missions, mission: FromPath[str]
    ) -> Template:
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
        self, request: Request[Any, Any, Any], election: Election, missions: Missions, mission: FromPath[str]
    ) -> Template | Redirect:
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
        return Redirect(f"/staff/elections/{election.slug}/missions")
