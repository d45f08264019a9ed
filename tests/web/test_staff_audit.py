"""The audit trail page: every write, with who, when, before and after — for admins."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import ADA, RITA, sign_in, submit


def test_an_admin_reads_who_changed_what(client: TestClient[Litestar]) -> None:
    sign_in(client, RITA)
    submit(
        client,
        "/staff/elections/majilis-2023/missions/ps/edit",
        name="Delegation of the State of Palestine",
        slug="ps",
        sender="country:PS",
        head_name="A. Example",
        version="1",
    )
    sign_in(client, ADA)

    page = client.get("/staff/audit", params={"entity": "mission", "actor": RITA}).text

    assert "1 entry" in page
    assert RITA in page
    assert "head_name: A. Example" in page


def test_the_trail_keeps_personal_data_for_admins_only(client: TestClient[Litestar]) -> None:
    sign_in(client, RITA)
    submit(
        client,
        "/staff/elections/majilis-2023/accreditations/new",
        mission="odihr",
        role="expert",
        name_original="Eva Placeholder",
        name_latin="Eva Placeholder",
        nationality="SE",
        birth_date="1975-01-02",
        document_number="SE5550001",
        effective_at="2023-03-08T10:00",
    )

    assert client.get("/staff/audit").status_code == 403
    sign_in(client, ADA)
    page = client.get("/staff/audit", params={"entity": "person"}).text
    assert "SE5550001" in page
    assert "1975-01-02" in page
