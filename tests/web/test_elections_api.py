"""GET /api/elections and the OpenAPI document."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import TestClient


def test_it_lists_the_elections(client: TestClient[Litestar]) -> None:
    response = client.get("/api/elections", params={"lang": "ru"})

    assert response.status_code == 200
    # The most recent first: the demo's fictional election, open around the day it was seeded, then 2023's.
    fictional, election = response.json()
    assert fictional["slug"] == "demo-fictional"
    assert election["slug"] == "majilis-2023"
    assert election["name"].startswith("Выборы депутатов Мажилиса")
    assert election["voting_day"] == "2023-03-19"
    assert election["window_closes_at"] == "2023-03-13T18:00:00+06:00"


def test_it_shows_one_election(client: TestClient[Litestar]) -> None:
    response = client.get("/api/elections/majilis-2023")

    assert response.status_code == 200
    assert response.json()["time_zone"] == "Asia/Almaty"


def test_it_documents_the_api_in_openapi(client: TestClient[Litestar]) -> None:
    response = client.get("/schema/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/elections" in paths
    tally = paths["/api/elections/{slug}/tally"]["get"]
    assert {parameter["name"] for parameter in tally["parameters"]} >= {"slug", "as_of", "lang"}
    assert {"200", "400", "404"} <= set(tally["responses"])
