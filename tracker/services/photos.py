"""Observers' photos for their accreditation cards: checked, shrunk and re-encoded on the way in."""

from __future__ import annotations

import hashlib
import io
import warnings

import anyio.to_thread
from PIL import Image, UnidentifiedImageError
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker.errors import InvalidInput, NotFound
from tracker.i18n import gettext as _
from tracker.services.audit import Actor, record

MAX_BYTES = 5 * 1024 * 1024
# A card's photo box is 30 x 40 mm: 600 x 800 pixels print it sharply at 500 dpi.
BOX = (600, 800)
# Larger images are refused before they are decoded: a small file can claim a gigantic picture. 50 million
# pixels is a 48-megapixel phone camera's full resolution.
MAX_PIXELS = 50_000_000


def too_many_pixels(size: str) -> InvalidInput:
    message = _(
        "the picture is %(size)s pixels, more than the %(most)d million accepted; send a smaller copy (a card "
        "prints 600 × 800)"
    ) % {"size": size, "most": MAX_PIXELS // 1_000_000}
    return InvalidInput(f"photo: {message}", field="photo")


def clean_photo(content: bytes) -> bytes:
    """A JPEG of at most BOX pixels, from a JPEG or PNG. Re-encoding drops every piece of metadata the
    camera wrote (place, time, device), which is personal data the card does not need.

    Decoding takes up to a second and some hundred MB for the largest pictures accepted: call it in a worker
    thread (PhotoService does), never on the event loop."""
    if not content:
        raise InvalidInput("photo: " + _("the file is empty"), field="photo")
    if len(content) > MAX_BYTES:
        raise InvalidInput("photo: " + _("at most %(mb)d MB") % {"mb": MAX_BYTES // (1024 * 1024)}, field="photo")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                if image.format not in {"JPEG", "PNG"}:
                    raise InvalidInput("photo: " + _("send a JPEG or PNG picture"), field="photo")
                if image.width * image.height > MAX_PIXELS:
                    raise too_many_pixels(f"{image.width:,} × {image.height:,}")
                # A JPEG decodes straight to a smaller scale (1/2 to 1/8) when that is still larger than BOX.
                image.draft("RGB", (BOX[0] * 2, BOX[1] * 2))
                image.load()
                picture = image.convert("RGB")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own limit, reached before the header's size can be read back: far over ours.
        raise too_many_pixels(
            _("over %(millions)d million") % {"millions": Image.MAX_IMAGE_PIXELS // 1_000_000}
        ) from None
    except (UnidentifiedImageError, OSError):
        raise InvalidInput("photo: " + _("this is not a readable JPEG or PNG picture"), field="photo") from None
    picture.thumbnail(BOX)
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


class PhotoService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _person(self, person_id: int) -> m.Person:
        person = await self.session.get(m.Person, person_id)
        if person is None:
            raise NotFound("person", person_id)
        return person

    async def set(self, person_id: int, content: bytes | None, actor: Actor) -> None:
        """Store the picture as the person's photo; None is a form sent without choosing one."""
        person = await self._person(person_id)
        if content is None:
            raise InvalidInput("photo: " + _("choose a picture to upload"), field="photo")
        photo = await anyio.to_thread.run_sync(clean_photo, content)
        await self.session.execute(update(m.Person).where(m.Person.id == person.id).values(photo=photo))
        await record(self.session, actor, "photo", person, note=f"photo sha256 {hashlib.sha256(photo).hexdigest()}")

    async def remove(self, person_id: int, actor: Actor) -> None:
        person = await self._person(person_id)
        await self.session.execute(update(m.Person).where(m.Person.id == person.id).values(photo=None))
        await record(self.session, actor, "photo", person, note="photo removed")

    async def get(self, person_id: int) -> bytes:
        """The person's photo; NotFound for a person without one."""
        person = await self._person(person_id)
        photo = await self.session.scalar(select(m.Person.photo).where(m.Person.id == person.id))
        if photo is None:
            raise NotFound("photo of person", person_id)
        return photo
