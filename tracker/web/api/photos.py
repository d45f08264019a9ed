"""An observer's photo, for the card: registrars and admins upload, see and remove it; nobody else ever."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, delete, get, put
from litestar.openapi import ResponseSpec
from litestar.params import FromPath

from tracker.web.api.responses import responses
from tracker.web.auth import CurrentUser, registrars
from tracker.web.deps import Photos

Registrar = Request[CurrentUser, Any, Any]
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
    async def get_photo(self, photos: Photos, person_id: FromPath[int]) -> Response[bytes]:
        return Response(await photos.get(person_id), media_type=JPEG, headers={"Cache-Control": "no-store"})

    @put(
        "/",
        summary="Set the person's photo",
        description="The request body is the picture itself (JPEG or PNG, at most 5 MB). It is shrunk to the card's "
        "600 x 800 pixels and re-encoded as JPEG, which drops the camera's metadata.",
        status_code=204,
        responses=responses(400, 401, 403, 404),
    )
    async def put_photo(self, request: Registrar, photos: Photos, person_id: FromPath[int]) -> None:
        await photos.set(person_id, await request.body(), request.user.actor)

    @delete("/", summary="Remove the person's photo", responses=responses(401, 403, 404))
    async def delete_photo(self, request: Registrar, photos: Photos, person_id: FromPath[int]) -> None:
        await photos.remove(person_id, request.user.actor)
