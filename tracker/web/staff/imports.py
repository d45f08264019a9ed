"""Importing a mission's list on the staff pages: upload, check and adjust the columns, import."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Response, Template
from sqlalchemy.ext.asyncio import AsyncSession

from reports.import_template import TemplateColumn, build_import_template
from tracker import labels
from tracker import models as m
from tracker.errors import InvalidInput, TrackerError
from tracker.i18n import current_language
from tracker.i18n import gettext as _
from tracker.services.elections import ElectionService
from tracker.services.imports import PREVIEW_ROWS, AlreadyImported, ImportService
from tracker.services.missions import MissionService
from tracker.spreadsheets import FIELDS
from tracker.web.auth import registrars
from tracker.web.http.files import file_response
from tracker.web.staff import page
from tracker.web.staff.forms import errors_of, status_of

Elections = NamedDependency[ElectionService]
Missions = NamedDependency[MissionService]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportPages(Controller):
    path = "/staff"
    include_in_schema = False
    guards = [registrars]

    @get("/elections/{slug:str}/missions/{mission:str}/import")
    async def form(
        self,
        request: Request[Any, Any, Any],
        elections: Elections,
        missions: Missions,
        db_session: NamedDependency[AsyncSession],
        slug: FromPath[str],
        mission: FromPath[str],
    ) -> Template:
        election = await elections.get_by_slug(slug)
        found = await missions.by_slug(election, mission)
        return page(
            request,
            "import_upload",
            election=election,
            mission=found,
            errors={},
            recent=await ImportService(db_session, request.app.state.settings.import_limits).recent(found),
            default_role=m.Role.SHORT_TERM_OBSERVER.value,
        )

    @post("/elections/{slug:str}/missions/{mission:str}/import")
    async def upload(
        self,
        request: Request[Any, Any, Any],
        elections: Elections,
        missions: Missions,
        db_session: NamedDependency[AsyncSession],
        slug: FromPath[str],
        mission: FromPath[str],
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Template | Redirect:
        election = await elections.get_by_slug(slug)
        found = await missions.by_slug(election, mission)
        imports = ImportService(db_session, request.app.state.settings.import_limits)
        upload = data.get("file")
        role = str(data.get("default_role") or m.Role.SHORT_TERM_OBSERVER.value)
        try:
            if not isinstance(upload, UploadFile) or not upload.filename:
                raise InvalidInput(_("Choose the file to import."), field="file")
            default_role = m.Role(role) if role in m.Role.__members__.values() else m.Role.SHORT_TERM_OBSERVER
            batch = await imports.upload(
                election, found, upload.filename, await upload.read(), request.user.actor, default_role
            )
        except AlreadyImported as done:
            return page(
                request,
                "import_upload",
                election=election,
                mission=found,
                errors={},
                notice=done.message.removeprefix("file: "),
                recent=await imports.recent(found),
                default_role=role,
            )
        except TrackerError as error:
            return page(
                request,
                "import_upload",
                status_code=status_of(error),
                election=election,
                mission=found,
                errors=errors_of(error),
                recent=await imports.recent(found),
                default_role=role,
            )
        return Redirect(f"/staff/imports/{batch.id}")

    async def _review(
        self,
        request: Request[Any, Any, Any],
        imports: ImportService,
        batch: m.ImportBatch,
        *,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        election = await imports.session.get(m.Election, batch.election_id)
        mission = await imports.session.get(m.Mission, batch.mission_id)
        check = await imports.check(batch) if batch.status is m.ImportStatus.PENDING else None
        return page(
            request,
            "import_review",
            status_code=status_code,
            batch=batch,
            election=election,
            mission=mission,
            check=check,
            preview=check.observers[:PREVIEW_ROWS] if check else [],
            fields=labels.import_fields(),
            errors=errors or {},
        )

    @get("/imports/{batch_id:int}")
    async def review(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], batch_id: FromPath[int]
    ) -> Template:
        imports = ImportService(db_session, request.app.state.settings.import_limits)
        return await self._review(request, imports, await imports.batch(batch_id))

    @post("/imports/{batch_id:int}/mapping")
    async def remap(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], batch_id: FromPath[int]
    ) -> Template | Redirect:
        imports = ImportService(db_session, request.app.state.settings.import_limits)
        batch = await imports.batch(batch_id)
        form = await request.form()
        mapping = {name: int(str(form[name])) if str(form.get(name, "")).isdigit() else None for name in FIELDS}
        role = str(form.get("default_role", ""))
        try:
            await imports.remap(
                batch, mapping, m.Role(role) if role in m.Role.__members__.values() else batch.default_role
            )
        except TrackerError as error:
            return await self._review(request, imports, batch, errors=errors_of(error), status_code=status_of(error))
        return Redirect(f"/staff/imports/{batch_id}")

    @get("/imports/{batch_id:int}/errors.xlsx")
    async def error_report(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], batch_id: FromPath[int]
    ) -> Response[bytes]:
        imports = ImportService(db_session, request.app.state.settings.import_limits)
        report = await imports.error_report(await imports.batch(batch_id), errors_title=_("errors"))
        return file_response(report.content, XLSX, report.filename)

    @post("/imports/{batch_id:int}/commit")
    async def commit(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], batch_id: FromPath[int]
    ) -> Template | Redirect:
        imports = ImportService(db_session, request.app.state.settings.import_limits)
        batch = await imports.batch(batch_id)
        try:
            await imports.commit(batch, request.user.actor)
        except TrackerError as error:
            await db_session.rollback()
            batch = await imports.batch(batch_id)
            return await self._review(request, imports, batch, errors=errors_of(error), status_code=status_of(error))
        return Redirect(f"/staff/imports/{batch_id}")

    @get("/imports/template.xlsx")
    async def template(self) -> Response[bytes]:
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
        examples = {
            "name_original": "Анна Пример",
            "name_latin": "Anna Primer",
            "nationality": "DE",
            "birth_date": "05.03.1971",
            "gender": "F",
            "document_number": "C01X00T47",
            "role": _("short-term observer"),
            "email": "anna@example.org",
            "phone": "+49 30 0000000",
        }
        columns = [
            TemplateColumn(names[key], key in ("name_original", "name_latin", "nationality"), note, examples[key])
            for key, note in notes.items()
        ]
        content = build_import_template(
            columns, notes_title=_("Notes"), heading=_("One observer a row; columns marked * are required.")
        )
        return file_response(content, XLSX, f"observers-{current_language.get()}.xlsx", cache=None)
