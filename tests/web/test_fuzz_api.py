"""The API fuzzed from its own OpenAPI document (schemathesis), as anonymous and as each role.

Every operation gets a bounded number of generated requests (valid and not), with the CSRF header a
browser's page would send. Whatever comes back must not be a 5xx, and its status, content type,
headers and body must be what the document says. The demo database is each run's own copy.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from litestar import Litestar
from litestar.testing import TestClient
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import ADA, ARTIFACTS, PAT, RITA, csrf_headers, sign_in
from tracker.app import create_app
from tracker.settings import Settings

# Per operation and role, on each database: enough to reach every route's validation, few enough that the suite
# stays within CI's ten minutes as the API grows.
EXAMPLES = 8
ACCOUNTS = {"admin": ADA, "registrar": RITA, "press_officer": PAT}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Signing out (or in as someone else) half-way would fuzz the rest as another role.
SESSION = {"POST /api/session", "DELETE /api/session"}


@pytest.fixture
def fuzzed_app(demo_db: str) -> Iterator[TestClient[Litestar]]:
    # Every request comes from one address: the public API's limit would soon answer them all 429.
    with TestClient(app=create_app(Settings(database_url=demo_db, public_api_per_minute=10**9))) as client:
        yield client


@pytest.mark.parametrize("role", ["anonymous", "admin", "registrar", "press_officer"])
def test_no_generated_request_gets_a_5xx_or_an_answer_the_document_does_not_describe(
    fuzzed_app: TestClient[Litestar], role: str
) -> None:
    client = fuzzed_app
    if role != "anonymous":
        sign_in(client, ACCOUNTS[role])
    headers = csrf_headers(client)
    schema = schemathesis.openapi.from_dict(client.get("/schema/openapi.json").json())
    operations = [result.ok() for result in schema.get_all_operations()]
    if role != "anonymous":
        operations = [operation for operation in operations if operation.label not in SESSION]
    sent = 0
    failures: dict[str, str] = {}

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case: Any) -> None:
            nonlocal sent
            request = case.as_transport_kwargs(base_url=str(client.base_url))
            # The generated session cookie is noise: the client's own cookies say who is signed in.
            generated = {k: v for k, v in (request.get("headers") or {}).items() if k.lower() != "cookie"}
            response = client.request(
                request["method"],
                request["url"],
                params=request.get("params"),
                headers={**generated, **headers},
                content=request.get("data") if isinstance(request.get("data"), bytes | str) else None,
                json=request.get("json"),
                files=request.get("files"),
            )
            sent += 1
            try:
                case.validate_response(response, checks=CHECKS)
            except (Exception, BaseExceptionGroup) as error:  # collected: the first of each operation is kept
                failures.setdefault(case.operation.label, f"{response.status_code}: {error}"[:1500])

        fuzz()

    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / "fuzzing.txt").open("a", encoding="utf-8") as out:
        out.write(f"{role}: {len(operations)} operations, {sent} generated requests, {len(failures)} failing\n")
    assert failures == {}
