"""Default images clients ask for (missing avatar and header)."""

from __future__ import annotations

import struct
import zlib
from functools import cache

from fastapi import APIRouter
from starlette.responses import Response

router = APIRouter(include_in_schema=False)


@cache
def _flat_png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height, 9))
        + chunk(b"IEND", b"")
    )


_CACHE = {"Cache-Control": "public, max-age=86400"}


@router.get("/avatars/original/missing.png")
async def missing_avatar() -> Response:
    return Response(_flat_png(120, 120, (155, 160, 170)), media_type="image/png", headers=_CACHE)


@router.get("/headers/original/missing.png")
async def missing_header() -> Response:
    return Response(_flat_png(300, 100, (210, 214, 220)), media_type="image/png", headers=_CACHE)


@router.get("/static/thumbnail.png")
async def thumbnail() -> Response:
    return Response(_flat_png(400, 210, (38, 70, 120)), media_type="image/png", headers=_CACHE)
