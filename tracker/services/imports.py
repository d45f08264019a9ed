"""Importing the lists missions send: keep the file, check every row (services/import_check.py), then import
the whole file or nothing. Every pass over a file runs in a worker thread, bounded (`off_the_event_loop`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import anyio.to_thread
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from reports.import_report import build_error_report
from reports.import_template import TemplateColumn, build_import_template
from tracker import labels
from tracker import models as m
from tracker.cleaning import clean_text, search_key
from tracker.errors import Conflict, InvalidInput, NotFound, TrackerError
from tracker.i18n import current_language
from tracker.i18n import gettext as _
from tracker.instants import utc_now
from tracker.services.audit import Actor, record
from tracker.services.import_check import Check, Observer, Progress, Reader
from tracker.services.missions import MissionService
from tracker.services.transitions import record_nominations
from tracker.spreadsheets import FIELDS, Header, Limits, Table, find_header, open_table

PREVIEW_ROWS = 10
# Core tables, not ORM entities: the ORM's bulk path costs several times more per row.
PERSON = m.Person.__table__
ACCREDITATION = m.Accreditation.__table__
T = TypeVar("T")
# Files being read at once in this process; each is bounded by its Limits, and this bounds their sum.
FILES_AT_ONCE = threading.BoundedSemaphore(2)
# The template's example row: what a mission copies. Names and numbers are the same in every language.
TEMPLATE_EXAMPLES = {
    "name_original": "Анна Пример",
    "name_latin": "Anna Primer",
    "nationality": "DE",
    "birth_date": "05.03.1971",
    "gender": "F",
    "document_number": "C01X00T47",
    "role": None,
    "email": "anna@example.org",
    "phone": "+49 30 0000000",
}
TEMPLATE_REQUIRED = ("name_original", "name_latin", "nationality")


async def off_the_event_loop(work: Callable[[], T]) -> T:
    """Run `work` on a file (open, check, re-check, write it back) in a worker thread: however long a file
    takes within its limits, the worker's event loop goes on answering everyone else meanwhile."""

    def bounded() -> T:
        with FILES_AT_ONCE:
            return work()

    return await anyio.to_thread.run_sync(bounded)


@dataclass(frozen=True)
class ImportFile:
    """A file the import hands out: the template, or a list given back with its problems."""

    content: bytes
    filename: str


@dataclass(frozen=True)
class UploadForm:
    """The upload page: the mission the list is for, and its earlier uploads."""

    mission: m.Mission
    recent: list[m.ImportBatch]


@dataclass(frozen=True)
class Review:
    """The review page: an upload, where it goes, and while it waits, how its rows are read."""

    batch: m.ImportBatch
    election: m.Election
    mission: m.Mission
    check: Check | None
    """None once imported: the file is no longer kept."""
    preview: list[Observer]


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


class ImportService:
    def __init__(self, session: AsyncSession, limits: Limits | None = None) -> None:
        self.session = session
        self.limits = limits or Limits()

    async def batch(self, batch_id: int) -> m.ImportBatch:
        batch = await self.session.get(m.ImportBatch, batch_id)
        if batch is None:
            raise NotFound("import", batch_id)
        return batch

    async def upload_form(self, election: m.Election, mission_slug: str) -> UploadForm:
        """The mission named in the page's address (404 when the election has none by that name), and the
        lists uploaded for it lately, newest first."""
        mission = await MissionService(session=self.session).by_slug(election, mission_slug)
        recent = await self.session.scalars(
            select(m.ImportBatch)
            .where(m.ImportBatch.mission_id == mission.id)
            .order_by(m.ImportBatch.created_at.desc())
            .limit(20)
        )
        return UploadForm(mission, list(recent))

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
        done = await self._imported(mission.id, digest)
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

    async def _imported(self, mission_id: int, digest: str) -> m.ImportBatch | None:
        return await self.session.scalar(
            select(m.ImportBatch).where(
                m.ImportBatch.mission_id == mission_id,
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

    async def review(self, batch: m.ImportBatch) -> Review:
        """What the review page shows: a pending list checked again as its columns now stand."""
        election, mission = await self._target(batch)
        if batch.status is not m.ImportStatus.PENDING:
            return Review(batch, election, mission, None, [])
        check = await self._check(batch, await self._reader(election, mission))
        return Review(batch, election, mission, check, check.observers[:PREVIEW_ROWS])

    async def check(self, batch: m.ImportBatch, progress: Progress | None = None) -> Check:
        return await self._check(batch, await self._reader(*await self._target(batch)), progress)

    async def _check(self, batch: m.ImportBatch, reader: Reader, progress: Progress | None = None) -> Check:
        def checked() -> Check:
            table = self.table(batch)
            return reader.check(table, self.header(batch, table), batch.default_role, progress)

        return await off_the_event_loop(checked)

    async def error_report(self, batch: m.ImportBatch, errors_title: str) -> ImportFile:
        """The file as it was sent, with a column that gives each row's problems, for the mission to correct."""
        reader = await self._reader(*await self._target(batch))

        def report() -> bytes:
            table = self.table(batch)
            header = self.header(batch, table)
            check = reader.check(table, header, batch.default_role)
            rows = ((index + 1, values) for index, values in enumerate(table.rows()) if index > header.row_index)
            return build_error_report(header.labels, rows, check.problems_by_row(), errors_title=errors_title)

        stem = batch.file_name.rsplit(".", 1)[0]
        return ImportFile(await off_the_event_loop(report), f"{stem}-checked.xlsx")

    async def _target(self, batch: m.ImportBatch) -> tuple[m.Election, m.Mission]:
        """The election and the mission the list is for, in one query."""
        found = await self.session.execute(
            select(m.Election, m.Mission)
            .join(m.Mission, m.Mission.election_id == m.Election.id)
            .where(m.Mission.id == batch.mission_id, m.Election.id == batch.election_id)
        )
        election, mission = found.one()
        return election, mission

    async def _reader(self, election: m.Election, mission: m.Mission) -> Reader:
        reader = Reader(self.session, election, mission)
        await reader.load()
        return reader

    async def commit(self, batch: m.ImportBatch, actor: Actor, progress: Progress | None = None) -> m.ImportBatch:
        """Import every row in this transaction, or refuse the whole file if any row has a problem."""
        if batch.status is m.ImportStatus.COMMITTED:
            raise AlreadyImported(batch)
        done = await self._imported(batch.mission_id, batch.sha256)
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
        try:
            # Refused after writing (rows lost on the way): the savepoint undoes them, and the batch is
            # read again as it was, so that the review can be shown with the refusal.
            async with self.session.begin_nested():
                await self._write(batch, result, actor, progress)
        except TrackerError:
            await self.session.refresh(batch)
            raise
        return batch

    async def _write(self, batch: m.ImportBatch, result: Check, actor: Actor, progress: Progress | None) -> None:
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

    def template(self) -> ImportFile:
        """The workbook a mission can fill in, in the current language: the columns, an example row, notes."""
        names = labels.import_fields()
        notes = {
            "name_original": _("As in the passport, in the original script."),
            "name_latin": _("As in the passport's machine-readable zone."),
            "nationality": _("Country name in English, Russian or Kazakh, or its ISO code (DE, DEU)."),
            "birth_date": _("DD.MM.YYYY, or a date cell."),
            "gender": _("M or F."),
            "document_number": _("Letters and digits, as in the passport."),
            "role": _("Head of mission, coordinator, long-term or short-term observer, expert, interpreter, staff."),
            "email": _("Optional."),
            "phone": _("Optional."),
        }
        columns = [
            TemplateColumn(
                names[key], key in TEMPLATE_REQUIRED, note, TEMPLATE_EXAMPLES[key] or _("short-term observer")
            )
            for key, note in notes.items()
        ]
        content = build_import_template(
            columns, notes_title=_("Notes"), heading=_("One observer a row; columns marked * are required.")
        )
        return ImportFile(content, f"observers-{current_language.get()}.xlsx")
