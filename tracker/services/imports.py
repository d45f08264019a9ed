"""Importing the lists missions send: check every row, then import the whole file or nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import anyio.to_thread
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from reports.import_report import build_error_report
from tracker import models as m
from tracker.cleaning import check_birth_date, clean_document, clean_email, clean_text, search_key
from tracker.errors import Conflict, InvalidInput, NotFound
from tracker.instants import utc_now
from tracker.services.audit import Actor, record
from tracker.services.persons import people_in_election
from tracker.services.transitions import record_nominations
from tracker.spreadsheets import (
    FIELDS,
    CountryNames,
    Header,
    Limits,
    Table,
    find_header,
    open_table,
    parse_date,
    parse_gender,
    parse_role,
)

PREVIEW_ROWS = 10
# Core tables, not ORM entities: the ORM's bulk path costs several times more per row.
PERSON = m.Person.__table__
ACCREDITATION = m.Accreditation.__table__
Progress = Callable[[int], None]
T = TypeVar("T")
# Files being read at once in this process; each is bounded by its Limits, and this bounds their sum.
FILES_AT_ONCE = threading.BoundedSemaphore(2)


async def off_the_event_loop(work: Callable[[], T]) -> T:
    """Run `work` on a file (open, check, re-check, write it back) in a worker thread: however long a file
    takes within its limits, the worker's event loop goes on answering everyone else meanwhile."""

    def bounded() -> T:
        with FILES_AT_ONCE:
            return work()

    return await anyio.to_thread.run_sync(bounded)


@dataclass(frozen=True)
class ErrorReport:
    content: bytes
    filename: str


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


class AlreadyImported(Conflict):
    """The same file was imported for this mission before: nothing new is created."""

    def __init__(self, batch: m.ImportBatch) -> None:
        when = batch.committed_at.isoformat(timespec="minutes") if batch.committed_at else "earlier"
        super().__init__(
            f"file: this file was already imported for this mission on {when} by {batch.committed_by} "
            f"({batch.rows_created} observers); nothing new was created",
            field="file",
        )
        self.batch = batch


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


class ImportService:
    def __init__(self, session: AsyncSession, limits: Limits | None = None) -> None:
        self.session = session
        self.limits = limits or Limits()

    async def batch(self, batch_id: int) -> m.ImportBatch:
        batch = await self.session.get(m.ImportBatch, batch_id)
        if batch is None:
            raise NotFound("import", batch_id)
        return batch

    async def upload(
        self,
        election: m.Election,
        mission: m.Mission,
        file_name: str,
        content: bytes,
        actor: Actor,
        default_role: m.Role = m.Role.SHORT_TERM_OBSERVER,
    ) -> m.ImportBatch:
        """Keep the file until it is imported, with the columns proposed from its header."""
        digest = hashlib.sha256(content).hexdigest()
        done = await self._imported(mission, digest)
        if done is not None:
            raise AlreadyImported(done)

        def opened() -> tuple[Table, Header]:
            table = open_table(content, file_name, self.limits)
            return table, find_header(table.rows())

        table, header = await off_the_event_loop(opened)
        batch = m.ImportBatch(
            election_id=election.id,
            mission_id=mission.id,
            file_name=(clean_text(file_name, "file", limit=255) or "upload")[:255],
            file_format=table.file_format,
            sha256=digest,
            size=len(content),
            content=content,
            header_row=header.row_index,
            mapping=dict(header.mapping),
            default_role=default_role,
            uploaded_by=actor.name,
        )
        self.session.add(batch)
        await self.session.flush()
        return batch

    async def _imported(self, mission: m.Mission, digest: str) -> m.ImportBatch | None:
        return await self.session.scalar(
            select(m.ImportBatch).where(
                m.ImportBatch.mission_id == mission.id,
                m.ImportBatch.sha256 == digest,
                m.ImportBatch.status == m.ImportStatus.COMMITTED,
            )
        )

    def table(self, batch: m.ImportBatch) -> Table:
        """The batch's file opened again (blocking: call it inside off_the_event_loop)."""
        if batch.content is None:
            raise InvalidInput("file: this list was imported already; its file is no longer kept", field="file")
        return open_table(batch.content, batch.file_name, self.limits)

    def header(self, batch: m.ImportBatch, table: Table) -> Header:
        rows = table.rows()
        labels: tuple[str, ...] = ()
        for index, values in enumerate(rows):
            if index == batch.header_row:
                labels = tuple("" if value is None else str(value) for value in values)
                break
        return Header(row_index=batch.header_row, labels=labels, mapping=dict(batch.mapping))

    async def remap(self, batch: m.ImportBatch, mapping: dict[str, int | None], default_role: m.Role) -> None:
        """Staff corrected the proposed columns: a field to one column, no column twice."""
        chosen = {name: column for name, column in mapping.items() if name in FIELDS and column is not None}
        used: dict[int, str] = {}
        for name, column in chosen.items():
            if column < 0 or column >= self.limits.max_columns:
                raise InvalidInput(f"{name}: no such column", field=name)
            if column in used:
                raise InvalidInput(f"{name}: the same column is already used for {used[column]}", field=name)
            used[column] = name
        batch.mapping = chosen
        batch.default_role = default_role
        await self.session.flush()

    async def check(self, batch: m.ImportBatch, progress: Progress | None = None) -> Check:
        reader = await self._reader(batch)

        def checked() -> Check:
            table = self.table(batch)
            return reader.check(table, self.header(batch, table), batch.default_role, progress)

        return await off_the_event_loop(checked)

    async def error_report(self, batch: m.ImportBatch, errors_title: str) -> ErrorReport:
        """The file as it was sent, with a column that gives each row's problems, for the mission to correct."""
        reader = await self._reader(batch)

        def report() -> bytes:
            table = self.table(batch)
            header = self.header(batch, table)
            check = reader.check(table, header, batch.default_role)
            rows = ((index + 1, values) for index, values in enumerate(table.rows()) if index > header.row_index)
            return build_error_report(header.labels, rows, check.problems_by_row(), errors_title=errors_title)

        stem = batch.file_name.rsplit(".", 1)[0]
        return ErrorReport(await off_the_event_loop(report), f"{stem}-checked.xlsx")

    async def _reader(self, batch: m.ImportBatch) -> Reader:
        election = await self.session.get(m.Election, batch.election_id)
        mission = await self.session.get(m.Mission, batch.mission_id)
        assert election is not None
        assert mission is not None
        reader = Reader(self.session, election, mission)
        await reader.load()
        return reader

    async def commit(self, batch: m.ImportBatch, actor: Actor, progress: Progress | None = None) -> m.ImportBatch:
        """Import every row in this transaction, or refuse the whole file if any row has a problem."""
        if batch.status is m.ImportStatus.COMMITTED:
            raise AlreadyImported(batch)
        mission = await self.session.get(m.Mission, batch.mission_id)
        assert mission is not None
        done = await self._imported(mission, batch.sha256)
        if done is not None:
            raise AlreadyImported(done)
        result = await self.check(batch, progress)
        if not result.ok:
            first = result.problems[0]
            raise InvalidInput(
                f"file: {len(result.problems)} problem(s), the first in row {first.row} ({first.column}: "
                f"{first.message}); nothing was imported",
                field="file",
            )
        now = utc_now()
        await self._insert(batch, result.observers, actor, now, progress)
        batch.status = m.ImportStatus.COMMITTED
        batch.committed_by = actor.name
        batch.committed_at = now
        batch.rows_total = result.rows_total
        batch.rows_created = len(result.observers)
        batch.content = None
        await self.session.flush()
        await record(
            self.session,
            actor,
            "import",
            batch,
            after={
                "file_name": batch.file_name,
                "sha256": batch.sha256,
                "mission_id": batch.mission_id,
                "rows": batch.rows_total,
                "created": batch.rows_created,
            },
        )
        return batch

    async def _insert(
        self,
        batch: m.ImportBatch,
        observers: list[Observer],
        actor: Actor,
        now: dt.datetime,
        progress: Progress | None,
    ) -> None:
        # Bulk statements, not an object per row: 10,000 rows in a few statements, all in one transaction.
        for start in range(0, len(observers), 1000):
            chunk = observers[start : start + 1000]
            person_ids = await self._ids_of_new_rows(
                PERSON,
                [
                    {
                        "name_original": o.name_original,
                        "name_latin": o.name_latin,
                        "search_name": search_key(o.name_original, o.name_latin),
                        "nationality_code": o.nationality,
                        "birth_date": o.birth_date,
                        "gender": o.gender,
                        "document_number": o.document_number,
                        "document_country_code": o.document_country,
                        "email": o.email,
                        "phone": o.phone,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for o in chunk
                ],
            )
            accreditation_ids = await self._ids_of_new_rows(
                ACCREDITATION,
                [
                    {
                        "election_id": batch.election_id,
                        "mission_id": batch.mission_id,
                        "person_id": person_id,
                        "role": o.role,
                        "import_batch_id": batch.id,
                        "is_test": False,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for o, person_id in zip(chunk, person_ids, strict=True)
                ],
            )
            await record_nominations(
                self.session,
                accreditation_ids,
                election_id=batch.election_id,
                mission_id=batch.mission_id,
                effective_at=now,
                actor=actor.name,
                reason=f"imported from {batch.file_name}",
            )
            if progress:
                progress(len(chunk))

    async def _ids_of_new_rows(self, table: Any, rows: list[dict[str, Any]]) -> list[int]:
        """Insert `rows`; their new ids, in the order of `rows`.

        RETURNING may list the ids in any order, but one statement assigns them in the order of its rows,
        on SQLite and PostgreSQL alike, so sorted they line up. (Asking SQLAlchemy to keep the order makes
        it send one statement per row on SQLite: 10,000 round trips instead of ten.)
        """
        result = await self.session.execute(insert(table).returning(table.c.id), rows)
        ids = sorted(result.scalars().all())
        if len(ids) != len(rows):
            raise InvalidInput(f"file: {len(rows)} rows sent, {len(ids)} stored; nothing was imported", field="file")
        return ids

    async def recent(self, mission: m.Mission) -> list[m.ImportBatch]:
        return list(
            await self.session.scalars(
                select(m.ImportBatch)
                .where(m.ImportBatch.mission_id == mission.id)
                .order_by(m.ImportBatch.created_at.desc())
                .limit(20)
            )
        )
