"""Decisions on the staff pages: choose the nominations (a mission, the list's filters, ticked rows, an import),
decide them in one step, then print the annex and the missions' letters."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from tracker import models as m
from tracker.errors import TrackerError
from tracker.i18n import format_input_date
from tracker.instants import utc_now
from tracker.services.decisions import MAX_DECIDED, DecisionData, Selection
from tracker.web.auth import CurrentUser, registrars
from tracker.web.deps import Decisions, Election
from tracker.web.staff import page
from tracker.web.staff.forms import FormErrors, errors_of, parse, status_of, ticked_ids

Registrar = Request[CurrentUser, Any, Any]
Text = Annotated[str | None, QueryParameter(max_length=200)]


class DecisionPages(Controller):
    path = "/staff"
    include_in_schema = False
    guards = [registrars]

    @get("/elections/{slug:str}/decisions")
    async def listing(self, request: Registrar, election: Election, decisions: Decisions) -> Template:
        return page(request, "decisions", election=election, decisions=await decisions.of_election(election))

    @get("/elections/{slug:str}/decisions/new")
    async def new(
        self,
        request: Registrar,
        election: Election,
        decisions: Decisions,
        mission: Text = None,
        sender: Text = None,
        role: Annotated[m.Role | None, QueryParameter()] = None,
        q: Text = None,
        from_import: Annotated[int | None, QueryParameter(name="import", ge=1, le=2**62)] = None,
        ids: Annotated[list[int] | None, QueryParameter(name="id", max_items=MAX_DECIDED)] = None,
    ) -> Template:
        """The nominations chosen, each ticked; the registrar may untick some, then decides. Ticked rows or an
        import's rows name them one by one; otherwise the list's filters do, or, with none, the whole election."""
        filtered = bool(mission or sender or role or q)
        if ids:
            chosen = Selection(accreditation_ids=ids)
        elif from_import:
            chosen = Selection(import_batch_id=from_import)
        else:
            chosen = Selection(mission=mission, sender=sender, role=role, q=q, all=not filtered)
        try:
            found = await decisions.choose(election, chosen)
        except TrackerError as error:
            return self._form(request, election, [], [], errors=errors_of(error), status_code=status_of(error))
        form = {"decided_on": format_input_date(election.local(utc_now()).date()), "outcome": "accredited"}
        return self._form(request, election, found.nominated, found.changed, form=form)

    @post("/elections/{slug:str}/decisions/new")
    async def decide(self, request: Registrar, election: Election, decisions: Decisions) -> Template | Redirect:
        form = await request.form()
        try:
            ticked = ticked_ids(form, "accreditation_ids")
            data = parse(form, DecisionData, lists=("accreditation_ids",), extra={"accreditation_ids": ticked})
            made = await decisions.decide(election, data, request.user.actor)
        except (FormErrors, TrackerError) as error:
            # Shown again as sent: the same rows, the ones ticked still ticked.
            ids = ticked_ids(form, "shown")
            shown = await decisions.choose(election, Selection(accreditation_ids=ids)) if ids else None
            return self._form(
                request,
                election,
                shown.nominated if shown else [],
                shown.changed if shown else [],
                form={key: str(value) for key, value in form.items()},
                ticked=set(ticked),
                errors=errors_of(error),
                status_code=status_of(error),
            )
        return Redirect(f"/staff/decisions/{made.decision.id}")

    @staticmethod
    def _form(
        request: Registrar,
        election: m.Election,
        nominated: list[Any],
        changed: list[Any],
        *,
        form: dict[str, str] | None = None,
        ticked: set[int] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        return page(
            request,
            "decision_new",
            status_code=status_code,
            election=election,
            nominated=nominated,
            changed=changed,
            form=form or {},
            ticked=ticked,
            errors=errors or {},
        )

    @get("/decisions/{decision_id:int}")
    async def detail(self, request: Registrar, decisions: Decisions, decision_id: FromPath[int]) -> Template:
        found = await decisions.detail(decision_id)
        missions = list({item.mission.id: item.mission for item in found.decided}.values())
        return page(
            request,
            "decision",
            decision=found.decision,
            election=found.election,
            decided=found.decided,
            missions=missions,
        )
