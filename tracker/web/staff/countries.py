"""Admins' pages for the names countries are shown by: a searchable list and a form per country."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from tracker.errors import TrackerError
from tracker.i18n import current_language
from tracker.services.countries import NAMES, CountryNamesData, names_version
from tracker.web.auth import admins
from tracker.web.deps import Countries
from tracker.web.staff import page
from tracker.web.staff.forms import FormErrors, errors_of, parse, status_of


class CountryPages(Controller):
    path = "/staff/countries"
    include_in_schema = False
    guards = [admins]

    @get("/")
    async def index(self, request: Request[Any, Any, Any], countries: Countries, q: FromQuery[str] = "") -> Template:
        found = await countries.search(q[:100], current_language.get())
        return page(request, "countries", countries=found, q=q)

    @get("/{code:str}")
    async def edit(self, request: Request[Any, Any, Any], countries: Countries, code: FromPath[str]) -> Template:
        country = await countries.by_code(code)
        values = {field: getattr(country, field) for field in NAMES} | {"version": names_version(country)}
        return page(request, "country_form", country=country, values=values, errors={})

    @post("/{code:str}")
    async def update(
        self, request: Request[Any, Any, Any], countries: Countries, code: FromPath[str]
    ) -> Template | Redirect:
        country = await countries.by_code(code)
        form = await request.form()
        try:
            data = parse(form, CountryNamesData)
            await countries.rename(country, data, str(form.get("version", "")), request.user.actor)
        except (FormErrors, TrackerError) as error:
            return page(
                request,
                "country_form",
                status_code=status_of(error),
                country=country,
                values=dict(form),
                errors=errors_of(error),
            )
        return Redirect(f"/staff/countries?q={country.code}")
