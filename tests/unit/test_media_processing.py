"""Image processing: what is accepted, what is refused, and what is kept of an upload."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.images import bomb_png, gps_exif, image_bytes
from townsquare.domain.media.limits import MAX_BYTES, PREVIEW_LONG_SIDE
from townsquare.domain.media.processing import (
    MediaRefused,
    process_attachment,
    process_avatar,
    process_header,
)


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize(("source", "written"), [("JPEG", "JPEG"), ("PNG", "PNG"),
                                                 ("GIF", "PNG"), ("WEBP", "WEBP")])  # fmt: skip
def test_each_supported_format_is_reencoded(source: str, written: str) -> None:
    processed = process_attachment(image_bytes(800, 400, source))
    assert _open(processed.original.data).format == written
    assert (processed.original.width, processed.original.height) == (800, 400)
    # the preview keeps the shape at 640 px on the long side
    assert (processed.small.width, processed.small.height) == (PREVIEW_LONG_SIDE, 320)
    assert processed.small.meta() == {"width": 640, "height": 320, "size": "640x320",
                                      "aspect": 2.0}  # fmt: skip
    assert len(processed.blurhash) == 28


def test_small_images_are_not_enlarged() -> None:
    processed = process_attachment(image_bytes(100, 50))
    assert (processed.small.width, processed.small.height) == (100, 50)


def test_exif_orientation_is_applied_and_all_metadata_dropped() -> None:
    upload = image_bytes(300, 100, "JPEG", exif=gps_exif(orientation=6))
    assert _open(upload).getexif().get(0x8825) is not None  # the upload does carry GPS
    processed = process_attachment(upload)
    for rendition in (processed.original, processed.small):
        kept = _open(rendition.data)
        assert (kept.width, kept.height) == (rendition.width, rendition.height)
        assert not dict(kept.getexif())
        assert "icc_profile" not in kept.info and "exif" not in kept.info
        assert b"TestCam" not in rendition.data
    # rotated a quarter turn: the 300x100 landscape stands upright
    assert (processed.original.width, processed.original.height) == (100, 300)


def test_transparency_survives_as_png() -> None:
    processed = process_attachment(image_bytes(40, 40, "PNG", mode="RGBA", color=(9, 9, 9, 0)))
    kept = _open(processed.original.data)
    assert kept.format == "PNG" and kept.mode == "RGBA"
    assert kept.getpixel((0, 0))[3] == 0


def test_an_animated_gif_keeps_its_first_frame() -> None:
    processed = process_attachment(image_bytes(40, 40, "GIF", frames=3))
    first = _open(processed.original.data).convert("RGB")
    assert first.getpixel((0, 0))[0] > 150  # red, not the green later frames


def _half(data: bytes) -> bytes:
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"plain text, named .png by someone", "not a supported image"),
        (b"%PDF-1.4\n" + b"0" * 200, "not a supported image"),
        (_half(image_bytes(200, 200, "PNG")), "could not be read"),
        (_half(image_bytes(600, 600, "JPEG")), "could not be read"),
        (bomb_png(6000, 6000), "too many pixels"),
        (bomb_png(30_000, 30_000), "too many pixels"),
        (b"\x00" * (MAX_BYTES + 1), "too large"),
    ],
    ids=["empty", "text", "pdf", "truncated-png", "truncated-jpeg", "bomb", "huge-bomb",
         "too-big"],
)  # fmt: skip
def test_bad_uploads_are_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(MediaRefused) as refused:
        process_attachment(data)
    assert message in refused.value.message
    assert refused.value.status == 422


def test_bmp_is_not_accepted() -> None:
    with pytest.raises(MediaRefused):
        process_attachment(image_bytes(10, 10, "BMP"))


def test_avatar_is_a_400_px_square_and_header_1500_by_500() -> None:
    avatar = process_avatar(image_bytes(1200, 600, "JPEG", exif=gps_exif()))
    assert (avatar.width, avatar.height) == (400, 400)
    assert not dict(_open(avatar.data).getexif())
    header = process_header(image_bytes(300, 300, "PNG"))
    assert (header.width, header.height) == (1500, 500)
    with pytest.raises(MediaRefused):
        process_avatar(b"GIF89a but not really")
