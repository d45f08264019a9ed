"""GET /api/elections/{slug}/tally: the published figures, in three languages, and clear errors."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.published import PUBLISHED_2023

TALLY = "/api/elections/majilis-2023/tally"


@pytest.mark.parametrize(("as_of", "observers", "countries", "organizations"), PUBLISHED_2023)
def test_it_reproduces_each_published_row(
    client: TestClient[Litestar], as_of: str, observers: int, countries: int, organizations: int
) -> None:
    response = client.get(TALLY, params={"as_of": as_of})

    assert response.status_code == 200
    body = response.json()
    assert (body["observers"], body["countries"], body["organizations"]) == (observers, countries, organizations)


@pytest.mark.parametrize(
    ("lang", "headline"),
    [
        ("en", "97 international observers from 11 countries and three international organizations"),
        ("ru", "97 международных наблюдателей из 11 стран и 3 международных организаций"),
        ("kk", "11 елден және 3 халықаралық ұйымнан 97 халықаралық байқаушы"),
    ],
)
def test_it_writes_the_headline_in_the_asked_language(client: TestClient[Litestar], lang: str, headline: str) -> None:
    body = client.get(TALLY, params={"as_of": "2023-02-22T21:13+06:00", "lang": lang}).json()

    assert body["headline"] == headline
    assert body["lang"] == lang
    assert body["as_of"] == "2023-02-22T21:13:00+06:00"


def test_it_reads_a_moment_written_day_first(client: TestClient[Litestar]) -> None:
    response = client.get(f"{TALLY}?as_of=22.02.2023%2021:13")

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["observers"], body["countries"], body["organizations"]) == (97, 11, 3)
    assert body["as_of"] == "2023-02-22T21:13:00+06:00"


def test_it_breaks_the_first_published_tally_down_by_sender(client: TestClient[Litestar]) -> None:
    body = client.get(TALLY, params={"as_of": "2023-02-09T19:13+06:00"}).json()

    observers = {row["code"]: row["observers"] for row in body["by_sender"] if row["observers"]}
    assert observers == {"PS": 1, "cis-ipa": 11, "osce-odihr": 13}
    assert body["by_sender_kind"] == {
        "foreign_state": 1,
        "international_organization": 24,
        "domestic_organization": 0,
    }
    assert sum(row["observers"] for row in body["by_role"]) == 25
    assert sum(row["observers"] for row in body["by_nationality"]) == 25


def test_two_odihr_observers_were_withdrawn_on_13_february_and_replaced(client: TestClient[Litestar]) -> None:
    def odihr(as_of: str) -> int:
        body = client.get(TALLY, params={"as_of": as_of}).json()
        return next(row["observers"] for row in body["by_sender"] if row["code"] == "osce-odihr")

    assert odihr("2023-02-13T11:29+06:00") - odihr("2023-02-13T11:30+06:00") == 2
    assert odihr("2023-02-14T16:00+06:00") == odihr("2023-02-13T11:29+06:00")


def test_without_as_of_it_counts_as_of_now(client: TestClient[Litestar]) -> None:
    body = client.get(TALLY).json()

    assert body["as_of"].startswith("20")
    # After the window closed and one CIS observer's accreditation was revoked on 18 March 2023.
    assert (body["observers"], body["countries"], body["organizations"]) == (208, 16, 4)


def test_an_instant_before_the_window_gives_zeros(client: TestClient[Litestar]) -> None:
    body = client.get(TALLY, params={"as_of": "2023-01-01"}).json()

    assert (body["observers"], body["countries"], body["organizations"], body["nominated"]) == (0, 0, 0, 0)
    assert body["headline"] == "no international observers"


def test_an_unknown_election_is_404_naming_it(client: TestClient[Litestar]) -> None:
    response = client.get("/api/elections/senate-2099/tally")

    assert response.status_code == 404
    assert response.json() == {"status_code": 404, "detail": "unknown election 'senate-2099'", "field": "election"}


@pytest.mark.parametrize("as_of", ["yesterday", "2023-02-30", "22/02/2023", "2023-02-22T25:00"])
def test_a_malformed_as_of_is_400_naming_the_parameter(client: TestClient[Litestar], as_of: str) -> None:
    response = client.get(TALLY, params={"as_of": as_of})

    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "as_of"
    assert body["detail"].startswith("as_of: ")
    assert "22.02.2023 21:13 or 2023-02-22T21:13" in body["detail"]


def test_an_unknown_language_is_400_listing_the_accepted_ones(client: TestClient[Litestar]) -> None:
    response = client.get(TALLY, params={"lang": "de"})

    assert response.status_code == 400
    assert response.json() == {"status_code": 400, "detail": "lang: 'de' is not one of en, ru, kk", "field": "lang"}
