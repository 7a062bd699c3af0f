"""Test images made with Pillow on the spot: the repository holds no binary fixtures."""

from __future__ import annotations

import io

from PIL import Image


def image_bytes(
    width: int = 64, height: int = 48, image_format: str = "PNG", *,
    color: tuple[int, ...] = (200, 40, 40), mode: str = "RGB", exif: Image.Exif | None = None,
    frames: int = 1,
) -> bytes:  # fmt: skip
    """An image of ``width`` x ``height``: left half ``color``, right half blue."""
    image = Image.new(mode, (width, height), color)
    blue = (20, 40, 220, 255)[: len(color)] if mode != "L" else 30
    image.paste(Image.new(mode, (width - width // 2, height), blue), (width // 2, 0))
    buffer = io.BytesIO()
    options: dict[str, object] = {}
    if exif is not None:
        options["exif"] = exif
    if frames > 1:
        extra = [Image.new(mode, (width, height), (0, 255, 0)) for _ in range(frames - 1)]
        options.update(save_all=True, append_images=extra, duration=100)
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def gps_exif(orientation: int = 1) -> Image.Exif:
    """EXIF with a camera, a GPS position (what upload must strip) and an orientation."""
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    exif[0x0112] = orientation  # Orientation
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}  # GPSInfo
    return exif


def bomb_png(width: int = 20_000, height: int = 20_000) -> bytes:
    """A small PNG that declares a huge image: only its header is real."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width + 1) * 64)  # a few rows; the rest never decodes
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )
