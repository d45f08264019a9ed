"""Domain errors. The web maps them to HTTP in one place (`tracker.web.http.errors`), the CLI to one
line and exit code 2."""

from __future__ import annotations


class TrackerError(Exception):
    """Something the user asked for cannot be done; the message says why."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(TrackerError):
    def __init__(self, entity: str, key: object) -> None:
        super().__init__(f"unknown {entity} {key!r}", field=entity)
        self.entity = entity
        self.key = key


class InvalidInput(TrackerError):
    """A value that cannot be used: the field and what is accepted."""


class InvalidTransition(TrackerError):
    """A status change that the accreditation workflow does not allow."""


class Conflict(TrackerError):
    """The record changed underneath the request."""


class PermissionDenied(TrackerError):
    """The user's role does not allow this."""


class TooManyAttempts(TrackerError):
    """Refused for a while after repeated failures: for `retry_after` seconds. `slowed`: the account is
    only being slowed down (each attempt waits), not refused for the whole window."""

    def __init__(self, message: str, *, retry_after: int, slowed: bool = False) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.slowed = slowed


class PossibleDuplicate(Conflict):
    """The person looks like one already in this election; saving needs a confirmation."""

    def __init__(self, message: str, matches: list[dict[str, object]]) -> None:
        super().__init__(message, field="confirm_duplicate")
        self.matches = matches
