"""HTML forms to the same typed inputs the JSON API takes, with a message per field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeVar

import msgspec

from tracker.errors import InvalidInput, InvalidInputs, TrackerError
from tracker.i18n import gettext as _
from tracker.instants import date_times_read
from tracker.services.persons import PersonData

T = TypeVar("T")
# What <input type="datetime-local"> sends: no seconds, which RFC 3339 requires.
_MINUTES = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d$")
_WHOLE_NUMBER = re.compile(r"[0-9]{1,19}")


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


def _wanted(kind: Any) -> str:
    """What a field of this type takes, said to the person filling the form in (msgspec's own words are for
    the JSON API)."""
    info: Any = msgspec.inspect.type_info(kind)
    while isinstance(info, msgspec.inspect.Metadata):
        info = info.type
    if isinstance(info, msgspec.inspect.UnionType):
        info = next((part for part in info.types if not isinstance(part, msgspec.inspect.NoneType)), info)
        while isinstance(info, msgspec.inspect.Metadata):
            info = info.type
    if isinstance(info, msgspec.inspect.IntType):
        low, high = info.ge, info.le
        if low is not None and high is not None:
            return _("Enter a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}
        return _("Enter a whole number.")
    if isinstance(info, msgspec.inspect.StrType) and info.max_length:
        return _("Use at most %(limit)d characters.") % {"limit": info.max_length}
    if isinstance(info, (msgspec.inspect.EnumType, msgspec.inspect.LiteralType)):
        return _("Choose one of the listed options.")
    return _("This value is not valid.")


def parse(
    form: Mapping[str, Any], into: type[T], *, lists: tuple[str, ...] = (), extra: dict[str, Any] | None = None
) -> T:
    """The form as `into`, the struct the JSON API takes; every field that is wrong or missing at once."""
    fields = {field.name: field for field in msgspec.structs.fields(into)}  # type: ignore[arg-type]
    # Only the struct's own fields: a form also carries its token, the version, the button pressed.
    data = {key: value for key, value in (values(form, lists=lists) | (extra or {})).items() if key in fields}
    errors = {
        name: _("This field is required.") for name, field in fields.items() if field.required and name not in data
    }
    for name, value in data.items():
        try:
            # Dates and date-times as people write them (22.02.2023 21:13 or ISO 8601), as the API reads them.
            data[name] = date_times_read(value, fields[name].type, name)
            msgspec.convert(data[name], fields[name].type, strict=False)
        except InvalidInput as error:
            errors[name] = error.message.removeprefix(f"{name}: ")
        except msgspec.ValidationError:
            errors[name] = _wanted(fields[name].type)
    if errors:
        raise FormErrors(errors)
    try:
        return msgspec.convert(data, into, strict=False)
    except msgspec.ValidationError as error:  # a rule of the whole struct, beyond any one field
        raise FormErrors({"": _("This value is not valid.") + f" ({error})"}) from None


def require(form: Mapping[str, Any], *fields: str) -> None:
    """Fields a page's form always sends (a text box, even empty; at least one ticked box of a group that
    needs one): a body without them is not that form, and nothing is made of it."""
    missing = [field for field in fields if field not in form]
    if missing:
        raise FormErrors(dict.fromkeys(missing, _("This field is required.")))


def version_of(form: Mapping[str, Any]) -> int:
    """The version of the record the form was filled from (its hidden `version` field), checked before use:
    a form without one, or with anything but a whole number a record can have, is refused."""
    from tracker.web.http.errors import MAX_INT

    text = str(form.get("version") or "").strip()
    if not _WHOLE_NUMBER.fullmatch(text) or not 1 <= int(text) <= MAX_INT:
        raise FormErrors(
            {"version": _("The form carries no valid version of this record; reload the page and try again.")}
        )
    return int(text)


def ids_of(form: Mapping[str, Any], field: str) -> list[int]:
    """Every value of a field that names records by number (ticked boxes, a multiple choice), checked before
    use: one that is not a whole number is refused, naming the field."""
    from tracker.web.http.errors import MAX_INT

    sent = [str(value).strip() for value in (form.getall(field) if field in form else [])]  # type: ignore[attr-defined]
    wrong = [text for text in sent if not _WHOLE_NUMBER.fullmatch(text) or int(text) > MAX_INT]
    if wrong:
        message = _("%(value)s is not a record number.") % {"value": repr(wrong[0])}
        raise FormErrors({field: message})
    return [int(text) for text in sent]


def ticked_ids(form: Mapping[str, Any], field: str) -> list[int]:
    """The record numbers of a field, to show a refused form again as it was sent (anything else dropped)."""
    try:
        return ids_of(form, field)
    except FormErrors:
        return [int(text) for text in map(str, form.getall(field)) if _WHOLE_NUMBER.fullmatch(text)]  # type: ignore[attr-defined]


def one_of(form: Mapping[str, Any], field: str, choices: Mapping[str, T]) -> T:
    """The value of a field that must be one of `choices` (the keys are what the form sends)."""
    text = str(form.get(field) or "").strip()
    if text not in choices:
        raise FormErrors({field: _("Choose one of the listed options.")})
    return choices[text]


def errors_of(error: TrackerError | FormErrors) -> dict[str, str]:
    """Messages by field, as the form shows them: each under its field, without the field's internal name
    that the JSON API's messages begin with; "" for those about the whole form."""
    if isinstance(error, FormErrors):
        found = error.errors
    else:
        found = {}
        for problem in error.problems if isinstance(error, InvalidInputs) else [error]:
            field = problem.field or ""
            found.setdefault(field, problem.message.removeprefix(f"{field}: ") if field else problem.message)
    # A stale version is about the whole form, not a field anyone can see.
    return {"" if field == "version" else field: message for field, message in found.items()}


def status_of(error: TrackerError | FormErrors) -> int:
    """The status of a form sent back with its messages: what the API answers for the same error (a value
    that cannot be used is a bad request there too)."""
    from tracker.web.http.errors import status_for

    return status_for(error) if isinstance(error, TrackerError) else 400
