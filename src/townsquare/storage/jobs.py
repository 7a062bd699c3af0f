"""Durable job rows: written in the same transaction as the change that needs them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import utcnow
from townsquare.core.ids import new_id
from townsquare.storage.database import after_commit
from townsquare.storage.schema import jobs

_wakers: list[Callable[[], None]] = []
_INSERT = jobs.insert()


def on_job_enqueued(waker: Callable[[], None]) -> None:
    """Register a callback (a worker's wake-up) run after a job-writing commit."""
    _wakers.append(waker)


def remove_waker(waker: Callable[[], None]) -> None:
    if waker in _wakers:
        _wakers.remove(waker)


def _wake_all() -> None:
    for waker in list(_wakers):
        waker()


async def enqueue(
    conn: AsyncConnection, kind: str, payload: dict[str, Any], *, run_at: datetime | None = None
) -> int:
    job_id = new_id()
    now = utcnow()
    # one statement object with parameters: SQLAlchemy finds its compiled form without
    # building a new statement and its cache key for every job (about 136 → 56 µs)
    await conn.execute(
        _INSERT,
        {
            "id": job_id,
            "kind": kind,
            "payload": orjson.dumps(payload).decode(),
            "run_at": run_at or now,
            "created_at": now,
        },
    )
    after_commit(conn, _wake_all)
    return job_id
