"""The job worker: claims due job rows, runs their handlers, retries with backoff.

Safe to kill at any moment: a claimed job carries a lease (``locked_until``); if the
worker dies the lease runs out and another worker takes the job again. Each job runs
in its own transaction and its row is removed in that same transaction, so a job's
effects and its completion commit together.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta
from typing import Any

import orjson
from sqlalchemy import delete, or_, select, update

from townsquare.core.clock import utcnow
from townsquare.core.errors import Unavailable
from townsquare.domain.common.site import Site
from townsquare.jobs.registry import HANDLERS, Handler
from townsquare.storage.database import Database
from townsquare.storage.jobs import on_job_enqueued, remove_waker
from townsquare.storage.schema import jobs

log = logging.getLogger("townsquare.jobs")

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 10
BATCH = 20


def backoff(attempts: int) -> timedelta:
    """1 s, 4 s, 16 s ... capped at one hour."""
    return timedelta(seconds=min(4 ** max(attempts - 1, 0), 3600))


class Worker:
    def __init__(
        self, db: Database, site: Site, handlers: dict[str, Handler] | None = None
    ) -> None:
        self.db = db
        self.site = site
        self.handlers = handlers if handlers is not None else HANDLERS
        self._wake = asyncio.Event()
        self._stopping = False

    def wake(self) -> None:
        self._wake.set()

    async def _claim(self) -> list[Any]:
        now = utcnow()
        async with self.db.write() as conn:
            query = (
                select(jobs.c.id, jobs.c.kind, jobs.c.payload, jobs.c.attempts)
                .where(
                    jobs.c.run_at <= now,
                    jobs.c.failed_at.is_(None),
                    or_(jobs.c.locked_until.is_(None), jobs.c.locked_until < now),
                )
                .order_by(jobs.c.run_at)
                .limit(BATCH)
            )
            if not self.db.is_sqlite:
                query = query.with_for_update(skip_locked=True)
            rows = (await conn.execute(query)).all()
            if rows:
                await conn.execute(
                    update(jobs)
                    .where(jobs.c.id.in_([r.id for r in rows]))
                    .values(locked_until=now + LEASE)
                )
        return list(rows)

    async def _run(self, job: Any) -> None:
        handler = self.handlers.get(job.kind)
        try:
            if handler is None:
                raise LookupError(f"no handler for job kind {job.kind!r}")
            async with self.db.write() as conn:
                await handler(conn, self.site, orjson.loads(job.payload))
                await conn.execute(delete(jobs).where(jobs.c.id == job.id))
        except Unavailable:
            # Not the job's fault: no attempt is counted, and the round ends. The job is
            # handed back if the database answers again (a connection lost while hot),
            # else it runs again when its lease runs out.
            with contextlib.suppress(Unavailable):
                await self._hand_back(job)
            raise
        except Exception as exc:  # any failure is retried, then parked for the operator
            log.warning("job %s (%s) failed: %s", job.id, job.kind, exc)
            await self._record_failure(job, exc)

    async def _hand_back(self, job: Any) -> None:
        async with self.db.write() as conn:
            await conn.execute(update(jobs).where(jobs.c.id == job.id).values(locked_until=None))

    async def _record_failure(self, job: Any, exc: Exception) -> None:
        attempts = job.attempts + 1
        now = utcnow()
        values: dict[str, Any] = {
            "attempts": attempts,
            "last_error": f"{type(exc).__name__}: {exc}"[:2000],
            "locked_until": None,
            "run_at": now + backoff(attempts),
        }
        if attempts >= MAX_ATTEMPTS:
            values["failed_at"] = now
        async with self.db.write() as conn:
            await conn.execute(update(jobs).where(jobs.c.id == job.id).values(**values))

    async def run_once(self) -> int:
        """Run the jobs due now; answers how many were claimed."""
        claimed = await self._claim()
        for job in claimed:
            await self._run(job)
        return len(claimed)

    async def run_until_idle(self, max_rounds: int = 1000) -> None:
        for _ in range(max_rounds):
            if await self.run_once() == 0:
                return

    async def run_forever(self, poll_seconds: float = 5.0) -> None:
        on_job_enqueued(self.wake)
        try:
            while not self._stopping:
                try:
                    ran = await self.run_once()
                except Unavailable as exc:
                    log.warning("job worker waits for the database: %s", exc.__cause__)
                    ran = 0
                except Exception:  # keep the loop alive through a database hiccup
                    log.exception("job worker round failed")
                    ran = 0
                if ran == 0:
                    self._wake.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), timeout=poll_seconds)
        finally:
            remove_waker(self.wake)

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()
