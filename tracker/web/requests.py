"""The app's request class: a JSON body the decoder cannot take is the client's error, whatever its shape."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import ClientException


class CheckedRequest(Request[Any, Any, Any]):
    """Every JSON endpoint reads its body here (Litestar's `data` and `request.json()` alike).

    msgspec decodes nested arrays and objects by recursion and stops at Python's recursion limit with a
    RecursionError, which Litestar would answer as a server error: a body like `[` × 100,000 is refused
    as a bad request instead, before anything else sees it."""

    async def json(self) -> Any:
        try:
            return await super().json()
        except RecursionError:
            raise ClientException("the JSON body is nested too deeply (arrays or objects within each other)") from None
