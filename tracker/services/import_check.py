"""Checking a mission's list row by row: each row becomes an observer as it will be stored, or problems
named by row and column. Pure reading once `Reader.load` has fetched what the rows are checked against
(the countries, and who is already in the election); it runs in a worker thread (see services/imports.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker.cleaning import check_birth_date, clean_document, clean_email, clean_text, search_key
from tracker.errors import InvalidInput
from tracker.services.persons import people_in_election
from tracker.spreadsheets import CountryNames, Header, Table, parse_date, parse_gender, parse_role

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Problem:
    row: int
    """The row's number as the spreadsheet program shows it (1 is the first row)."""
    column: str
    message: str


@dataclass(frozen=True)
class Observer:
    """One row, as it will be stored."""

    row: int
    name_original: str
    name_latin: str
    nationality: str
    birth_date: dt.date | None
    gender: m.Gender
    document_number: str | None
    document_country: str | None
    role: m.Role
    email: str | None
    phone: str | None


@dataclass
class Check:
    header: Header
    rows_total: int = 0
    observers: list[Observer] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.observers)

    def problems_by_row(self) -> dict[int, list[str]]:
        found: dict[int, list[str]] = {}
        for problem in self.problems:
            found.setdefault(problem.row, []).append(f"{problem.column}: {problem.message}")
        return found


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
        # Who is already in this election, nominated or accredited: by document, and by name and birth date.
        current = await self.session.execute(
            people_in_election(self.election.id).with_only_columns(
                m.Person.document_number, m.Person.name_original, m.Person.name_latin, m.Person.birth_date
            )
        )
        self.known_documents: set[str] = set()
        self.known_people: set[tuple[str, dt.date]] = set()
        for document, original, latin, born in current:
            if document:
                self.known_documents.add(document)
            if born:
                self.known_people |= {(search_key(original), born), (search_key(latin), born)}

    def check(self, table: Table, header: Header, default_role: m.Role, progress: Progress | None = None) -> Check:
        result = Check(header=header)
        seen_documents: dict[str, int] = {}
        seen_people: dict[tuple[str, dt.date], int] = {}
        labels = header.labels
        for number, values in self._data_rows(table, header):
            result.rows_total += 1
            if progress and result.rows_total % 500 == 0:
                progress(500)
            problems: list[Problem] = []

            def problem(name: str, message: str, row: int = number, found: list[Problem] = problems) -> None:
                column = header.mapping.get(name)
                label = labels[column] if column is not None and column < len(labels) else name
                found.append(Problem(row, label or name, message))

            observer = self._observer(number, values, header.mapping, default_role, problem)
            if observer is not None:
                if observer.document_number:
                    first = seen_documents.setdefault(observer.document_number, number)
                    if first != number:
                        problem("document_number", f"the same document as row {first}")
                    elif observer.document_number in self.known_documents:
                        problem("document_number", "this person is already nominated or accredited in this election")
                if observer.birth_date:
                    person = (search_key(observer.name_latin), observer.birth_date)
                    first = seen_people.setdefault(person, number)
                    if first != number:
                        problem("name_latin", f"the same name and birth date as row {first}")
                    elif person in self.known_people or (
                        (search_key(observer.name_original), observer.birth_date) in self.known_people
                    ):
                        problem("name_latin", "this person is already nominated or accredited in this election")
            if problems:
                result.problems.extend(problems)
            elif observer is not None:
                result.observers.append(observer)
        if progress:
            progress(result.rows_total % 500)
        if not result.rows_total:
            result.problems.append(Problem(header.row_index + 1, "file", "there are no rows under the header"))
        return result

    @staticmethod
    def _data_rows(table: Table, header: Header) -> Iterator[tuple[int, tuple[object, ...]]]:
        for index, values in enumerate(table.rows()):
            if index <= header.row_index or all(value in (None, "") for value in values):
                continue
            yield index + 1, values

    def _observer(
        self,
        number: int,
        values: tuple[object, ...],
        mapping: dict[str, int],
        default_role: m.Role,
        problem: Callable[..., None],
    ) -> Observer | None:
        def value(name: str) -> Any:
            column = mapping.get(name)
            if column is None or column >= len(values):
                return None
            found = values[column]
            return found.strip() if isinstance(found, str) else found

        def text(name: str) -> str | None:
            found = value(name)
            if found is None or found == "":
                return None
            if isinstance(found, float) and found.is_integer():
                found = int(found)
            return str(found)

        def joined(*names: str) -> str | None:
            parts = [part for part in (text(name) for name in names) if part]
            return " ".join(parts) or None

        failed = False

        def checked(name: str, read: Callable[[], Any]) -> Any:
            nonlocal failed
            try:
                return read()
            except (InvalidInput, ValueError) as error:
                message = error.message if isinstance(error, InvalidInput) else str(error)
                problem(name, message.removeprefix(f"{name}: "))
                failed = True
                return None

        original = text("name_original") or joined("surname", "given_names")
        latin = text("name_latin") or joined("surname_latin", "given_names_latin")
        if original is None and latin is not None:
            original = latin
        if latin is None and original is not None and original.isascii():
            latin = original
        if original is None:
            problem("name_original", "a name is required")
            failed = True
        if latin is None:
            problem("name_latin", "the name in Latin letters is required")
            failed = True
        name_original = checked("name_original", lambda: clean_text(original, "name_original", required=True))
        name_latin = checked("name_latin", lambda: clean_text(latin, "name_latin", required=True))

        nationality_text = text("nationality")
        nationality = self.countries.code(nationality_text) if nationality_text else self.mission.country_code
        if nationality is None:
            problem("nationality", f"unknown country {nationality_text!r}" if nationality_text else "required")
            failed = True
        document_country_text = text("document_country")
        document_country = self.countries.code(document_country_text) if document_country_text else None
        if document_country_text and document_country is None:
            problem("document_country", f"unknown country {document_country_text!r}")
            failed = True

        born = value("birth_date")
        birth_date = (
            checked("birth_date", lambda: check_birth_date(parse_date(born))) if born not in (None, "") else None
        )
        gender_text = value("gender")
        gender = checked("gender", lambda: parse_gender(gender_text)) if gender_text not in (None, "") else None
        role_text = value("role")
        role = checked("role", lambda: parse_role(role_text)) if role_text not in (None, "") else default_role
        document = checked("document_number", lambda: clean_document(text("document_number")))
        email = checked("email", lambda: clean_email(text("email")))
        phone = checked("phone", lambda: clean_text(text("phone"), "phone", limit=64))
        if failed:
            return None
        return Observer(
            row=number,
            name_original=name_original,
            name_latin=name_latin,
            nationality=nationality or "",
            birth_date=birth_date,
            gender=gender or m.Gender.UNSPECIFIED,
            document_number=document,
            document_country=document_country,
            role=role or default_role,
            email=email,
            phone=phone,
        )
