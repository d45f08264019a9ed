"""HTML forms to the same typed inputs the JSON API takes, with a message per field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeVar

import msgspec

from tracker.errors import PossibleDuplicate, TrackerError
from tracker.i18n import gettext as _
from tracker.services.persons import PersonData

T = TypeVar("T")
_PATH = re.compile(r"at `\$\.([a-z_]+)")
# What <input type="datetime-local"> sends: no seconds, which RFC 3339 requires.
_MINUTES = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d$")


class FormErrors(Exception):
    """Messages by field name; "" holds those that belong to the whole form."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def values(form: Mapping[str, Any], *, lists: tuple[str, ...] = ()) -> dict[str, Any]:
    """Form fields as data: empty means absent; fields named in `lists` keep every value."""
    data: dict[str, Any] = {}
    getall = getattr(form, "getall", None)
    for key in form:
        if key.startswith("_"):
            continue
        if key in lists:
            raw = getall(key) if getall else form[key]
            items = raw if isinstance(raw, list) else [raw]
            data[key] = [item for item in items if str(item).strip()]
            continue
        value = form[key]
        if isinstance(value, PersonData):
            data[key] = msgspec.to_builtins(value)
            continue
        if isinstance(value, str):
            value = value.strip()
            if value == "":
                continue
            if value == "on":
                value = True
            elif _MINUTES.match(value):
                value += ":00"
        data[key] = value
    return data


def parse(
    form: Mapping[str, Any], into: type[T], *, lists: tuple[str, ...] = (), extra: dict[str, Any] | None = None
) -> T:
    # Only the struct's own fields: a form also carries its token, the version, the button pressed.
    fields = set(getattr(into, "__struct_fields__", ()))
    data = {key: value for key, value in (values(form, lists=lists) | (extra or {})).items() if key in fields}
    try:
        return msgspec.convert(data, into, strict=False)
    except msgspec.ValidationError as error:
        message = str(error)
        found = _PATH.search(message)
        field = found.group(1) if found else ""
        if message.startswith("Object missing required field"):
            field = message.split("`")[1]
            raise FormErrors({field: _("This field is required.")}) from None
        raise FormErrors({field: _("This value is not valid.") + f" ({message.split(' - at')[0]})"}) from None


def errors_of(error: TrackerError | FormErrors) -> dict[str, str]:
    if isinstance(error, FormErrors):
        return error.errors
    message = error.message
    if error.field and message.startswith(f"{error.field}: "):
        message = message.removeprefix(f"{error.field}: ")
    if isinstance(error, PossibleDuplicate):
        return {"confirm_duplicate": message}
    # A stale version is about the whole form, not a field anyone can see.
    return {"" if error.field in (None, "version") else error.field: message}


def status_of(error: TrackerError | FormErrors | ValueError) -> int:
    """The status of a form sent back with its messages: what the API answers for the same error."""
    from tracker.web.errors import status_for

    return status_for(error) if isinstance(error, TrackerError) else 422
