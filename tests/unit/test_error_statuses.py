"""Every domain error has an HTTP status; one the table does not name is a 400, never a 500."""

from __future__ import annotations

from tracker.errors import Conflict, InvalidInput, NotFound, TrackerError
from tracker.services.imports import AlreadyImported
from tracker.web.http.errors import status_for


def test_named_errors_keep_their_status() -> None:
    assert status_for(NotFound("election", "x")) == 404
    assert status_for(InvalidInput("x: bad")) == 400
    assert status_for(Conflict("x: stale")) == 409


def test_an_error_the_table_does_not_name_is_a_bad_request() -> None:
    class Unlisted(TrackerError):
        pass

    assert status_for(Unlisted("something")) == 400


def test_importing_the_same_file_twice_is_a_conflict() -> None:
    assert issubclass(AlreadyImported, Conflict)


def test_a_deadlock_postgresql_reports_is_a_conflict_to_retry_not_a_server_error() -> None:
    from litestar import Litestar, post
    from litestar.testing import TestClient
    from sqlalchemy.exc import DBAPIError

    from tracker.web.http.errors import handlers

    class Deadlock(Exception):
        sqlstate = "40P01"

    @post("/decide")
    async def decide() -> None:
        raise DBAPIError("UPDATE tally_mission_slot …", {}, Deadlock("deadlock detected"))

    with TestClient(Litestar([decide], exception_handlers=handlers)) as client:
        answer = client.post("/decide", headers={"Accept": "application/json"})
    assert answer.status_code == 409
    assert "try again" in answer.json()["detail"]
