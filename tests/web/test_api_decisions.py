"""POST /api/elections/{slug}/decisions and what it gives: the decision, its annex and its letters."""

from __future__ import annotations

import io
from typing import Any

from litestar import Litestar
from litestar.testing import TestClient
from pypdf import PdfReader

from tests.conftest import count_rows, csrf_headers
from tests.published import in_2023
from tracker import models as m

DECISIONS = "/api/elections/majilis-2023/decisions"
PEOPLE = [
    ("Иванов Иван Иванович", "IVANOV IVAN", "751234567"),
    ("Сейітов Арман Болатұлы", "SEIITOV ARMAN", "AC1234567"),
    ("Петрова Анна Павловна", "PETROVA ANNA", "751234569"),
]


def nominate(client: TestClient[Litestar], mission: str = "kg") -> list[int]:
    ids = []
    for original, latin, document in PEOPLE:
        answer = client.post(
            "/api/elections/majilis-2023/accreditations",
            headers=csrf_headers(client),
            json={
                "mission": mission,
                "role": "short_term_observer",
                "effective_at": "20.02.2023 10:00",
                "person": {
                    "name_original": original,
                    "name_latin": latin,
                    "nationality": "KG",
                    "document_number": document,
                },
            },
        )
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()["id"])
    return ids


def decide(client: TestClient[Litestar], **fields: Any):  # type: ignore[no-untyped-def]
    body = {
        "reference": "12/345",
        "decided_on": "10.03.2023",
        "outcome": "accredited",
        "effective_at": "10.03.2023 18:00",
    }
    return client.post(DECISIONS, headers=csrf_headers(client), json=body | fields)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_a_list_is_accredited_under_one_decision_with_its_annex_and_letter(
    as_rita: TestClient[Litestar], demo_db: str
) -> None:
    ids = nominate(as_rita)

    answer = decide(as_rita, accreditation_ids=ids)

    assert answer.status_code == 201, answer.text
    made = answer.json()
    assert [a["accreditation_id"] for a in made["accreditations"]] == sorted(ids, key=lambda i: PEOPLE[ids.index(i)][1])
    badges = [a["badge_number"] for a in made["accreditations"]]
    assert all(badges)
    assert len(set(badges)) == 3
    assert made["effective_at"] == "2023-03-10T12:00:00Z"
    assert as_rita.get(f"/api/decisions/{made['id']}").json() == made
    assert count_rows(demo_db, m.StatusEvent, m.StatusEvent.decision_id == made["id"]) == 3

    annex = as_rita.get(made["annex_url"])
    letter = as_rita.get(f"/api/decisions/{made['id']}/letters/kg", params={"lang": "ru"})

    assert annex.headers["content-type"] == "application/pdf"
    text = pdf_text(annex.content)
    for _original, latin, _document in PEOPLE:
        assert latin in text
    assert all(badge in text for badge in badges)
    assert "12/345" in text
    assert "Сейітов Арман Болатұлы" in text
    letter_text = pdf_text(letter.content)
    assert "Решение № 12/345" in letter_text or "решению № 12/345" in letter_text
    assert "IVANOV IVAN" in letter_text
    assert count_rows(demo_db, m.AuditEntry, m.AuditEntry.action == "export") >= 2


def test_a_ticked_nomination_changed_meanwhile_fails_the_decision_naming_it(
    as_rita: TestClient[Litestar], demo_db: str
) -> None:
    ids = nominate(as_rita)
    rejected = as_rita.get(f"/api/accreditations/{ids[0]}").json()
    as_rita.post(
        f"/api/accreditations/{ids[0]}/transitions",
        headers=csrf_headers(as_rita),
        json={"status": "rejected", "version": rejected["version"], "reason": "withdrawn by the mission"},
    )

    refused = decide(as_rita, accreditation_ids=ids)

    assert refused.status_code == 409
    assert "IVANOV IVAN" in refused.json()["detail"]
    assert count_rows(demo_db, m.Decision, in_2023(m.Decision.election_id)) == 0
    left_out = decide(as_rita, accreditation_ids=ids, leave_out_changed=True)
    assert left_out.status_code == 201
    assert len(left_out.json()["accreditations"]) == 2
    assert left_out.json()["selection"]["left_out"] == [ids[0]]


def test_a_bad_decision_names_its_field(as_rita: TestClient[Litestar]) -> None:
    ids = nominate(as_rita)

    answers = {
        "decided_on": decide(as_rita, accreditation_ids=ids, decided_on="31.02.2023"),
        "reason": decide(as_rita, accreditation_ids=ids, outcome="rejected"),
        "selection": decide(as_rita, mission="kg", accreditation_ids=ids),
        "import_batch_id": decide(as_rita, import_batch_id=999999),
        "lang": as_rita.get("/api/decisions/1/annex.pdf", params={"lang": "xx"}),
    }

    for field, answer in answers.items():
        assert answer.status_code in (400, 404, 422), (field, answer.text)
        assert field in answer.text, (field, answer.text)
