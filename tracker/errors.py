"""Domain errors. The web maps them to HTTP in one place (`tracker.web.http.errors`), the CLI to one
line and exit code 2."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


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


class InvalidInputs(InvalidInput):
    """Several values that cannot be used, each naming its field: a form shows every one under its field at
    once; the API's answer names the first field and says all of them."""

    def __init__(self, problems: list[TrackerError]) -> None:
        super().__init__("; ".join(problem.message for problem in problems), field=problems[0].field)
        self.problems = problems


class Checks:
    """A form's independent checks, run one after another and refused together (InvalidInputs), so that the
    person filling it in learns of every problem at once rather than of the first."""

    def __init__(self) -> None:
        self.problems: list[TrackerError] = []

    def _found(self, error: InvalidInput) -> None:
        self.problems.extend(error.problems if isinstance(error, InvalidInputs) else [error])

    def run(self, check: Callable[[], T]) -> T | None:
        """What `check` returns; None when it refuses (the refusal is kept for `done`)."""
        try:
            return check()
        except InvalidInput as error:
            self._found(error)
            return None

    async def wait(self, check: Awaitable[T]) -> T | None:
        try:
            return await check
        except InvalidInput as error:
            self._found(error)
            return None

    def refuse(self, field: str, message: str) -> None:
        """A problem found without a check to run: `message` about `field`."""
        self.problems.append(InvalidInput(f"{field}: {message}", field=field))

    def done(self) -> None:
        """Refuse what was found, if anything: one problem as itself, several together."""
        if len(self.problems) == 1:
            raise self.problems[0]
        if self.problems:
            raise InvalidInputs(self.problems)


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
