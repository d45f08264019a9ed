"""An observer's photo as it is uploaded: a small file may claim an enormous picture, and is told so."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from tracker.errors import InvalidInput
from tracker.services.photos import clean_photo


def jpeg(width: int = 64, height: int = 48) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (120, 80, 40)).save(out, format="JPEG")
    return out.getvalue()


def claiming(content: bytes, width: int, height: int) -> bytes:
    """The same JPEG with its frame header (SOF0) claiming another size: a few bytes that cost nothing to send."""
    frame = content.index(b"\xff\xc0")
    return content[: frame + 5] + struct.pack(">HH", height, width) + content[frame + 9 :]


def png_claiming(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="PNG")
    content = out.getvalue()
    header = b"IHDR" + struct.pack(">II", width, height) + content[24:29]
    return content[:12] + header + struct.pack(">I", zlib.crc32(header)) + content[33:]


def refusal(content: bytes) -> str:
    with pytest.raises(InvalidInput) as raised:
        clean_photo(content)
    assert raised.value.field == "photo"
    return raised.value.message


def test_a_jpeg_claiming_65500_by_65500_pixels_is_refused_for_its_size_not_called_unreadable() -> None:
    message = refusal(claiming(jpeg(), 65500, 65500))

    assert message.startswith("photo: the picture is over 89 million pixels, more than the 50 million accepted")


def test_a_png_claiming_more_than_50_million_pixels_says_how_large_it_is() -> None:
    message = refusal(png_claiming(8000, 7000))

    assert message.startswith("photo: the picture is 8,000 × 7,000 pixels, more than the 50 million accepted")


def test_a_large_jpeg_is_decoded_at_a_smaller_scale_and_stored_within_the_card_box() -> None:
    stored = Image.open(io.BytesIO(clean_photo(jpeg(4800, 6400))))

    assert stored.format == "JPEG"
    assert stored.size == (600, 800)


def test_a_file_that_is_no_picture_is_called_unreadable() -> None:
    assert refusal(b"%PDF-1.4 not a picture") == "photo: this is not a readable JPEG or PNG picture"
