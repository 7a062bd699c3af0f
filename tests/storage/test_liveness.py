"""PostgreSQL's pool pings a connection only after it rested (``storage.liveness``), and a
connection whose server end is gone is replaced, not handed out again: at check-out
when it rested, and where its statement fails when it was hot (a read then runs once
more on a fresh connection, and a write that found it gone at its BEGIN begins again)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import literal_column, select, text
from sqlalchemy.engine import make_url

from tests.databases import ENGINE, create_database, drop_database
from townsquare.app import create_app
from townsquare.core.errors import Unavailable
from townsquare.storage import liveness
from townsquare.storage.database import Database
from townsquare.storage.prepared import Prepared

pytestmark = pytest.mark.skipif(
    ENGINE != "postgresql", reason="PostgreSQL's pool only (TOWNSQUARE_TEST_DATABASE=postgresql)"
)

ONE = Prepared(select(literal_column("1").label("one")))


@pytest.fixture
async def pooled(tmp_path: Path) -> AsyncIterator[Database]:
    """A database of the test's own, so that ending its connections touches no other."""
    url = await create_database("liveness", tmp_path)
    database = Database(url, pool_size=2)
    yield database
    await database.dispose()
    await drop_database(url)


async def _end_connections(db: Database) -> None:
    """End every server process serving ``db``, as a restart or a proxy would."""
    dsn = make_url(db.url).set(drivername="postgresql").render_as_string(hide_password=False)
    admin = await asyncpg.connect(dsn)
    try:
        others = (
            "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        await admin.execute(f"SELECT pg_terminate_backend(pid) {others}")
        for _ in range(100):  # ended processes leave pg_stat_activity within moments
            if not await admin.fetchval(f"SELECT count(*) {others}"):
                return
            await asyncio.sleep(0.05)
        raise AssertionError("the server processes did not end")
    finally:
        await admin.close()


async def _read_one(db: Database) -> int:
    async with db.read() as conn:
        return int((await ONE.all(conn, {}))[0].one)


async def test_a_rested_connection_is_pinged_and_a_hot_one_is_not(
    pooled: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    pings: list[object] = []
    ping = pooled.engine.dialect.do_ping

    def counted(dbapi: object) -> bool:
        pings.append(dbapi)
        return ping(dbapi)

    monkeypatch.setattr(pooled.engine.dialect, "do_ping", counted)
    monkeypatch.setattr(liveness, "PING_AFTER_IDLE", 3600.0)
    for _ in range(5):
        assert await _read_one(pooled) == 1
    assert pings == []  # new, then hot: never pinged
    monkeypatch.setattr(liveness, "PING_AFTER_IDLE", 0.0)
    for _ in range(3):
        assert await _read_one(pooled) == 1
    assert len(pings) == 3


async def test_a_rested_connection_found_gone_is_replaced_at_check_out(
    pooled: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert await _read_one(pooled) == 1
    await _end_connections(pooled)
    monkeypatch.setattr(liveness, "PING_AFTER_IDLE", 0.0)
    async with pooled.read() as conn:  # SQLAlchemy's own path
        assert (await conn.execute(text("SELECT 2"))).scalar_one() == 2
    async with pooled.write() as conn:
        assert (await conn.execute(text("SELECT 3"))).scalar_one() == 3


async def test_a_hot_connection_found_gone_reads_again_on_a_fresh_one(
    pooled: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(liveness, "PING_AFTER_IDLE", 3600.0)
    assert await _read_one(pooled) == 1
    await _end_connections(pooled)
    assert await _read_one(pooled) == 1  # the prepared read tries once more
    assert await _read_one(pooled) == 1
    async with pooled.read() as conn:
        assert (await conn.execute(text("SELECT 2"))).scalar_one() == 2


async def test_a_connection_found_gone_has_its_siblings_replaced_too(
    pooled: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server end went away for every pooled connection: once a prepared read finds
    one gone, the others are replaced at check-out, so SQLAlchemy's own statements (which
    do not run again) meet no dead one."""
    monkeypatch.setattr(liveness, "PING_AFTER_IDLE", 3600.0)

    assert await _two_reads_at_once(pooled) == [4, 4]  # two pooled connections, both hot
    await _end_connections(pooled)
    assert await _read_one(pooled) == 1
    assert await _two_reads_at_once(pooled) == [4, 4]


async def _two_reads_at_once(db: Database) -> list[int]:
    """Two reads through SQLAlchemy's own path, each holding a pooled connection."""
    release = asyncio.Event()

    async def held_read() -> int:
        async with db.read() as conn:
            await release.wait()
            return int((await conn.execute(text("SELECT 4"))).scalar_one())

    both = asyncio.gather(held_read(), held_read())
    await asyncio.sleep(0.2)
    release.set()
    return list(await both)


async def test_a_write_on_a_hot_connection_found_gone_begins_again_on_a_fresh_one(
    pooled: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(liveness, "PING_AFTER_IDLE", 3600.0)
    async with pooled.write() as conn:
        assert (await ONE.all(conn, {}))[0].one == 1
    await _end_connections(pooled)
    async with pooled.write() as conn:  # BEGIN found the connection gone; nothing ran
        assert (await ONE.all(conn, {}))[0].one == 1
        await conn.execute(text("CREATE TABLE written (n int)"))
        await conn.execute(text("INSERT INTO written VALUES (1)"))
    async with pooled.read() as conn:
        assert (await conn.execute(text("SELECT n FROM written"))).scalar_one() == 1


async def test_a_write_that_fails_midway_is_not_run_again(
    pooled: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(liveness, "PING_AFTER_IDLE", 3600.0)
    runs = 0
    with pytest.raises(Unavailable):  # a 503 for a client, a retry later for a job
        async with pooled.write() as conn:
            runs += 1
            await ONE.all(conn, {})
            await _end_connections(pooled)
            await ONE.all(conn, {})
    assert runs == 1
    async with pooled.write() as conn:
        assert (await ONE.all(conn, {}))[0].one == 1


async def test_a_prepared_read_in_a_write_runs_inside_its_transaction(pooled: Database) -> None:
    transaction = Prepared(select(literal_column("txid_current()").label("id")))
    async with pooled.write() as conn:
        first = (await transaction.all(conn, {}))[0].id
        second = (await conn.execute(text("SELECT txid_current()"))).scalar_one()
    assert first == second


async def test_the_pool_keeps_the_configured_number_of_connections(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """TOWNSQUARE_DATABASE_POOL_SIZE reaches the pool: that many stay open after a burst
    (the rest, up to half as many again, are closed when they come back)."""
    url = await create_database("pool", tmp_path)
    monkeypatch.setenv("TOWNSQUARE_DATABASE_URL", url)
    monkeypatch.setenv("TOWNSQUARE_DATABASE_POOL_SIZE", "4")
    app = create_app()
    db = app.state.townsquare.db
    try:
        held: list[object] = []
        for _ in range(6):  # 4 kept + 2 of the overflow
            held.append(await db.engine.connect())
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.5):  # past the overflow, a request waits
                await db.engine.connect()
        for conn in held:
            await conn.close()  # type: ignore[attr-defined]
        assert db.engine.pool.checkedin() == 4
    finally:
        await db.dispose()
        await drop_database(url)
