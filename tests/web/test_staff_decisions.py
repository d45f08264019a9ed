"""Decisions on the staff pages: a mission's nominated list, some rows unticked, decided in one step."""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import count_rows
from tests.published import in_2023
from tests.web.test_api_decisions import PEOPLE, nominate
from tracker import models as m


def token_of(page: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', page)
    assert found
    return found.group(1)


def test_a_mission_s_nominations_are_decided_from_the_page_with_one_unticked(
    as_ada: TestClient[Litestar], demo_db: str
) -> None:
    ids = nominate(as_ada, mission="odihr")
    chosen = as_ada.get("/staff/elections/majilis-2023/decisions/new", params={"mission": "odihr", "lang": "ru"})
    assert chosen.status_code == 200
    shown = re.findall(r'name="shown" value="(\d+)"', chosen.text)
    assert {int(i) for i in ids} <= {int(i) for i in shown}
    assert "Номер решения" in chosen.text

    done = as_ada.post(
        "/staff/elections/majilis-2023/decisions/new",
        data={
            "_csrf_token": token_of(chosen.text),
            "reference": "12/345",
            "decided_on": "10.03.2023",
            "outcome": "accredited",
            "effective_at": "10.03.2023 18:00",
            "shown": shown,
            "accreditation_ids": [i for i in shown if int(i) != ids[0]],
        },
        follow_redirects=True,
    )

    assert done.status_code == 200
    assert re.search(r'data-decided="(\d+)"', done.text).group(1) == str(len(shown) - 1)  # type: ignore[union-attr]
    assert PEOPLE[1][1] in done.text
    assert PEOPLE[0][1] not in done.text
    assert "/annex.pdf?lang=kk,ru" in done.text
    assert 'data-letter="odihr"' in done.text
    assert count_rows(demo_db, m.Decision, in_2023(m.Decision.election_id)) == 1


def test_an_empty_decision_form_names_every_missing_field_and_keeps_the_ticks(as_rita: TestClient[Litestar]) -> None:
    ids = nominate(as_rita)
    chosen = as_rita.get("/staff/elections/majilis-2023/decisions/new", params={"id": ids})
    shown = re.findall(r'name="shown" value="(\d+)"', chosen.text)
    assert sorted(map(int, shown)) == sorted(ids)

    refused = as_rita.post(
        "/staff/elections/majilis-2023/decisions/new",
        data={"_csrf_token": token_of(chosen.text), "shown": shown, "accreditation_ids": shown[:1]},
    )

    assert refused.status_code == 400
    assert 'href="#f-reference"' in refused.text
    assert 'href="#f-decided_on"' in refused.text
    ticked = re.findall(r'name="accreditation_ids" value="(\d+)"[^>]*checked', refused.text)
    assert ticked == shown[:1]


def test_a_nomination_changed_meanwhile_stops_the_decision_and_names_it(as_ada: TestClient[Litestar]) -> None:
    ids = nominate(as_ada)
    chosen = as_ada.get("/staff/elections/majilis-2023/decisions/new", params={"id": ids})
    as_ada.post(
        "/api/elections/majilis-2023/decisions",
        headers={"x-csrftoken": as_ada.cookies["csrftoken"]},
        json={
            "reference": "1",
            "decided_on": "10.03.2023",
            "outcome": "rejected",
            "reason": "x",
            "accreditation_ids": ids[:1],
        },
    )
    shown = re.findall(r'name="shown" value="(\d+)"', chosen.text)

    refused = as_ada.post(
        "/staff/elections/majilis-2023/decisions/new",
        data={
            "_csrf_token": token_of(chosen.text),
            "reference": "2",
            "decided_on": "10.03.2023",
            "outcome": "accredited",
            "effective_at": "10.03.2023 18:00",
            "shown": shown,
            "accreditation_ids": shown,
        },
    )

    assert refused.status_code == 409
    assert "no longer nominated" in refused.text
    assert PEOPLE[0][1] in refused.text


def test_the_list_and_an_import_lead_to_a_decision_on_their_nominations(as_rita: TestClient[Litestar]) -> None:
    ids = nominate(as_rita)

    listed = as_rita.get("/staff/elections/majilis-2023/accreditations", params={"mission": "kg"}).text
    ticked = as_rita.get("/staff/elections/majilis-2023/decisions/new", params={"id": ids[:2]}).text

    for accreditation in ids:
        assert f'form="ticked" name="id" value="{accreditation}"' in listed
    assert "/decisions/new?mission=kg" in listed
    assert sorted(map(int, re.findall(r'name="shown" value="(\d+)"', ticked))) == sorted(ids[:2])
