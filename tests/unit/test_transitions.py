"""The accreditation workflow: nominated → accredited → withdrawn or revoked; nominated → rejected."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import at, make_accreditation, make_election, make_mission
from tracker import models as m
from tracker.errors import InvalidTransition
from tracker.services.transitions import check_transition, record_status

S = m.Status
ALLOWED = {
    (None, S.NOMINATED),
    (S.NOMINATED, S.ACCREDITED),
    (S.NOMINATED, S.REJECTED),
    (S.ACCREDITED, S.WITHDRAWN),
    (S.ACCREDITED, S.REVOKED),
}


@pytest.mark.parametrize("current", [None, *S])
@pytest.mark.parametrize("new", list(S))
def test_only_the_workflow_s_arrows_are_allowed(current: S | None, new: S) -> None:
    if (current, new) in ALLOWED:
        check_transition(current, new)
    else:
        with pytest.raises(InvalidTransition, match="cannot become"):
            check_transition(current, new)


def test_the_refusal_says_what_is_possible() -> None:
    with pytest.raises(InvalidTransition) as caught:
        check_transition(S.REJECTED, S.REVOKED)

    assert (
        caught.value.message
        == "status: a rejected accreditation cannot become revoked; it can become nothing: it is final"
    )


@pytest.mark.anyio
async def test_an_event_cannot_be_backdated_before_the_current_status(session: AsyncSession) -> None:
    election = await make_election(session)
    accreditation = await make_accreditation(
        session,
        await make_mission(session, election, country="DE"),
        [(S.NOMINATED, at("2023-02-06T10:00")), (S.ACCREDITED, at("2023-02-09T11:00"))],
    )

    with pytest.raises(InvalidTransition, match=r"effective_at: .* is before the current status"):
        await record_status(session, accreditation, S.WITHDRAWN, effective_at=at("2023-02-08T00:00"), actor="test")
