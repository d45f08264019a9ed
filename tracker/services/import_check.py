"""Checking a mission's list row by row: each row becomes an observer as it will be stored, or problems named
by row and by the file's own column, every problem of every row at once, in the registrar's language. Pure
reading once `Reader.load` has fetched what the rows are checked against (the countries, and who is already
in the election); it runs in a worker thread (see services/imports.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import labels as names
from tracker import models as m
from tracker.cleaning import check_birth_date, clean_document, clean_email, clean_text, search_key
from tracker.errors import InvalidInput
from tracker.i18n import gettext as _
from tracker.services.persons import people_in_election
from tracker.spreadsheets import UNSAVED_FORMULA, CountryNames, Header, Table, parse_date, parse_gender, parse_role
from tracker.transliteration import Reason, name_parts, propose_passport_name, split_name

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Problem:
    row: int
    """The row's number as the spreadsheet program shows it (1 is the first row)."""
    field: str
    """The import's field (`birth_date`, …), or `file` for the file as a whole."""
    column: int | None
    """The file's column (0 is the first) the problem is in, when the field has one."""
    label: str
    """How the registrar knows the column: the file's own header, else the field's name."""
    message: str
    """What is wrong, in the registrar's language."""

    @property
    def text(self) -> str:
        return f"{self.label}: {self.message}"


@dataclass(frozen=True)
class Observer:
    """One row, as it will be stored."""

    row: int
    name_original: str
    name_latin: str
    latin_proposed: bool
    """The Latin name was proposed by transliteration: the file gave none, nor did the registrar."""
    nationality: str
    birth_date: dt.date | None
    gender: m.Gender
    document_number: str | None
    document_country: str | None
    role: m.Role
    email: str | None
    phone: str | None


@dataclass(frozen=True)
class CheckedRow:
    row: int
    observer: Observer | None
    """As it will be stored; None when a problem leaves the row unreadable."""
    problems: tuple[Problem, ...] = ()
    values: tuple[object, ...] = ()
    """The row as read, kept for rows with problems (the preview shows them as the file has them)."""
    already_there: bool = False
    """The same person is in the election through this mission already: not imported again, no problem."""
    name_latin: str | None = None
    """For a row with problems, the Latin name it would get, as given or proposed."""
    latin_proposed: bool = False

    @property
    def importable(self) -> bool:
        return self.observer is not None and not self.problems and not self.already_there


@dataclass
class Check:
    header: Header
    rows: list[CheckedRow] = field(default_factory=list)
    file_problems: list[Problem] = field(default_factory=list)

    @property
    def rows_total(self) -> int:
        return len(self.rows)

    @property
    def problems(self) -> list[Problem]:
        return [*self.file_problems, *(problem for row in self.rows for problem in row.problems)]

    @property
    def observers(self) -> list[Observer]:
        """The rows that can be imported: no problem, and not already in the election."""
        return [row.observer for row in self.rows if row.importable and row.observer is not None]

    @property
    def rows_with_problems(self) -> int:
        return sum(1 for row in self.rows if row.problems)

    @property
    def rows_already_there(self) -> int:
        return sum(1 for row in self.rows if row.already_there and not row.problems)

    @property
    def ok(self) -> bool:
        """Every row can be imported or is already there, and there is something to import."""
        return not self.problems and bool(self.observers)

    def problems_by_row(self) -> dict[int, list[Problem]]:
        found: dict[int, list[Problem]] = {}
        for problem in self.problems:
            found.setdefault(problem.row, []).append(problem)
        return found


@dataclass(frozen=True)
class Known:
    """Someone already in the election, nominated or accredited: in which mission."""

    mission_id: int
    mission_name: str


class Reader:
    """Turns a table's rows into observers, or into problems by row and column."""

    def __init__(self, session: AsyncSession, election: m.Election, mission: m.Mission) -> None:
        self.session = session
        self.election = election
        self.mission = mission

    async def load(self) -> None:
        countries = await self.session.execute(
            select(m.Country.code, m.Country.alpha_3, m.Country.name_en, m.Country.name_ru, m.Country.name_kk)
        )
        self.countries = CountryNames(tuple(row) for row in countries)
        # Who is already in this election, and through which mission: by document, and by name and birth date.
        current = await self.session.execute(
            people_in_election(self.election.id)
            .join(m.Mission, m.Mission.id == m.Accreditation.mission_id)
            .with_only_columns(
                m.Person.document_number,
                m.Person.name_original,
                m.Person.name_latin,
                m.Person.birth_date,
                m.Mission.id,
                m.Mission.name,
            )
        )
        self.known_documents: dict[str, Known] = {}
        self.known_people: dict[tuple[str, dt.date], Known] = {}
        for document, original, latin, born, mission_id, mission_name in current:
            known = Known(mission_id, mission_name)
            if document:
                self.known_documents.setdefault(document, known)
            if born:
                self.known_people.setdefault((search_key(original), born), known)
                self.known_people.setdefault((search_key(latin), born), known)

    def check(
        self,
        table: Table,
        header: Header,
        default_role: m.Role,
        progress: Progress | None = None,
        *,
        latin_names: Mapping[str, str] | None = None,
    ) -> Check:
        """Every row checked; `latin_names` are the Latin names the registrar typed over proposed ones, by row."""
        result = Check(header=header)
        rows = _RowChecker(self, header, default_role, latin_names or {})
        for number, values in _data_rows(table, header):
            result.rows.append(rows.check(number, values))
            if progress and len(result.rows) % 500 == 0:
                progress(500)
        if progress:
            progress(len(result.rows) % 500)
        if not result.rows:
            message = _("there are no rows under the header")
            result.file_problems.append(Problem(header.row_index + 1, "file", None, _("file"), message))
        return result


def _data_rows(table: Table, header: Header) -> Iterator[tuple[int, tuple[object, ...]]]:
    for index, values in enumerate(table.rows()):
        if index <= header.row_index or all(value in (None, "") for value in values):
            continue
        yield index + 1, values


class _RowChecker:
    """The rules a row is read by, and the rows read before it (for duplicates inside the file)."""

    def __init__(self, reader: Reader, header: Header, default_role: m.Role, latin_names: Mapping[str, str]) -> None:
        self.reader = reader
        self.header = header
        self.default_role = default_role
        self.latin_names = latin_names
        self.field_names = names.import_fields()
        self.seen_documents: dict[str, int] = {}
        self.seen_people: dict[tuple[str, dt.date], int] = {}

    def check(self, number: int, values: tuple[object, ...]) -> CheckedRow:
        row = _Row(self, number, values)
        observer = row.read()
        already_there = row.duplicates()
        if row.problems:
            # In the order of the file's columns, as the mission reads its row; a problem of no column last.
            problems = sorted(row.problems, key=lambda found: (found.column is None, found.column or 0))
            latin, proposed = row.fields.get("latin"), row.fields.get("proposed", False)
            return CheckedRow(number, None, tuple(problems), values, name_latin=latin, latin_proposed=proposed)
        return CheckedRow(number, observer, already_there=already_there)

    def label(self, name: str) -> str:
        column = self.header.mapping.get(name)
        if column is not None and column < len(self.header.labels) and self.header.labels[column].strip():
            return self.header.labels[column].strip()
        return self.field_names.get(name, name)


class _Row:
    """One row being read: its values by field, and its problems as they are found."""

    def __init__(self, rules: _RowChecker, number: int, values: tuple[object, ...]) -> None:
        self.rules = rules
        self.number = number
        self.values = values
        self.problems: list[Problem] = []
        self.fields: dict[str, Any] = {}

    def problem(self, name: str, message: str, column_of: str | None = None) -> None:
        # Named as the column it is about: a Latin name refused for the original's script is the ФИО column's.
        column = self.rules.header.mapping.get(column_of or name)
        label = self.rules.label(column_of if column is not None and column_of else name)
        self.problems.append(Problem(self.number, name, column, label, message))

    def value(self, name: str) -> Any:
        column = self.rules.header.mapping.get(name)
        if column is None or column >= len(self.values):
            return None
        found = self.values[column]
        if found is UNSAVED_FORMULA:
            if not any(problem.field == name for problem in self.problems):
                self.problem(name, _("a formula without a saved value: type the value instead"))
            return None
        return found.strip() if isinstance(found, str) else found

    def text(self, name: str) -> str | None:
        found = self.value(name)
        if found is None or found == "":
            return None
        if isinstance(found, float) and found.is_integer():
            found = int(found)
        return str(found)

    def joined(self, *names: str) -> str | None:
        parts = [part for part in (self.text(name) for name in names) if part]
        return " ".join(parts) or None

    def checked(self, name: str, read: Callable[[], Any]) -> Any:
        try:
            return read()
        except (InvalidInput, ValueError) as error:
            message = error.message if isinstance(error, InvalidInput) else str(error)
            self.problem(name, message.removeprefix(f"{name}: "))
            return None

    def read(self) -> Observer | None:
        name_original, name_latin, proposed = self._names()
        nationality = self._country("nationality", default=self.rules.reader.mission.country_code)
        document_country = self._country("document_country", default=None)
        born = self.value("birth_date")
        birth_date = (
            self.checked("birth_date", lambda: check_birth_date(parse_date(born))) if born not in (None, "") else None
        )
        gender_text = self.value("gender")
        gender = self.checked("gender", lambda: parse_gender(gender_text)) if gender_text not in (None, "") else None
        role_text = self.value("role")
        role = (
            self.checked("role", lambda: parse_role(role_text))
            if role_text not in (None, "")
            else self.rules.default_role
        )
        document = self.checked("document_number", lambda: clean_document(self.text("document_number")))
        email = self.checked("email", lambda: clean_email(self.text("email")))
        phone = self.checked("phone", lambda: clean_text(self.text("phone"), "phone", limit=64))
        self.fields = {
            "document": document,
            "latin": name_latin,
            "proposed": proposed,
            "original": name_original,
            "born": birth_date,
        }
        if self.problems or name_original is None or name_latin is None or nationality is None:
            return None
        return Observer(
            row=self.number,
            name_original=name_original,
            name_latin=name_latin,
            latin_proposed=proposed,
            nationality=nationality,
            birth_date=birth_date,
            gender=gender or m.Gender.UNSPECIFIED,
            document_number=document,
            document_country=document_country,
            role=role or self.rules.default_role,
            email=email,
            phone=phone,
        )

    def _names(self) -> tuple[str | None, str | None, bool]:
        """The name in its own script (a patronymic kept), the Latin name (given, typed by the registrar, or
        proposed from the original as passports write it), and whether it was proposed."""
        original = self.text("name_original") or self.joined("surname", "given_names", "patronymic")
        latin = self.text("name_latin") or self.joined("surname_latin", "given_names_latin")
        typed = self.rules.latin_names.get(str(self.number))
        proposed = False
        if typed:
            latin = typed
        elif latin is None and original is not None:
            if original.isascii() and any(char.isalpha() for char in original):
                latin = original  # already in Latin letters, written as the mission wrote it
            else:
                # Passports write surname and given names in Latin letters, without the patronymic.
                whole = self.text("name_original")
                parts = (
                    split_name(whole)
                    if whole
                    else name_parts(
                        self.text("surname") or "", self.text("given_names") or "", self.text("patronymic") or ""
                    )
                )
                proposal = propose_passport_name(parts)
                if proposal.latin:
                    latin, proposed = proposal.latin, True
                else:
                    self.problem("name_latin", _latin_refusal(proposal.reason), column_of="name_original")
        if original is None and latin is not None:
            original = latin
        flagged = {problem.field for problem in self.problems}
        if original is None:
            if "name_original" not in flagged:
                self.problem("name_original", _("a name is required"))
        elif latin is None and "name_latin" not in flagged:
            self.problem("name_latin", _("the name in Latin letters is required"))
        name_original = (
            self.checked("name_original", lambda: clean_text(original, "name_original", printed=True))
            if original
            else None
        )
        name_latin = (
            self.checked("name_latin", lambda: clean_text(latin, "name_latin", printed=True)) if latin else None
        )
        return name_original, name_latin, proposed

    def _country(self, name: str, default: str | None) -> str | None:
        written = self.text(name)
        if not written:
            if default is None and name == "nationality":
                self.problem(name, _("required"))
            return default
        code = self.rules.reader.countries.code(written)
        if code is None:
            self.problem(name, _("unknown country %(value)s") % {"value": repr(written)})
        return code

    def duplicates(self) -> bool:
        """Checked on every row that has a document or a name and birth date, whatever else is wrong with it.
        True when the person is already in the election through this mission (not imported again)."""
        rules, reader = self.rules, self.rules.reader
        mission_id = reader.mission.id
        already_there = found = False
        document = self.fields.get("document")
        if document:
            first = rules.seen_documents.setdefault(document, self.number)
            known = reader.known_documents.get(document)
            if first != self.number:
                self.problem("document_number", _("the same document as row %(row)d") % {"row": first})
            elif known is not None:
                already_there, found = self._known(known, "document_number", mission_id), True
        born, latin, original = self.fields.get("born"), self.fields.get("latin"), self.fields.get("original")
        if born and (latin or original):
            # Inside the file, by the fuller name: a proposed Latin name drops the patronymic, which tells apart two
            # Ivanov Ivans born the same day. Against the election, by either.
            keys = [(search_key(name), born) for name in (original, latin) if name]
            first = rules.seen_people.setdefault(keys[0], self.number)
            known = next((reader.known_people[key] for key in keys if key in reader.known_people), None)
            if first != self.number:
                self.problem("name_original", _("the same name and birth date as row %(row)d") % {"row": first})
            elif known is not None and not found:
                already_there = self._known(known, "name_latin", mission_id)
        return already_there

    def _known(self, known: Known, name: str, mission_id: int) -> bool:
        if known.mission_id == mission_id:
            return True
        self.problem(
            name,
            _("this person is already nominated or accredited in this election, through %(mission)s")
            % {"mission": known.mission_name},
        )
        return False


def _latin_refusal(reason: Reason | None) -> str:
    if reason is Reason.MIXED_SCRIPTS:
        return _("letters of two alphabets in one word (a Latin letter among Cyrillic ones?): check the name")
    if reason is Reason.NOTHING_LEFT:
        return _("nothing in the name can be written in Latin letters")
    return _("no standard rule writes this script in Latin letters: type the name in Latin letters as in the passport")
