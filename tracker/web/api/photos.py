"""An observer's photo, for the card: registrars and admins upload, see and remove it; nobody else ever."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.openapi import ResponseSpec
from litestar.params import Body, FromPath
from litestar.response import Redirect

from tracker.errors import InvalidInput, NotFound
from tracker.services.persons import PersonService
from tracker.services.photos import PhotoService
from tracker.web.api.schemas import responses
from tracker.web.auth import CurrentUser, registrars

Registrar = Request[CurrentUser, Any, Any]
Persons = NamedDependency[PersonService]
JPEG = "image/jpeg"


class PhotoApi(Controller):
    path = "/api/persons/{person_id:int}/photo"
    tags = ["persons"]
    guards = [registrars]

    @get(
        "/",
        summary="The person's photo (JPEG)",
        media_type=JPEG,
        responses={
            200: ResponseSpec(generate_examples=False, data_container=bytes, media_type=JPEG, description="The photo")
        }
        | responses(401, 403, 404),
    )
    async def get_photo(self, persons: Persons, person_id: FromPath[int]) -> Response[bytes]:
        photo = await PhotoService(persons.repository.session).get(await persons.by_id(person_id))
        if photo is None:
            raise NotFound("photo of person", person_id)
        return Response(photo, media_type=JPEG, headers={"Cache-Control": "no-store"})

    @put(
        "/",
        summary="Set the person's photo",
        description="The request body is the picture itself (JPEG or PNG, at most 5 MB). It is shrunk to the card's "
        "600 x 800 pixels and re-encoded as JPEG, which drops the camera's metadata.",
        status_code=204,
        responses=responses(400, 401, 403, 404),
    )
    async def put_photo(self, request: Registrar, persons: Persons, person_id: FromPath[int]) -> None:
        person = await persons.by_id(person_id)
        await PhotoService(persons.repository.session).set(person, await request.body(), request.user.actor)

    @delete("/", summary="Remove the person's photo", responses=responses(401, 403, 404))
    async def delete_photo(self, request: Registrar, persons: Persons, person_id: FromPath[int]) -> None:
        person = await persons.by_id(person_id)
        await PhotoService(persons.repository.session).remove(person, request.user.actor)


class PhotoPages(Controller):
    path = "/staff/persons/{person_id:int}/photo"
    include_in_schema = False
    guards = [registrars]

    @post("/")
    async def upload(
        self,
        request: Registrar,
        persons: Persons,
        person_id: FromPath[int],
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Redirect:
        """Upload or remove, then back to the person's page; a picture that cannot be used gets the error page
        with what is wrong (400), and nothing is changed."""
        person = await persons.by_id(person_id)
        photos = PhotoService(persons.repository.session)
        if data.get("remove"):
            await photos.remove(person, request.user.actor)
        else:
            upload = data.get("photo")
            if not isinstance(upload, UploadFile) or not upload.filename:
                raise InvalidInput("photo: choose a picture to upload", field="photo")
            await photos.set(person, await upload.read(), request.user.actor)
        return Redirect(f"/staff/persons/{person.id}")
