"""Turning uploaded bytes into the images we keep: checked, turned upright, stripped
of every piece of metadata (camera, time, GPS position) and encoded afresh.

CPU-bound and blocking: callers run it in a thread. Refusals are ``MediaRefused``
(a 422 with a message that says what is wrong).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from townsquare.core import blurhash
from townsquare.core.errors import ValidationFailed
from townsquare.domain.media.limits import (
    AVATAR_SIZE,
    HEADER_SIZE,
    MAX_BYTES,
    MAX_PIXELS,
    MAX_STORED_PIXELS,
    PREVIEW_LONG_SIDE,
    SUPPORTED_FORMATS,
)

# the format we write for each we read; GIF becomes its first frame as a PNG
_OUTPUT = {"JPEG": "JPEG", "PNG": "PNG", "GIF": "PNG", "WEBP": "WEBP"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
_BLURHASH_SIDE = 32


class MediaRefused(ValidationFailed):
    def __init__(self, message: str) -> None:
        super().__init__(message, details={"file": ["ERR_INVALID"]})


@dataclass(frozen=True, slots=True)
class Rendition:
    data: bytes
    extension: str
    width: int
    height: int

    def meta(self) -> dict[str, object]:
        return {
            "width": self.width,
            "height": self.height,
            "size": f"{self.width}x{self.height}",
            "aspect": self.width / self.height,
        }


@dataclass(frozen=True, slots=True)
class ProcessedImage:
    original: Rendition
    small: Rendition
    blurhash: str


def _decode(data: bytes) -> tuple[Image.Image, str]:
    """The upload's first frame, upright, with nothing but its pixels; and its format."""
    if not data:
        raise MediaRefused("The file is empty")
    if len(data) > MAX_BYTES:
        raise MediaRefused(f"The file is too large (the limit is {MAX_BYTES // (1024 * 1024)} MB)")
    too_large = f"The image has too many pixels (the limit is {MAX_PIXELS:,})"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(SUPPORTED_FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise MediaRefused(too_large) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise MediaRefused("The file is not a supported image (JPEG, PNG, GIF or WebP)") from None
    source_format = str(image.format)
    width, height = image.size
    if width < 1 or height < 1 or width * height > MAX_PIXELS:
        raise MediaRefused(too_large)
    try:
        image.seek(0)
        image.load()
        upright = ImageOps.exif_transpose(image)
        has_alpha = upright.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
            upright.mode == "P" and "transparency" in upright.info
        )
        converted = upright.convert("RGBA" if has_alpha else "RGB")
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError):
        raise MediaRefused("The image could not be read (it may be truncated or damaged)") from None
    # A fresh image from the pixels alone: no EXIF, XMP, ICC, comments or text chunks.
    clean = Image.frombytes(converted.mode, converted.size, converted.tobytes())
    return clean, source_format


def _encode(image: Image.Image, image_format: str) -> Rendition:
    buffer = io.BytesIO()
    if image_format == "JPEG":
        image.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    elif image_format == "WEBP":
        image.save(buffer, "WEBP", quality=85, method=4)
    else:
        image.save(buffer, "PNG", optimize=True)
    return Rendition(buffer.getvalue(), EXTENSIONS[image_format], image.width, image.height)


def _output_format(source_format: str, image: Image.Image) -> str:
    output = _OUTPUT[source_format]
    if output == "JPEG" and image.mode == "RGBA":
        return "PNG"
    return output


def _within(image: Image.Image, pixels: int) -> Image.Image:
    if image.width * image.height <= pixels:
        return image
    scale = (pixels / (image.width * image.height)) ** 0.5
    size = (max(1, int(image.width * scale)), max(1, int(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def _blurhash(image: Image.Image) -> str:
    small = image.convert("RGB")
    small.thumbnail((_BLURHASH_SIDE, _BLURHASH_SIDE), Image.Resampling.BILINEAR)
    raw = small.tobytes()
    pixels = [(raw[i], raw[i + 1], raw[i + 2]) for i in range(0, len(raw), 3)]
    return blurhash.encode(pixels, small.width, small.height)


def process_attachment(data: bytes) -> ProcessedImage:
    """An image for a post: the original (scaled down if huge), a preview and its hash."""
    image, source_format = _decode(data)
    image_format = _output_format(source_format, image)
    original = _within(image, MAX_STORED_PIXELS)
    preview = original.copy()
    preview.thumbnail((PREVIEW_LONG_SIDE, PREVIEW_LONG_SIDE), Image.Resampling.LANCZOS)
    return ProcessedImage(
        original=_encode(original, image_format),
        small=_encode(preview, image_format),
        blurhash=_blurhash(preview),
    )


def _fitted(data: bytes, size: tuple[int, int]) -> Rendition:
    image, source_format = _decode(data)
    fitted = ImageOps.fit(image, size, Image.Resampling.LANCZOS, centering=(0.5, 0.5))
    return _encode(fitted, _output_format(source_format, fitted))


def process_avatar(data: bytes) -> Rendition:
    """A profile picture: the middle of the image, cropped square, 400 px."""
    return _fitted(data, AVATAR_SIZE)


def process_header(data: bytes) -> Rendition:
    """A profile header: cropped to 3:1, 1500x500."""
    return _fitted(data, HEADER_SIZE)
