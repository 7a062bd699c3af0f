"""Media: uploads (``/api/v1/media``, ``/api/v2/media``), their descriptions and removal.

Images are processed before the answer, so both versions answer 200 with the finished
attachment (Mastodon's v2 answers 202 only for uploads it processes later).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import ValidationFailed
from townsquare.domain.media.actions import (
    NewUpload,
    delete_media,
    prepare_attachment,
    update_media,
    upload_media,
)
from townsquare.domain.media.limits import MAX_DESCRIPTION
from townsquare.domain.media.queries import own_upload
from townsquare.http.auth import Caller, scoped
from townsquare.http.mastodon.entities.status import media_entity
from townsquare.http.params import path_id
from townsquare.http.responses import json_response
from townsquare.http.state import state_of
from townsquare.http.uploads import file_bytes, upload_params

router = APIRouter(tags=["media"])


async def _upload(request: Request, caller: Caller) -> Response:
    state = state_of(request)
    params = await upload_params(request)
    data = await file_bytes(params, "file")
    if data is None:
        raise ValidationFailed(
            "Validation failed: File can't be blank", details={"file": ["ERR_BLANK"]}
        )
    new = NewUpload(
        description=params.get_str("description", max_length=MAX_DESCRIPTION * 4),
        focus=params.get_str("focus", max_length=100),
    )
    image = await prepare_attachment(data)
    async with state.db.write() as conn:
        media = await upload_media(conn, state.site, caller.user.id, image, new)
    return json_response(media_entity(media))


@router.post("/api/v2/media")
async def upload_v2(request: Request, caller: Caller = Depends(scoped("write:media"))) -> Response:
    return await _upload(request, caller)


@router.post("/api/v1/media")
async def upload_v1(request: Request, caller: Caller = Depends(scoped("write:media"))) -> Response:
    return await _upload(request, caller)


@router.get("/api/v1/media/{media_id}")
async def get_media(
    media_id: str, request: Request, caller: Caller = Depends(scoped("write:media"))
) -> Response:
    state = state_of(request)
    async with state.db.read() as conn:
        upload = await own_upload(conn, caller.user.id, path_id(media_id))
    return json_response(media_entity(upload.media))


@router.put("/api/v1/media/{media_id}")
async def put_media(
    media_id: str, request: Request, caller: Caller = Depends(scoped("write:media"))
) -> Response:
    state = state_of(request)
    params = await upload_params(request)
    async with state.db.write() as conn:
        media = await update_media(
            conn,
            caller.user.id,
            path_id(media_id),
            description=params.get_str("description", max_length=MAX_DESCRIPTION * 4),
            focus=params.get_str("focus", max_length=100),
        )
    return json_response(media_entity(media))


@router.delete("/api/v1/media/{media_id}")
async def remove_media(
    media_id: str, request: Request, caller: Caller = Depends(scoped("write:media"))
) -> Response:
    state = state_of(request)
    async with state.db.write() as conn:
        await delete_media(conn, state.site, caller.user.id, path_id(media_id))
    return json_response({})
