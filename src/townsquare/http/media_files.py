"""Uploaded files, served from the site's blob store at ``/media/<kind>/<owner>/<name>``.

Keys have exactly three plain segments, so the route needs no path converter (which
the route index would try on every request) and a key can never climb out of the
store's directory; the store checks each segment again.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from townsquare.http.responses import error_response
from townsquare.http.state import state_of

router = APIRouter(include_in_schema=False)

# Each file's name is new for new content, so a copy may be kept for good.
_HEADERS = {
    "Cache-Control": "public, max-age=31536000, immutable",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


@router.get("/media/{kind}/{owner}/{name}")
async def media_file(kind: str, owner: str, name: str, request: Request) -> Response:
    store = state_of(request).site.blobs
    blob = None
    if store is not None:
        blob = await asyncio.to_thread(store.get, f"{kind}/{owner}/{name}")
    if blob is None:
        return error_response("Record not found", 404)
    return Response(blob.data, media_type=blob.content_type, headers=_HEADERS)
