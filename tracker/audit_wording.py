"""The audit trail as a person reads it: who did what to which record, and what changed, as
`field: before → after` in the interface language. Pure: entries and the names of what they mention in,
worded entries out.

An entry keeps its record as it stood before and after (internal field names, ids, ISO times in UTC, codes).
Only the fields that differ are shown, each labelled as the forms label it; a value is shown as the pages
show it (a status by its name, a country by its name, a time in the election's zone, a mission by its name
with a link). An action or a field this module does not know is still shown, its name made readable, so that
a new kind of entry is never hidden.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from babel.core import Locale, UnknownLocaleError
from babel.numbers import format_decimal

from tracker import labels
from tracker import models as m
from tracker.i18n import current_language, format_day, format_instant
from tracker.i18n import gettext as _

# Never worth a line: the row's own number and version, a derived search key, the kind of an export (its
# action says it).
HIDDEN = frozenset({"id", "version", "search_name", "export"})
# Who made or published a record: the entry's own "by", said once.
BY_FIELDS = frozenset({"created_by", "published_by", "committed_by", "uploaded_by", "decided_by"})
# Actions whose words say all there is; the record they keep after is the whole row, unchanged in substance.
SAYS_IT_ALL = frozenset({"activate", "deactivate", "publish", "photo", "delete"})
HASH_FIELDS = frozenset({"sha256", "pdf_sha256", "fingerprint"})
LANGUAGE_FIELDS = frozenset({"language", "lang", "languages"})
# The names in a record's own snapshot, for a record no longer there (a deleted draft, a mission removed).
OWN_NAME_FIELDS = ("name_latin", "name", "email", "title", "file_name", "reference", "slug")
_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_INSTANT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)")
NOTHING = "—"

# Fields of the records (and of what the trail records beside them) that hold another record's number.
REFERENCES = {
    "election_id": "election",
    "mission_id": "mission",
    "person_id": "person",
    "organization_id": "organization",
    "replaces_id": "accreditation",
    "left_out": "accreditation",
    "import_batch_id": "import_batch",
    "corrects_id": "bulletin",
    "decision_id": "decision",
    "news_item_ids": "news_item",
}
COUNTRY_FIELDS = frozenset({"nationality_code", "document_country_code", "country_code"})


@dataclass(frozen=True, slots=True)
class Named:
    """A value as shown: its text, and the page of the record it names, if any."""

    text: str
    href: str | None = None


@dataclass(slots=True)
class RecordNames:
    """What a page of the trail needs to name things: records by (kind, number), countries, elections."""

    records: dict[tuple[str, str], Named] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)
    elections: dict[int, m.Election] = field(default_factory=dict)

    def record(self, kind: str, key: object) -> Named | None:
        return self.records.get((kind, str(key)))


def _numbers(values: Iterable[Any]) -> Iterator[str]:
    for value in values if isinstance(values, list) else [values]:
        if isinstance(value, int) and not isinstance(value, bool):
            yield str(value)
        elif isinstance(value, str) and value.isdigit():
            yield value


def wanted(entries: Iterable[m.AuditEntry]) -> tuple[dict[str, set[int]], set[str]]:
    """The numbers of the records the entries name, by kind, and the country codes in their values."""
    records: dict[str, set[int]] = defaultdict(set)
    countries: set[str] = set()

    def walk(values: dict[str, Any]) -> None:
        for key, value in values.items():
            if key in REFERENCES:
                records[REFERENCES[key]].update(int(number) for number in _numbers(value))
            elif key in COUNTRY_FIELDS and isinstance(value, str):
                countries.add(value)
            elif isinstance(value, dict):
                walk(value)

    for entry in entries:
        if entry.entity_id.isdigit():
            records[entry.entity].add(int(entry.entity_id))
        for values in (entry.before, entry.after):
            if isinstance(values, dict):
                walk(values)
    return records, countries


@dataclass(frozen=True, slots=True)
class Change:
    label: str
    before: Named | None
    """None when the entry keeps no earlier value: a new record, or a fact only the change has (its time)."""
    after: Named | None
    """None when the field was cleared away."""


@dataclass(frozen=True, slots=True)
class WordedEntry:
    id: int
    at: dt.datetime
    when: str
    """`at` in the election's time zone (the commission's for an entry of no election), as `lang` writes it."""
    actor: str
    action: str
    record_type: str
    record: Named | None
    """None for an entry about no one record (the demo data loaded)."""
    entity: str
    entity_id: str
    changes: list[Change]
    note: str | None


def action_words() -> dict[str, str]:
    return {
        "create": _("created"),
        "update": _("changed"),
        "delete": _("deleted"),
        "nominate": _("nominated an observer"),
        "substitute": _("nominated a replacement"),
        "transition": _("changed the status"),
        "confirm_latin_name": _("confirmed the Latin name"),
        "photo": _("changed the photo"),
        "import": _("imported a list"),
        "publish": _("published a bulletin"),
        "activate": _("activated the account"),
        "deactivate": _("deactivated the account"),
        "change_password": _("changed their password"),
        "password_reset_link": _("made a link to set a new password"),
        "reset_password": _("set a new password through a link"),
        "decide": _("took a decision"),
        "seed": _("loaded the demo data"),
    }


def export_words() -> dict[str, str]:
    return {"roster": _("exported the roster"), "cards": _("printed accreditation cards")}


def readable(name: str) -> str:
    """A name this module has no words for, made readable: `reset_password` → `reset password`."""
    return re.sub(r"[_:]+", " ", name).strip()


def word_action(entry: m.AuditEntry) -> str:
    action, _sep, _detail = entry.action.partition(":")
    if action == "export":
        kind = (entry.after or {}).get("export") or (entry.note or "").partition(" ")[0]
        return export_words().get(str(kind), _("exported"))
    return action_words().get(action) or readable(entry.action)


def _values() -> dict[str, dict[str, str]]:
    """Fields whose values are words of the workflow, and those words in the interface language."""
    statuses = labels.statuses() | labels.record_states()
    roles = labels.roles() | labels.user_roles()
    return {
        "status": statuses,
        "outcome": statuses,
        "role": roles,
        "default_role": roles,
        "gender": labels.genders(),
        "sender_kind": labels.sender_kinds(),
        "kind": labels.organization_kinds(),
        "layout": {
            "sheet": _("Four cards on an A4 sheet, with cut marks"),
            "single": _("One card per page, for a card printer"),
        },
    }


def _language(code: str, lang: str) -> str:
    try:
        return Locale.parse(code).get_display_name(lang) or code
    except (ValueError, UnknownLocaleError):
        return code


class Wording:
    """Words entries for one page, in the interface language of the request."""

    def __init__(self, names: RecordNames, commission_zone: ZoneInfo) -> None:
        self.names = names
        self.commission_zone = commission_zone
        self.lang = current_language.get()
        self.fields = labels.record_fields()
        self.types = labels.record_types()
        self.values = _values()

    def entry(self, entry: m.AuditEntry) -> WordedEntry:
        election = self.names.elections.get(entry.election_id) if entry.election_id else None
        zone = election.zone if election else self.commission_zone
        return WordedEntry(
            id=entry.id,
            at=entry.at,
            when=format_instant(entry.at, zone, self.lang),
            actor=entry.actor,
            action=word_action(entry),
            record_type=self.types.get(entry.entity) or readable(entry.entity),
            record=self.record(entry),
            entity=entry.entity,
            entity_id=entry.entity_id,
            changes=self.changes(entry, zone),
            note=entry.note,
        )

    def record(self, entry: m.AuditEntry) -> Named | None:
        if entry.entity_id in ("", "-"):
            return None
        named = self.names.record(entry.entity, entry.entity_id)
        if named is not None:
            return named
        kept = entry.after or entry.before or {}
        own = next((kept[key] for key in OWN_NAME_FIELDS if isinstance(kept.get(key), str) and kept[key]), None)
        if own is not None:
            return Named(own)
        return Named(f"#{entry.entity_id}")

    def label(self, key: str) -> str:
        return self.fields.get(key) or readable(key).capitalize()

    def changes(self, entry: m.AuditEntry, zone: ZoneInfo) -> list[Change]:
        before, after = entry.before, entry.after
        action = entry.action.partition(":")[0]

        def shown(key: str, value: Any) -> bool:
            if key in HIDDEN or (key == "election_id" and value == entry.election_id):
                return False
            return not (key in BY_FIELDS and value == entry.actor)

        if isinstance(before, dict) and isinstance(after, dict):
            changes = []
            for key, value in after.items():
                if not shown(key, value):
                    continue
                if key not in before:
                    if not _empty(value):
                        changes.append(Change(self.label(key), None, self.value(key, value, zone)))
                elif before[key] != value:
                    changes.append(
                        Change(self.label(key), self.value(key, before[key], zone), self.value(key, value, zone))
                    )
            return changes
        # An export recorded before exports said what they held kept the whole election: its note says it.
        if not isinstance(after, dict) or action in SAYS_IT_ALL or (action == "export" and "export" not in after):
            return []
        return [
            Change(self.label(key), None, self.value(key, value, zone))
            for key, value in after.items()
            if shown(key, value) and not _empty(value) and value is not False
        ]

    def value(self, key: str, value: Any, zone: ZoneInfo) -> Named:
        if _empty(value):
            return Named(NOTHING)
        if key in REFERENCES:
            kind = REFERENCES[key]
            items = value if isinstance(value, list) else [value]
            found = [self.names.record(kind, item) or Named(f"#{item}") for item in items]
            return found[0] if len(found) == 1 else Named(", ".join(item.text for item in found))
        if key in COUNTRY_FIELDS and isinstance(value, str):
            return Named(self.names.countries.get(value, value))
        if key in LANGUAGE_FIELDS and isinstance(value, str):
            return Named(", ".join(_language(code.strip(), self.lang) for code in value.split(",")))
        if key in self.values and isinstance(value, str):
            return Named(self.values[key].get(value, value))
        if key in HASH_FIELDS and isinstance(value, str):
            return Named(value[:12] + "…")
        return Named(self.plain(value, zone))

    def plain(self, value: Any, zone: ZoneInfo) -> str:
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, int | float):
            return format_decimal(value, locale=self.lang)
        if isinstance(value, list):
            return ", ".join(self.plain(item, zone) for item in value)
        if isinstance(value, dict):
            return "; ".join(
                f"{self.label(key)}: {self.value(key, item, zone).text}"
                for key, item in value.items()
                if not _empty(item)
            )
        text = str(value)
        if _DATE.fullmatch(text):
            try:
                return format_day(dt.date.fromisoformat(text), self.lang)
            except ValueError:
                return text
        if _INSTANT.fullmatch(text):
            try:
                return format_instant(dt.datetime.fromisoformat(text), zone, self.lang)
            except ValueError:
                return text
        return text


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def word_entries(entries: list[m.AuditEntry], names: RecordNames, commission_zone: ZoneInfo) -> list[WordedEntry]:
    wording = Wording(names, commission_zone)
    return [wording.entry(entry) for entry in entries]
