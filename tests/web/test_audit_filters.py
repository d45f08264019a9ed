"""The audit trail's filters on both databases: what no record can hold is a 400 naming the filter, never a
500 from the database (PostgreSQL refuses a NUL in text)."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.web.api_helpers import fields_named


@pytest.mark.parametrize("field", ["entity", "actor", "election"])
def test_a_filter_no_record_can_hold_is_named(as_ada: TestClient[Litestar], field: str) -> None:
    assert fields_named(as_ada.get("/api/audit", params={field: "mission\x00"})) == {field}
