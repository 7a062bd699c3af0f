"""Markers: where a person stopped reading their home timeline and notifications."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import ValidationFailed
from townsquare.core.ids import parse_id
from townsquare.domain.markers.actions import set_marker
from townsquare.domain.markers.models import TIMELINES, Marker
from townsquare.domain.markers.queries import get_markers
from townsquare.http.auth import Caller, scoped
from townsquare.http.mastodon.entities.common import iso
from townsquare.http.params import read_params
from townsquare.http.responses import json_response
from townsquare.http.state import state_of

router = APIRouter(tags=["markers"])


def _entity(marker: Marker) -> dict[str, Any]:
    return {
        "last_read_id": str(marker.last_read_id),
        "version": marker.version,
        "updated_at": iso(marker.updated_at),
    }


@router.get("/api/v1/markers")
async def show(request: Request, caller: Caller = Depends(scoped("read:statuses"))) -> Response:
    params = await read_params(request)
    async with state_of(request).db.read() as conn:
        found = await get_markers(conn, caller.user.id, params.get_str_list("timeline"))
    return json_response({name: _entity(marker) for name, marker in found.items()})


@router.post("/api/v1/markers")
async def save(request: Request, caller: Caller = Depends(scoped("write:statuses"))) -> Response:
    params = await read_params(request)
    wanted: dict[str, int] = {}
    for timeline in TIMELINES:
        field = f"{timeline}[last_read_id]"
        raw = params.get_str(field, max_length=40)
        if raw is None:
            continue
        parsed = parse_id(raw)
        if parsed is None:
            raise ValidationFailed(
                f"Validation failed: {field} must be an id", details={field: ["ERR_INVALID"]}
            )
        wanted[timeline] = parsed
    async with state_of(request).db.write() as conn:
        saved = {
            timeline: await set_marker(conn, caller.user.id, timeline, last_read_id)
            for timeline, last_read_id in wanted.items()
        }
    return json_response({name: _entity(marker) for name, marker in saved.items()})
