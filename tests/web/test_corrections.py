"""Corrections are explicit (a sender corrected, a record marked as test data, a change dated before a published
bulletin: each refused without its reason, the first two without an admin), and a tally known at a moment before
one still gives what was recorded then: the API's `known_at` and `tracker tally --known-at`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import select

from tests.cli.runner import tracker
from tests.conftest import ADA, RITA, csrf_headers, read, sign_in
from tests.web.test_api_decisions import decide, nominate
from tracker import models as m

ELECTION = "/api/elections/majilis-2023"
BULLETIN_4 = "22.02.2023 21:13"  # the instant of bulletin No. 4: 97 observers from 11 countries


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def senders(client: TestClient[Litestar], **moments: str) -> dict[str, int]:
    answer = client.get(f"{ELECTION}/senders", params={"as_of": BULLETIN_4, **moments})
    assert answer.status_code == 200, answer.text
    return {sender["code"]: sender["observers"] for sender in answer.json()["senders"]}


def observers(client: TestClient[Litestar], **moments: str) -> int:
    answer = client.get(f"{ELECTION}/tally", params={"as_of": BULLETIN_4, **moments})
    assert answer.status_code == 200, answer.text
    return answer.json()["observers"]


def kg_observer(client: TestClient[Litestar]) -> dict[str, Any]:
    """One of the Kyrgyz delegation's three observers, counted since 13 February 2023 (not its test record)."""
    rows = client.get(f"{ELECTION}/accreditations", params={"mission": "kg", "status": "accredited"}).json()
    return next(row for row in rows["items"] if not row["is_test"])


def test_a_sender_correction_needs_an_admin_and_a_reason_and_past_tallies_known_before_keep_the_old_sender(
    as_ada: TestClient[Litestar], demo_db: str
) -> None:
    mission = as_ada.get(f"{ELECTION}/missions/kg").json()
    fields = ("slug", "name", "name_ru", "name_kk", "head_name", "coordinator_name", "expected_size", "language")
    body = {field: mission[field] for field in fields} | {"sender": "country:UZ"}
    url, version = f"{ELECTION}/missions/kg", {"version": mission["version"]}
    before = senders(as_ada)
    sign_in(as_ada, RITA)
    by_a_registrar = as_ada.put(
        url, params=version, headers=csrf_headers(as_ada), json=body | {"correction_reason": "x"}
    )
    sign_in(as_ada, ADA)
    without_reason = as_ada.put(url, params=version, headers=csrf_headers(as_ada), json=body)
    moment = now()

    corrected = as_ada.put(
        url,
        params=version,
        headers=csrf_headers(as_ada),
        json=body | {"correction_reason": "The note came from Tashkent"},
    )

    assert (by_a_registrar.status_code, by_a_registrar.json()["field"]) == (403, "correction_reason")
    assert (without_reason.status_code, without_reason.json()["field"]) == (400, "correction_reason")
    assert corrected.status_code == 200, corrected.text
    assert before["KG"] == 3
    assert senders(as_ada, known_at=moment) == before
    today = senders(as_ada)
    assert "KG" not in today
    assert today["UZ"] == before["UZ"] + 3
    recorded = read(demo_db, select(m.SenderRecord.reason, m.SenderRecord.actor_role).order_by(m.SenderRecord.id))
    assert tuple(recorded[-1]) == ("The note came from Tashkent", "admin")


def test_test_data_is_marked_by_an_admin_with_a_reason_once_counted_and_left_out_from_then(
    as_ada: TestClient[Litestar],
) -> None:
    row = kg_observer(as_ada)
    url = f"/api/accreditations/{row['id']}/test-data"
    without_reason = as_ada.put(url, headers=csrf_headers(as_ada), json={"is_test": True, "version": row["version"]})
    moment = now()

    marked = as_ada.put(
        url,
        headers=csrf_headers(as_ada),
        json={"is_test": True, "version": row["version"], "reason": "Entered in a training session"},
    )

    assert (without_reason.status_code, without_reason.json()["field"]) == (400, "reason")
    assert marked.status_code == 200, marked.text
    assert marked.json()["is_test"] is True
    assert (observers(as_ada), observers(as_ada, known_at=moment)) == (96, 97)


def test_a_change_dated_before_the_last_published_bulletin_needs_a_reason(as_rita: TestClient[Litestar]) -> None:
    ids = nominate(as_rita)
    accredit = {"status": "accredited", "effective_at": "22.02.2023 18:00"}
    url = f"/api/accreditations/{ids[0]}/transitions"

    single = as_rita.post(url, headers=csrf_headers(as_rita), json=accredit | {"version": 1})
    decision = decide(as_rita, accreditation_ids=ids, effective_at="22.02.2023 18:00")
    with_reason = as_rita.post(
        url, headers=csrf_headers(as_rita), json=accredit | {"version": 1, "reason": "Decided on paper that day"}
    )

    for refused in (single, decision):
        assert (refused.status_code, refused.json()["field"]) == (400, "reason")
        assert "bulletin" in refused.json()["detail"]
    assert with_reason.status_code == 201, with_reason.text


def test_a_back_dated_withdrawal_changes_today_s_figures_but_not_those_known_before_it(
    as_rita: TestClient[Litestar], demo_db: str
) -> None:
    row = kg_observer(as_rita)
    moment = now()

    withdrawn = as_rita.post(
        f"/api/accreditations/{row['id']}/transitions",
        headers=csrf_headers(as_rita),
        json={"status": "withdrawn", "version": row["version"], "effective_at": "22.02.2023 20:00", "reason": "Ill"},
    )

    assert withdrawn.status_code == 201, withdrawn.text
    assert (observers(as_rita), observers(as_rita, known_at=moment)) == (96, 97)
    cli = [
        tracker(demo_db, "tally", "majilis-2023", "--as-of", BULLETIN_4, *known)
        for known in ([], ["--known-at", moment])
    ]
    assert [ran.stdout.split()[0] for ran in cli] == ["96", "97"]
    event = m.StatusEvent
    roles = read(
        demo_db, select(event.actor_role).where(event.accreditation_id == row["id"], event.status == "withdrawn")
    )
    assert [role for (role,) in roles] == ["registrar"]
