"""Liveness and readiness: answers once the database answers.

Also the benchmarks' yardstick for "a bare SQL-backed JSON endpoint" on this server.
"""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import Response

from townsquare.http.responses import json_response
from townsquare.http.state import state_of

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def health(request: Request) -> Response:
    async with state_of(request).db.read() as conn:
        await conn.execute(text("SELECT 1"))
    return json_response({"status": "ok"})
