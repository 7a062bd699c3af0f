"""Engine, connections and transactions for SQLite and PostgreSQL.

Reads run in ordinary transactions. Writes on SQLite take the write lock up front
(``BEGIN IMMEDIATE``) and are serialised within the process, so two requests never
deadlock upgrading a read lock, and another process (a worker) waits on
``busy_timeout`` instead of failing.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncTransaction,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

from townsquare.core.errors import DomainError, Unavailable
from townsquare.storage.liveness import begin_at_once, ping_when_idle
from townsquare.storage.outage import database_unavailable
from townsquare.storage.sqlite_inline import inline_connector

AFTER_COMMIT_KEY = "townsquare_after_commit"
# PostgreSQL connections each process keeps (TOWNSQUARE_DATABASE_POOL_SIZE).
DEFAULT_POSTGRES_POOL = 20


def _sqlite_file(url: str) -> Path | None:
    database = make_url(url).database
    if not database or database == ":memory:":
        return None
    return Path(database)


class Database:
    def __init__(self, url: str, *, echo: bool = False, pool_size: int | None = None) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self._write_lock = asyncio.Lock() if self.is_sqlite else None
        if self.is_sqlite:
            path = _sqlite_file(url)
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
            # SQLite connections are cheap to keep and dear to reopen (the pool closes
            # connections past its size): keep enough for every request in flight.
            size = pool_size or 48
            self.engine: AsyncEngine = create_async_engine(
                url,
                echo=echo,
                pool_size=size,
                max_overflow=size,
                async_creator=inline_connector(str(path) if path else ":memory:"),
            )
            _configure_sqlite(self.engine)
            self._reader = self.engine.execution_options(sqlite_autocommit_read=True)
            # One reading connection serves every read of the process (see read()); an
            # in-memory database is one per connection, so it cannot be shared there.
            self._shares_reader = path is not None
            self._shared_reader: AsyncConnection | None = None
        else:
            # Connections the pool keeps open. A connection checked out beyond them is
            # closed when it comes back, and opening one costs PostgreSQL a process and
            # a cold statement cache: with 10 kept, a server under load opened and
            # closed connections all the time and read home at half the rate. Past the
            # overflow, requests wait for a connection instead (back-pressure).
            size = pool_size or DEFAULT_POSTGRES_POOL
            self.engine = create_async_engine(
                url,
                echo=echo,
                pool_size=size,
                max_overflow=size // 2,
                # The guard's subplans make the planner's total cost of a LIMITed page
                # look large, and PostgreSQL would JIT-compile it on every execution
                # (~50 ms for a 1 ms query); short OLTP statements never gain from JIT.
                connect_args={"server_settings": {"jit": "off"}},
            )
            # Under READ COMMITTED every statement sees what was committed when it
            # began, in a transaction or not: a read needs no BEGIN and COMMIT, two
            # round trips to the server of its own.
            self._reader = self.engine.execution_options(isolation_level="AUTOCOMMIT")
            # instead of pool_pre_ping's three round trips at every check-out
            ping_when_idle(self.engine)
            begin_at_once(self.engine)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        try:
            if self.is_sqlite:
                # SQLite in WAL mode reads without an explicit transaction: each
                # statement sees a committed state. Statements run on the loop's thread
                # and never yield to it mid-way (ADR 6), so concurrent requests can share
                # one reading connection, which saves a pool check-out and reset per
                # request and keeps one warm page cache instead of one per pooled
                # connection.
                if self._shares_reader:
                    yield await self._reading_connection()
                    return
                async with self._reader.connect() as conn:
                    yield conn
                return
            async with self._reader.connect() as conn:
                yield conn
        except Exception as error:
            if _is_outage(error):
                raise Unavailable() from error
            raise

    async def _reading_connection(self) -> AsyncConnection:
        shared = self._shared_reader
        if shared is not None and not (shared.closed or shared.invalidated):
            return shared
        opened = await self._reader.connect()
        if self._shared_reader is not shared:  # another reader opened one meanwhile
            await opened.close()
            return await self._reading_connection()
        self._shared_reader = opened
        return opened

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction; callbacks queued with ``after_commit`` run once it commits."""
        try:
            if self._write_lock is not None:
                async with self._write_lock, self.engine.connect() as conn:
                    conn = await conn.execution_options(sqlite_immediate=True)
                    async with conn.begin():
                        yield conn
                    callbacks = conn.info.pop(AFTER_COMMIT_KEY, [])
            else:
                conn, transaction = await self._begun()
                try:
                    try:
                        yield conn
                    except BaseException:
                        await transaction.rollback()
                        raise
                    await transaction.commit()
                    callbacks = conn.info.pop(AFTER_COMMIT_KEY, [])
                finally:
                    await conn.close()
        except Exception as error:
            if _is_outage(error):
                raise Unavailable() from error
            raise
        for callback in callbacks:
            callback()

    async def _begun(self) -> tuple[AsyncConnection, AsyncTransaction]:
        """A PostgreSQL connection whose transaction has begun on the server. A connection
        found gone at BEGIN has run nothing (``liveness.begin_at_once``): SQLAlchemy has
        then invalidated the pool, and the write begins once more on a fresh connection."""
        try:
            return await self._begin()
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
        return await self._begin()

    async def _begin(self) -> tuple[AsyncConnection, AsyncTransaction]:
        conn = await self.engine.connect()
        try:
            return conn, await conn.begin()
        except BaseException:
            await conn.close()
            raise

    async def ping(self) -> None:
        """Answer only once the database answers (health checks)."""
        async with self.read() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        if self.is_sqlite and self._shared_reader is not None:
            await self._shared_reader.close()
            self._shared_reader = None
        await self.engine.dispose()


def _is_outage(error: Exception) -> bool:
    """A read or a write that failed because the database cannot answer now leaves as
    ``Unavailable``: a 503 for a client, one line for the CLI, a retry for a job."""
    return not isinstance(error, DomainError) and database_unavailable(error)


def after_commit(conn: AsyncConnection, callback: Callable[[], None]) -> None:
    """Run ``callback`` after the current write transaction commits (never on rollback)."""
    conn.info.setdefault(AFTER_COMMIT_KEY, []).append(callback)


# Address space, not memory: only the pages read are mapped in, and they are the
# operating system's cached pages of the file, shared by every process.
SQLITE_MMAP_BYTES = 1 << 30


def _configure_sqlite(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # Let us issue BEGIN ourselves (the driver's implicit transactions get in the way).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Reads come straight from the operating system's cache of the file instead of
        # being copied into each connection's own small page cache (2 MB by default,
        # far less than what a busy server reads): about 5-10% of a home timeline read
        # in bench.timelines. The map is read-only; writes still go through the WAL.
        cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        options = conn.get_execution_options()
        if options.get("sqlite_autocommit_read", False):
            return
        conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get("sqlite_immediate") else "BEGIN")
