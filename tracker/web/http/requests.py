"""The app's request class: how every JSON endpoint reads its body, before Litestar validates it."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request
from litestar.exceptions import ClientException

from tracker.instants import date_times_read


class CheckedRequest(Request[Any, Any, Any]):
    """Every JSON endpoint reads its body here (Litestar's `data` and `request.json()` alike).

    - msgspec decodes nested arrays and objects by recursion and stops at Python's recursion limit with a
      RecursionError, which Litestar would answer as a server error: a body like `[` × 100,000 is refused
      as a bad request instead, before anything else sees it.
    - The date-times of the handler's `data` are read as the API documents them (seconds optional), not
      only in the RFC 3339 form msgspec converts; one that is no date-time is refused naming its field.
    """

    async def json(self) -> Any:
        try:
            body = await super().json()
        except RecursionError:
            raise ClientException("the JSON body is nested too deeply (arrays or objects within each other)") from None
        data = self.route_handler.parsed_fn_signature.parameters.get("data")
        if data is not None and isinstance(data.annotation, type) and issubclass(data.annotation, msgspec.Struct):
            return date_times_read(body, data.annotation)
        return body
