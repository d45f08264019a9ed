"""A person's page: identity, every accreditation with its history; the person form; the photo form."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from tracker import models as m
from tracker.errors import InvalidInput, TrackerError
from tracker.i18n import current_language
from tracker.services.persons import PersonData
from tracker.web.auth import CurrentUser, registrars
from tracker.web.deps import Countries, Persons, Photos
from tracker.web.staff import page
from tracker.web.staff.accreditations import PERSON_FIELDS
from tracker.web.staff.forms import FormErrors, errors_of, parse, status_of, version_of

Registrar = Request[CurrentUser, Any, Any]


def _values(person: m.Person) -> dict[str, Any]:
    return {
        "name_original": person.name_original,
        "name_latin": person.name_latin,
        "nationality": person.nationality_code,
        "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        "gender": person.gender.value,
        "document_number": person.document_number,
        "document_country": person.document_country_code,
        "email": person.email,
        "phone": person.phone,
        "version": person.version,
    }


class PersonPages(Controller):
    path = "/staff/persons/{person_id:int}"
    include_in_schema = False
    guards = [registrars]

    @get("/")
    async def detail(self, request: Registrar, persons: Persons, person_id: FromPath[int]) -> Template:
        return await person_page(request, persons, person_id)

    @post("/latin-name")
    async def confirm_latin_name(
        self, request: Registrar, persons: Persons, person_id: FromPath[int]
    ) -> Template | Redirect:
        form = await request.form()
        try:
            await persons.confirm_latin_name(person_id, version_of(form), request.user.actor)
        except (FormErrors, TrackerError) as error:
            return await person_page(request, persons, person_id, error)
        return Redirect(f"/staff/persons/{person_id}")

    @get("/edit")
    async def edit(
        self, request: Registrar, persons: Persons, countries: Countries, person_id: FromPath[int]
    ) -> Template:
        person = await persons.by_id(person_id)
        return page(
            request,
            "person_form",
            person=person,
            values=_values(person),
            errors={},
            countries=await countries.choices(current_language.get()),
        )

    @post("/edit")
    async def update(
        self, request: Registrar, persons: Persons, countries: Countries, person_id: FromPath[int]
    ) -> Template | Redirect:
        form = await request.form()
        try:
            data = parse({key: form[key] for key in form if key in PERSON_FIELDS}, PersonData)
            await persons.update_person(person_id, data, version_of(form), request.user.actor)
        except (FormErrors, TrackerError) as error:
            return page(
                request,
                "person_form",
                status_code=status_of(error),
                person=await persons.by_id(person_id),
                values=dict(form),
                errors=errors_of(error),
                countries=await countries.choices(current_language.get()),
            )
        return Redirect(f"/staff/persons/{person_id}")


class PhotoPages(Controller):
    path = "/staff/persons/{person_id:int}/photo"
    include_in_schema = False
    guards = [registrars]

    @post("/")
    async def upload(
        self,
        request: Registrar,
        photos: Photos,
        persons: Persons,
        person_id: FromPath[int],
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Template | Redirect:
        """Upload or remove, then back to the person's page; a picture that cannot be used is refused on that
        page, with what is wrong under the photo's field (400), and nothing is changed."""
        try:
            if data.get("remove"):
                await photos.remove(person_id, request.user.actor)
            else:
                upload = data.get("photo")
                content = await upload.read() if isinstance(upload, UploadFile) and upload.filename else None
                await photos.set(person_id, content, request.user.actor)
        except InvalidInput as error:
            return await person_page(request, persons, person_id, error)
        return Redirect(f"/staff/persons/{person_id}")


async def person_page(
    request: Registrar, persons: Persons, person_id: int, error: FormErrors | TrackerError | None = None
) -> Template:
    """A person's page; after a refused form, with what is wrong."""
    profile = await persons.profile(person_id)
    return page(
        request,
        "person",
        status_code=status_of(error) if error else 200,
        person=profile.person,
        nationality=profile.nationality,
        entries=profile.entries,
        has_photo=profile.has_photo,
        errors=errors_of(error) if error else {},
    )
