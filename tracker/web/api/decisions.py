"""Decisions over lists, for admins and registrars: accredit or reject many nominations in one step."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, JSONBody, QueryParameter

from tracker import models as m
from tracker.phrases import check_languages
from tracker.services.decision_reads import DecisionDetail
from tracker.services.decisions import DecisionData
from tracker.web.api.responses import responses
from tracker.web.auth import CurrentUser, registrars
from tracker.web.deps import Decisions, Election
from tracker.web.http.files import PDF, file_response

Registrar = Request[CurrentUser, Any, Any]
# The commission's languages, Kazakh first, unless asked otherwise.
ANNEX_LANGUAGES = "kk,ru"


class DecidedOut(msgspec.Struct, kw_only=True):
    accreditation_id: int
    name_latin: str
    name_original: str
    mission: str
    role: m.Role
    badge_number: str | None


class DecisionSummaryOut(msgspec.Struct, kw_only=True):
    id: int
    reference: str
    decided_on: dt.date
    effective_at: dt.datetime
    outcome: m.Status
    accreditations: int
    decided_by: str
    url: str

    @classmethod
    def of(cls, decision: m.Decision) -> DecisionSummaryOut:
        return cls(
            id=decision.id,
            reference=decision.reference,
            decided_on=decision.decided_on,
            effective_at=decision.effective_at,
            outcome=decision.outcome,
            accreditations=decision.accreditations,
            decided_by=decision.decided_by,
            url=f"/api/decisions/{decision.id}",
        )


class DecisionOut(msgspec.Struct, kw_only=True):
    id: int
    election: str
    reference: str
    decided_on: dt.date
    effective_at: dt.datetime
    outcome: m.Status
    reason: str | None
    override_reason: str | None
    decided_by: str
    selection: dict[str, Any]
    """How the list was chosen (mission, filters, ticked rows, an import), and who was left out."""
    accreditations: list[DecidedOut]
    annex_url: str

    @classmethod
    def of(cls, detail: DecisionDetail) -> DecisionOut:
        decision = detail.decision
        return cls(
            id=decision.id,
            election=detail.election.slug,
            reference=decision.reference,
            decided_on=decision.decided_on,
            effective_at=decision.effective_at,
            outcome=decision.outcome,
            reason=decision.reason,
            override_reason=decision.override_reason,
            decided_by=decision.decided_by,
            selection=decision.selection,
            accreditations=[
                DecidedOut(
                    accreditation_id=item.accreditation.id,
                    name_latin=item.person.name_latin,
                    name_original=item.person.name_original,
                    mission=item.mission.slug,
                    role=item.accreditation.role,
                    badge_number=item.accreditation.badge_number,
                )
                for item in detail.decided
            ],
            annex_url=f"/api/decisions/{decision.id}/annex.pdf",
        )


class ElectionDecisionApi(Controller):
    path = "/api/elections/{slug:str}/decisions"
    tags = ["decisions"]
    guards = [registrars]

    @post(
        "/",
        summary="Accredit or reject a list of nominations under one decision",
        description="Choose the nominations one way: `accreditation_ids` (ticked rows), `import_batch_id` (the "
        "rows of one import), the list's filters (`mission`, `sender`, `role`, `q`), or `all`. One transaction: "
        "if a ticked nomination was changed meanwhile the whole decision fails (409) naming it, unless "
        "`leave_out_changed` is true. Accrediting outside the window is for admins, with `override_reason`.",
        responses=responses(400, 401, 403, 404, 409),
    )
    async def decide(
        self, request: Registrar, election: Election, decisions: Decisions, data: JSONBody[DecisionData]
    ) -> DecisionOut:
        return DecisionOut.of(await decisions.decide(election, data, request.user.actor))

    @get("/", summary="The election's decisions, newest first", responses=responses(401, 403, 404))
    async def list_decisions(self, election: Election, decisions: Decisions) -> list[DecisionSummaryOut]:
        return [DecisionSummaryOut.of(found) for found in await decisions.of_election(election)]


class DecisionApi(Controller):
    path = "/api/decisions"
    tags = ["decisions"]
    guards = [registrars]

    @get(
        "/{decision_id:int}", summary="One decision and the accreditations it made", responses=responses(401, 403, 404)
    )
    async def get_decision(self, decisions: Decisions, decision_id: FromPath[int]) -> DecisionOut:
        return DecisionOut.of(await decisions.detail(decision_id))

    @get(
        "/{decision_id:int}/annex.pdf",
        summary="The decision's annex: the numbered list it decided",
        media_type=PDF,
        responses=responses(400, 401, 403, 404),
    )
    async def annex(
        self,
        request: Registrar,
        decisions: Decisions,
        decision_id: FromPath[int],
        lang: Annotated[str, QueryParameter(max_length=20, description="Languages, in order, e.g. kk,ru")] = (
            ANNEX_LANGUAGES
        ),
    ) -> Response[bytes]:
        found = await decisions.annex(decision_id, check_languages(lang), request.user.actor)
        return file_response(found.content, PDF, found.filename)

    @get(
        "/{decision_id:int}/letters/{mission:str}",
        summary="The letter telling one mission its members' outcomes",
        description="In the mission's language unless `lang` says otherwise.",
        media_type=PDF,
        responses=responses(400, 401, 403, 404),
    )
    async def letter(
        self,
        request: Registrar,
        decisions: Decisions,
        decision_id: FromPath[int],
        mission: FromPath[str],
        lang: Annotated[str | None, QueryParameter(max_length=2, description="en, ru or kk")] = None,
    ) -> Response[bytes]:
        chosen = check_languages(lang)[0] if lang else None
        found = await decisions.letter(decision_id, mission, chosen, request.user.actor)
        return file_response(found.content, PDF, found.filename)
