"""The job worker against a real database: handlers, retries, leases, parking."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import orjson
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from tests.conftest import unique_name
from townsquare.core.clock import as_utc, utcnow
from townsquare.core.errors import Unavailable
from townsquare.domain.accounts.actions import NewAccount, register
from townsquare.domain.accounts.models import Account
from townsquare.domain.common.site import Site
from townsquare.domain.graph.actions import follow
from townsquare.domain.posts.actions import Draft, create_post
from townsquare.jobs.worker import MAX_ATTEMPTS, Worker
from townsquare.storage.database import Database
from townsquare.storage.jobs import enqueue
from townsquare.storage.schema import jobs, notifications
from townsquare.storage.schema import settings_kv as instance_settings


async def account(db: Database) -> Account:
    name = unique_name("j")
    async with db.write() as conn:
        return await register(
            conn, NewAccount(username=name, email=f"{name}@example.org", password="a long secret")
        )


async def status_notifications(db: Database, recipient: Account) -> list[int]:
    async with db.read() as conn:
        rows = await conn.execute(
            select(notifications.c.status_id).where(
                notifications.c.account_id == recipient.id, notifications.c.type == "status"
            )
        )
        return [row.status_id for row in rows]


async def test_subscribers_hear_of_new_posts_through_a_job(db: Database, site: Site) -> None:
    author, subscriber, follower = await account(db), await account(db), await account(db)
    async with db.write() as conn:
        await follow(conn, subscriber, author.id, notify=True)
        await follow(conn, follower, author.id)
        public = await create_post(conn, site, author, Draft(text="news!"))
        private = await create_post(conn, site, author, Draft(text="just friends",
                                                               visibility="private"))  # fmt: skip
        await create_post(conn, site, author, Draft(text="a reply", in_reply_to_id=public.id))
    # Nothing is notified until the worker has run the job.
    assert await status_notifications(db, subscriber) == []
    await Worker(db, site).run_until_idle()
    assert sorted(await status_notifications(db, subscriber)) == sorted([public.id, private.id])
    assert await status_notifications(db, follower) == []
    async with db.read() as conn:
        assert (await conn.execute(select(jobs))).first() is None


async def _boom(conn: AsyncConnection, _site: Site, payload: dict[str, Any]) -> None:
    # The write must vanish with the failure: a job's effects commit with its completion.
    await conn.execute(instance_settings.insert().values(key=payload["key"], value="half"))
    raise RuntimeError("the remote end is down")


async def _make_due(db: Database) -> None:
    async with db.write() as conn:
        await conn.execute(update(jobs).values(run_at=utcnow() - timedelta(seconds=1)))


async def test_failures_back_off_then_park_without_half_written_effects(
    db: Database, site: Site
) -> None:
    worker = Worker(db, site, handlers={"boom": _boom})
    async with db.write() as conn:
        await enqueue(conn, "boom", {"key": "k1"})
    assert await worker.run_once() == 1
    async with db.read() as conn:
        job = (await conn.execute(select(jobs))).one()
        leftovers = (await conn.execute(select(instance_settings))).all()
    assert job.attempts == 1
    assert "the remote end is down" in job.last_error
    assert as_utc(job.run_at) > utcnow()
    assert job.locked_until is None
    assert leftovers == []
    # Not due yet: the next round leaves it alone.
    assert await worker.run_once() == 0
    for _ in range(MAX_ATTEMPTS - 1):
        await _make_due(db)
        assert await worker.run_once() == 1
    async with db.read() as conn:
        job = (await conn.execute(select(jobs))).one()
    assert job.attempts == MAX_ATTEMPTS
    assert job.failed_at is not None
    await _make_due(db)
    assert await worker.run_once() == 0  # parked for the operator, not retried forever


async def _database_gone(conn: AsyncConnection, _site: Site, payload: dict[str, Any]) -> None:
    await conn.execute(instance_settings.insert().values(key=payload["key"], value="half"))
    raise ConnectionResetError(104, "Connection reset by peer")  # as the driver would


async def test_a_database_outage_is_not_held_against_the_job(db: Database, site: Site) -> None:
    """The database connection went away under the job: the round ends, no attempt is
    counted, nothing the job wrote stays, and the job is handed back at once (the
    database answered again, as after a connection lost while hot)."""
    worker = Worker(db, site, handlers={"gone": _database_gone})
    async with db.write() as conn:
        await enqueue(conn, "gone", {"key": "k2"})
    with pytest.raises(Unavailable):
        await worker.run_once()
    async with db.read() as conn:
        job = (await conn.execute(select(jobs))).one()
        leftovers = (await conn.execute(select(instance_settings))).all()
    assert (job.attempts, job.last_error, job.failed_at, job.locked_until) == (0, None, None, None)
    assert leftovers == []
    with pytest.raises(Unavailable):  # due again at once: the handler runs again
        await worker.run_once()


async def test_backoff_grows(db: Database, site: Site) -> None:
    worker = Worker(db, site, handlers={"boom": _boom})
    async with db.write() as conn:
        await enqueue(conn, "boom", {"key": "k2"})
    delays = []
    for _ in range(3):
        await _make_due(db)
        started = utcnow()
        await worker.run_once()
        async with db.read() as conn:
            job = (await conn.execute(select(jobs))).one()
        delays.append((as_utc(job.run_at) - started).total_seconds())
    assert delays[0] < delays[1] < delays[2]


async def test_a_lease_keeps_others_off_until_it_runs_out(db: Database, site: Site) -> None:
    seen: list[str] = []

    async def record(_conn: AsyncConnection, _site: Site, payload: dict[str, Any]) -> None:
        seen.append(payload["n"])

    worker = Worker(db, site, handlers={"record": record})
    async with db.write() as conn:
        job_id = await enqueue(conn, "record", {"n": "one"})
        # As if another worker had claimed it a moment ago and is still working.
        await conn.execute(
            update(jobs)
            .where(jobs.c.id == job_id)
            .values(locked_until=utcnow() + timedelta(minutes=1))
        )
    assert await worker.run_once() == 0
    async with db.write() as conn:
        # That worker died: its lease runs out and the job is taken again.
        await conn.execute(
            update(jobs)
            .where(jobs.c.id == job_id)
            .values(locked_until=utcnow() - timedelta(seconds=1))
        )
    assert await worker.run_once() == 1
    assert seen == ["one"]


async def test_unknown_kinds_fail_loudly(db: Database, site: Site) -> None:
    worker = Worker(db, site, handlers={})
    async with db.write() as conn:
        await enqueue(conn, "no_such_kind", {})
    await worker.run_once()
    async with db.read() as conn:
        job = (await conn.execute(select(jobs))).one()
    assert "no handler" in job.last_error
    assert orjson.loads(job.payload) == {}
