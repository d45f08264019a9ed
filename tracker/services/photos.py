"""Observers' photos for their accreditation cards: checked, shrunk and re-encoded on the way in."""

from __future__ import annotations

import hashlib
import io
import warnings

from PIL import Image, UnidentifiedImageError
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker.errors import InvalidInput
from tracker.services.audit import Actor, record

MAX_BYTES = 5 * 1024 * 1024
# A card's photo box is 30 x 40 mm: 600 x 800 pixels print it sharply at 500 dpi.
BOX = (600, 800)
# Larger images are refused before they are decoded: a small file can claim a gigantic picture.
MAX_PIXELS = 50_000_000


def clean_photo(content: bytes) -> bytes:
    """A JPEG of at most BOX pixels, from a JPEG or PNG. Re-encoding drops every piece of metadata the
    camera wrote (place, time, device), which is personal data the card does not need."""
    if not content:
        raise InvalidInput("photo: the file is empty", field="photo")
    if len(content) > MAX_BYTES:
        raise InvalidInput(f"photo: at most {MAX_BYTES // (1024 * 1024)} MB", field="photo")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                if image.format not in {"JPEG", "PNG"}:
                    raise InvalidInput("photo: send a JPEG or PNG picture", field="photo")
                if image.width * image.height > MAX_PIXELS:
                    raise InvalidInput("photo: the picture has too many pixels; send a smaller one", field="photo")
                image.load()
                picture = image.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidInput("photo: this is not a readable JPEG or PNG picture", field="photo") from None
    picture.thumbnail(BOX)
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


class PhotoService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def set(self, person: m.Person, content: bytes, actor: Actor) -> None:
        photo = clean_photo(content)
        await self.session.execute(update(m.Person).where(m.Person.id == person.id).values(photo=photo))
        await record(self.session, actor, "photo", person, note=f"photo sha256 {hashlib.sha256(photo).hexdigest()}")

    async def remove(self, person: m.Person, actor: Actor) -> None:
        await self.session.execute(update(m.Person).where(m.Person.id == person.id).values(photo=None))
        await record(self.session, actor, "photo", person, note="photo removed")

    async def get(self, person: m.Person) -> bytes | None:
        return await self.session.scalar(select(m.Person.photo).where(m.Person.id == person.id))
