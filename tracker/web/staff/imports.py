"""Importing a mission's list on the staff pages: upload, check and adjust the columns, import."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, QueryParameter
from litestar.response import Redirect, Response, Template

from tracker import labels
from tracker import models as m
from tracker.errors import InvalidInput, TrackerError
from tracker.i18n import gettext as _
from tracker.services.imports import AlreadyImported, UploadForm
from tracker.services.rosters import XLSX
from tracker.spreadsheets import FIELDS
from tracker.web.auth import registrars
from tracker.web.deps import Election, ImportBatch, Imports
from tracker.web.http.files import file_response
from tracker.web.staff import page
from tracker.web.staff.forms import FormErrors, errors_of, ids_of, status_of


def _role(value: str, default: m.Role) -> m.Role:
    """The role a form chose, or `default` for anything that is not one."""
    return m.Role(value) if value in m.Role.__members__.values() else default


class ImportPages(Controller):
    path = "/staff"
    include_in_schema = False
    guards = [registrars]

    @get("/elections/{slug:str}/missions/{mission:str}/import")
    async def form(
        self, request: Request[Any, Any, Any], imports: Imports, election: Election, mission: FromPath[str]
    ) -> Template:
        shown = await imports.upload_form(election, mission)
        return self._upload_page(request, election, shown, default_role=m.Role.SHORT_TERM_OBSERVER.value)

    @post("/elections/{slug:str}/missions/{mission:str}/import")
    async def upload(
        self,
        request: Request[Any, Any, Any],
        imports: Imports,
        election: Election,
        mission: FromPath[str],
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Template | Redirect:
        shown = await imports.upload_form(election, mission)
        upload = data.get("file")
        role = str(data.get("default_role") or m.Role.SHORT_TERM_OBSERVER.value)
        try:
            if not isinstance(upload, UploadFile) or not upload.filename:
                raise InvalidInput(_("Choose the file to import."), field="file")
            batch = await imports.upload(
                election,
                shown.mission,
                upload.filename,
                await upload.read(),
                request.user.actor,
                _role(role, m.Role.SHORT_TERM_OBSERVER),
            )
        except AlreadyImported as done:
            return self._upload_page(
                request, election, shown, default_role=role, notice=done.message.removeprefix("file: ")
            )
        except TrackerError as error:
            # A refused file has just joined the mission's history: show it there.
            shown = await imports.upload_form(election, mission)
            return self._upload_page(
                request, election, shown, default_role=role, errors=errors_of(error), status_code=status_of(error)
            )
        return Redirect(f"/staff/imports/{batch.id}")

    @staticmethod
    def _upload_page(
        request: Request[Any, Any, Any],
        election: m.Election,
        shown: UploadForm,
        *,
        default_role: str,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
        notice: str | None = None,
    ) -> Template:
        return page(
            request,
            "import_upload",
            status_code=status_code,
            election=election,
            mission=shown.mission,
            errors=errors or {},
            notice=notice,
            recent=shown.recent,
            default_role=default_role,
        )

    @get("/imports/{batch_id:int}")
    async def review(
        self,
        request: Request[Any, Any, Any],
        imports: Imports,
        import_batch: ImportBatch,
        page_number: Annotated[int, QueryParameter(ge=1, le=100_000)] = 1,
        problems: Annotated[bool, QueryParameter(name="problems")] = False,
    ) -> Template:
        return await self._review(request, imports, import_batch, page_number=page_number, problems_only=problems)

    @post("/imports/{batch_id:int}/latin")
    async def latin_name(
        self, request: Request[Any, Any, Any], imports: Imports, import_batch: ImportBatch
    ) -> Template | Redirect:
        form = await request.form()
        try:
            row = ids_of(form, "row")
            if len(row) != 1:
                raise FormErrors({"row": _("This field is required.")})
            await imports.set_latin_name(import_batch, row[0], str(form.get("name_latin", "")))
        except (FormErrors, TrackerError) as error:
            return await self._review(
                request, imports, import_batch, errors=errors_of(error), status_code=status_of(error)
            )
        # Back to the page the registrar was on, at the row just corrected.
        page_number = str(form.get("page_number", "1"))
        where = {"page_number": page_number if page_number.isdigit() else "1"}
        if form.get("problems") == "1":
            where["problems"] = "1"
        return Redirect(f"/staff/imports/{import_batch.id}?{urlencode(where)}#row-{row[0]}")

    @post("/imports/{batch_id:int}/mapping")
    async def remap(
        self, request: Request[Any, Any, Any], imports: Imports, import_batch: ImportBatch
    ) -> Template | Redirect:
        form = await request.form()
        mapping = {name: int(str(form[name])) if str(form.get(name, "")).isdigit() else None for name in FIELDS}
        try:
            await imports.remap(
                import_batch, mapping, _role(str(form.get("default_role", "")), import_batch.default_role)
            )
        except TrackerError as error:
            return await self._review(
                request, imports, import_batch, errors=errors_of(error), status_code=status_of(error)
            )
        return Redirect(f"/staff/imports/{import_batch.id}")

    @get("/imports/{batch_id:int}/errors.xlsx")
    async def error_report(self, imports: Imports, import_batch: ImportBatch) -> Response[bytes]:
        report = await imports.error_report(import_batch, errors_title=_("Problems"))
        return file_response(report.content, XLSX, report.filename)

    @post("/imports/{batch_id:int}/commit")
    async def commit(
        self, request: Request[Any, Any, Any], imports: Imports, import_batch: ImportBatch
    ) -> Template | Redirect:
        form = await request.form()
        try:
            await imports.commit(import_batch, request.user.actor, only_valid=form.get("only_valid") == "1")
        except TrackerError as error:
            return await self._review(
                request, imports, import_batch, errors=errors_of(error), status_code=status_of(error)
            )
        return Redirect(f"/staff/imports/{import_batch.id}")

    @get("/imports/template.xlsx")
    async def template(self, imports: Imports) -> Response[bytes]:
        template = imports.template()
        return file_response(template.content, XLSX, template.filename, cache=None)

    @staticmethod
    async def _review(
        request: Request[Any, Any, Any],
        imports: Imports,
        batch: m.ImportBatch,
        *,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
        page_number: int = 1,
        problems_only: bool = False,
    ) -> Template:
        shown = await imports.review(batch, page_number, problems_only=problems_only)
        return page(
            request,
            "import_review",
            status_code=status_code,
            batch=shown.batch,
            election=shown.election,
            mission=shown.mission,
            check=shown.check,
            preview=shown.preview,
            proposed=any(row.latin_proposed for row in shown.preview),
            page_number=shown.page,
            pages=shown.pages,
            problems_only=shown.problems_only,
            fields=labels.import_fields(),
            errors=errors or {},
        )
