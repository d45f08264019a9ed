"""Importing the lists missions send: keep the file, check every row (services/import_check.py), then import
the whole file, or only its rows without problems when the registrar chooses so; every upload stays in the
mission's history with its outcome. Every pass over a file runs in a worker thread, bounded
(`off_the_event_loop`)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn, TypeVar

import anyio.to_thread
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from reports.import_report import RowProblems, build_error_report
from tracker import labels
from tracker import models as m
from tracker.cleaning import clean_text
from tracker.errors import Conflict, InvalidInput, NotFound, TrackerError
from tracker.i18n import gettext as _
from tracker.i18n import ngettext
from tracker.instants import utc_now
from tracker.services.audit import Actor, record
from tracker.services.import_check import Check, Progress, Reader
from tracker.services.import_preview import PreviewRow, preview_row
from tracker.services.import_rows import insert_observers
from tracker.services.import_template import import_template
from tracker.services.mission_page import recent_imports
from tracker.services.missions import MissionService
from tracker.spreadsheets import FIELDS, Header, Limits, SpreadsheetError, Table, find_header, open_table

PREVIEW_ROWS = 100
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
    """The review page: an upload, where it goes, and while it waits, how its rows are read: a page of
    `PREVIEW_ROWS` rows (or of the rows with problems only), in the file's order."""

    batch: m.ImportBatch
    election: m.Election
    mission: m.Mission
    check: Check | None
    """None once imported or refused: the file is no longer kept."""
    preview: list[PreviewRow]
    page: int = 1
    pages: int = 1
    problems_only: bool = False


class AlreadyImported(Conflict):
    """The same file was imported for this mission before: nothing new is created."""

    def __init__(self, batch: m.ImportBatch) -> None:
        when = batch.committed_at.isoformat(timespec="minutes") if batch.committed_at else "?"
        message = _(
            "this file was already imported for this mission on %(when)s by %(who)s (%(num)d observers); "
            "nothing new was created"
        ) % {"when": when, "who": batch.committed_by, "num": batch.rows_created}
        super().__init__("file: " + message, field="file")
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
        return UploadForm(mission, await recent_imports(self.session, mission))

    async def upload(
        self,
        election: m.Election,
        mission: m.Mission,
        file_name: str,
        content: bytes,
        actor: Actor,
        default_role: m.Role = m.Role.SHORT_TERM_OBSERVER,
        *,
        keep_refusals: bool = True,
    ) -> m.ImportBatch:
        """Keep the file until it is imported, with the columns proposed from its header. A file that cannot be
        used is refused, and the refusal stays in the mission's history (committed at once: the request that
        brought the file fails), unless `keep_refusals` is off (a dry run writes nothing)."""
        digest = hashlib.sha256(content).hexdigest()
        name = (clean_text(file_name, "file", limit=255) or "upload")[:255]
        batch = m.ImportBatch(
            election_id=election.id,
            mission_id=mission.id,
            file_name=name,
            file_format=name.rsplit(".", 1)[-1][:8].lower() if "." in name else "",
            sha256=digest,
            size=len(content),
            default_role=default_role,
            uploaded_by=actor.name,
        )
        done = await self._imported(mission.id, digest)
        if done is not None:
            await self._refuse(batch, AlreadyImported(done), keep_refusals)

        def opened() -> tuple[Table, Header]:
            table = open_table(content, file_name, self.limits)
            return table, find_header(table.rows())

        try:
            table, header = await off_the_event_loop(opened)
        except SpreadsheetError as refused:
            await self._refuse(batch, refused, keep_refusals)
        batch.file_format = table.file_format
        batch.content = content
        batch.header_row = header.row_index
        batch.mapping = dict(header.mapping)
        self.session.add(batch)
        await self.session.flush()
        return batch

    async def _refuse(self, batch: m.ImportBatch, refusal: TrackerError, keep: bool) -> NoReturn:
        if keep:
            batch.status = m.ImportStatus.REFUSED
            batch.refusal = refusal.message.removeprefix("file: ")[:2000]
            self.session.add(batch)
            await self.session.commit()
        raise refusal

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
            raise InvalidInput("file: " + _("this list was imported already; its file is no longer kept"), field="file")
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
                raise InvalidInput(f"{name}: " + _("no such column"), field=name)
            if column in used:
                message = _("the same column is already used for %(field)s") % {
                    "field": labels.import_fields().get(used[column], used[column])
                }
                raise InvalidInput(f"{name}: {message}", field=name)
            used[column] = name
        batch.mapping = chosen
        batch.default_role = default_role
        await self.session.flush()

    async def set_latin_name(self, batch: m.ImportBatch, row: int, latin: str) -> None:
        """The registrar's Latin name for a row whose name was proposed (or refused): used from now on; an
        empty one gives the row back to the proposal."""
        if batch.status is not m.ImportStatus.PENDING:
            raise InvalidInput("file: " + _("this list is no longer waiting to be imported"), field="file")
        if not 1 <= row <= self.limits.max_rows:
            raise InvalidInput("row: " + _("the file has no such row"), field="row")
        typed = clean_text(latin, "name_latin")
        names = dict(batch.latin_names or {})
        if typed:
            names[str(row)] = typed
        else:
            names.pop(str(row), None)
        batch.latin_names = names
        await self.session.flush()

    async def review(self, batch: m.ImportBatch, page: int = 1, *, problems_only: bool = False) -> Review:
        """What the review page shows: a pending list checked again as its columns now stand."""
        election, mission = await self._target(batch)
        if batch.status is not m.ImportStatus.PENDING:
            return Review(batch, election, mission, None, [])
        reader = await self._reader(election, mission)
        check = await self._check(batch, reader)
        rows = [row for row in check.rows if row.problems] if problems_only else check.rows
        pages = max(1, -(-len(rows) // PREVIEW_ROWS))
        page = min(max(page, 1), pages)
        roles = labels.roles()
        shown = [
            preview_row(row, check.header, roles, reader.countries.name)
            for row in rows[(page - 1) * PREVIEW_ROWS : page * PREVIEW_ROWS]
        ]
        return Review(batch, election, mission, check, shown, page, pages, problems_only)

    async def check(self, batch: m.ImportBatch, progress: Progress | None = None) -> Check:
        return await self._check(batch, await self._reader(*await self._target(batch)), progress)

    async def _check(self, batch: m.ImportBatch, reader: Reader, progress: Progress | None = None) -> Check:
        def checked() -> Check:
            table = self.table(batch)
            header = self.header(batch, table)
            return reader.check(table, header, batch.default_role, progress, latin_names=batch.latin_names)

        return await off_the_event_loop(checked)

    async def error_report(self, batch: m.ImportBatch, errors_title: str) -> ImportFile:
        """The file as it was sent, with a column that gives each row's problems, for the mission to correct."""
        reader = await self._reader(*await self._target(batch))

        def report() -> bytes:
            assert batch.content is not None
            table = self.table(batch)
            header = self.header(batch, table)
            check = reader.check(table, header, batch.default_role, latin_names=batch.latin_names)
            problems = [
                RowProblems(
                    row,
                    tuple(problem.text for problem in found),
                    frozenset(problem.column for problem in found if problem.column is not None),
                )
                for row, found in check.problems_by_row().items()
            ]
            return build_error_report(
                batch.content,
                batch.file_format,
                header.row_index,
                problems,
                errors_title=errors_title,
                rows=table.rows(),
            )

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

    async def commit(
        self, batch: m.ImportBatch, actor: Actor, progress: Progress | None = None, *, only_valid: bool = False
    ) -> m.ImportBatch:
        """Import the file's rows in this transaction: every row, or the whole file is refused when any row has
        a problem; or, `only_valid`, the rows without problems, the others kept for a corrected file. People
        already in the election through this mission are counted, not imported again."""
        if batch.status is m.ImportStatus.COMMITTED:
            raise AlreadyImported(batch)
        if batch.status is m.ImportStatus.REFUSED:
            raise InvalidInput("file: " + _("this list was refused; send the file again"), field="file")
        done = await self._imported(batch.mission_id, batch.sha256)
        if done is not None:
            raise AlreadyImported(done)
        result = await self.check(batch, progress)
        problems = result.problems
        if problems and not (only_valid and result.observers):
            first = problems[0]
            message = ngettext(
                "%(num)d problem, in row %(row)d (%(problem)s); nothing was imported",
                "%(num)d problems, the first in row %(row)d (%(problem)s); nothing was imported",
                len(problems),
            ) % {"num": len(problems), "row": first.row, "problem": first.text}
            raise InvalidInput("file: " + message, field="file")
        if not result.observers:
            message = _("nobody in this list is new: %(num)d already in the election through this mission") % {
                "num": result.rows_already_there
            }
            raise InvalidInput("file: " + message, field="file")
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
        await insert_observers(self.session, batch, result.observers, actor, now, progress)
        batch.status = m.ImportStatus.COMMITTED
        batch.committed_by = actor.name
        batch.committed_at = now
        batch.rows_total = result.rows_total
        batch.rows_created = len(result.observers)
        batch.rows_with_problems = result.rows_with_problems
        batch.rows_already_there = result.rows_already_there
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
                "with_problems": batch.rows_with_problems,
                "already_there": batch.rows_already_there,
            },
        )

    def template(self) -> ImportFile:
        """The workbook a mission can fill in, in the current language."""
        content, filename = import_template()
        return ImportFile(content, filename)
