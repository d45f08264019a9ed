"""Log hygiene: what the servers log about requests never carries a query string, where a search for
a person (a name, a document number) would otherwise be written down."""

from __future__ import annotations

import logging

ACCESS_LOGGERS = ("uvicorn.access",)


class DropQueryStrings(logging.Filter):
    """uvicorn's access lines are (client, method, path with query, HTTP version, status): keep the path."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) >= 3 and isinstance(record.args[2], str):
            path = record.args[2].split("?", 1)[0]
            record.args = (*record.args[:2], path, *record.args[3:])
        return True


def keep_query_strings_out_of_access_logs() -> None:
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, DropQueryStrings) for existing in logger.filters):
            logger.addFilter(DropQueryStrings())
