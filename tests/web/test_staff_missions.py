"""Missions on the staff pages: the list with counts, the form, conflicts."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import select

from tests.conftest import count_rows, read, submit
from tests.published import in_2023
from tracker import models as m

MISSIONS = "/staff/elections/majilis-2023/missions"


def test_the_list_counts_each_mission_by_status(as_rita: TestClient[Litestar]) -> None:
    page = as_rita.get(MISSIONS).text

    odihr = page.split('data-mission="odihr"')[1].split("</tr>")[0]
    assert 'data-status="accredited">97<' in odihr
    assert 'data-status="withdrawn">2<' in odihr


def test_a_registrar_creates_a_mission(as_rita: TestClient[Litestar], demo_db: str) -> None:
    response = submit(
        as_rita, f"{MISSIONS}/new", name="Delegation of Georgia", slug="ge", sender="country:GE", expected_size="3"
    )

    assert response.status_code in (302, 303)
    assert 'data-mission="ge"' in as_rita.get(MISSIONS).text
    [(kind, country)] = read(
        demo_db,
        select(m.Mission.sender_kind, m.Mission.country_code).where(
            m.Mission.slug == "ge", in_2023(m.Mission.election_id)
        ),
    )
    assert (kind, country) == ("foreign_state", "GE")


def test_bad_input_comes_back_with_a_message_under_the_field(as_rita: TestClient[Litestar], demo_db: str) -> None:
    before = count_rows(demo_db, m.Mission)

    response = submit(as_rita, f"{MISSIONS}/new", name="Nowhere", slug="Not A Slug!", sender="country:XX")

    assert response.status_code == 400
    assert 'id="f-e-slug"' in response.text
    assert "use lower-case letters" in response.text
    assert count_rows(demo_db, m.Mission) == before


def test_a_second_save_from_a_stale_page_is_refused(as_rita: TestClient[Litestar], demo_db: str) -> None:
    edit = f"{MISSIONS}/ps/edit"
    fields = {"name": "Delegation of the State of Palestine", "slug": "ps", "sender": "country:PS"}
    first = submit(as_rita, edit, **fields, head_name="First editor", version="1")
    assert first.status_code in (302, 303)

    second = submit(as_rita, edit, **fields, head_name="Second editor", version="1")

    assert second.status_code == 409
    assert "changed by someone else" in second.text
    [(head,)] = read(demo_db, select(m.Mission.head_name).where(m.Mission.slug == "ps"))
    assert head == "First editor"


def test_a_press_officer_sees_the_missions_but_cannot_change_them(as_pat: TestClient[Litestar]) -> None:
    assert as_pat.get(MISSIONS).status_code == 200
    assert as_pat.get(f"{MISSIONS}/new").status_code == 403
