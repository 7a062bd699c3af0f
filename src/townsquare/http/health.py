"""Liveness and readiness: answers once the database answers.

Also the benchmarks' yardstick for "a bare SQL-backed JSON endpoint" on this server.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from townsquare.http.responses import json_response
from townsquare.http.state import state_of

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def health(request: Request) -> Response:
    await state_of(request).db.ping()
    return json_response({"status": "ok"})
