"""Pooled PostgreSQL connections are pinged when they have been idle, not on every use.

SQLAlchemy's ``pool_pre_ping`` checks a connection at every check-out, and the asyncpg
dialect's ping is three round trips (``BEGIN``, an empty query, ``ROLLBACK``, for
pgbouncer's transaction mode). A request checks out a connection at least twice (the
bearer, then the handler), so a home read made eight round trips where its statements
need two. A connection that was in use a moment ago is almost surely alive; the ones
that die are those left idle (a server restart, a proxy's idle timeout). So a
connection is pinged only when it comes out of the pool after ``PING_AFTER_IDLE``, and
one that dies while hot is caught where it fails instead: the statement's error
invalidates it (SQLAlchemy does so for its own statements, ``storage.prepared`` for the
prepared ones, which also retry a read once on a fresh connection). A write sends its
BEGIN before anything else (``begin_at_once``), so a connection found gone there has
run nothing and the write begins again on a fresh one.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection
from sqlalchemy.util import await_

# Seconds a pooled connection may rest and still be handed out without a ping.
PING_AFTER_IDLE = 5.0

_RESTED_SINCE = "townsquare_rested_since"


def ping_when_idle(engine: AsyncEngine) -> None:
    """Install the check on ``engine``'s pool (instead of ``pool_pre_ping``)."""
    dialect = engine.dialect

    def rested(_dbapi: Any, record: ConnectionPoolEntry, *_args: Any) -> None:
        record.info[_RESTED_SINCE] = time.monotonic()

    def checkout(dbapi: Any, record: ConnectionPoolEntry, _proxy: PoolProxiedConnection) -> None:
        since = record.info.get(_RESTED_SINCE)
        if since is not None and time.monotonic() - since < PING_AFTER_IDLE:
            return
        try:
            dialect.do_ping(dbapi)
        except Exception as error:
            # the pool closes this one and checks out (or opens) another
            raise DisconnectionError(f"a pooled connection is gone: {error}") from error

    sync = engine.sync_engine
    event.listen(sync, "connect", rested)
    event.listen(sync, "checkin", rested)
    event.listen(sync, "checkout", checkout)


def begin_at_once(engine: AsyncEngine) -> None:
    """Send BEGIN when a transaction begins (``AsyncConnection.begin``), not with its
    first statement as the asyncpg dialect does.

    The prepared statements (``storage.prepared``) go to the driver on their own, so a
    write whose first statement was one ran it outside the transaction, and a
    connection that died while hot failed the write midway, where it cannot be run
    again. Sent at once, BEGIN costs no round trip more and puts every statement inside
    the transaction; a dead connection is found there, before anything ran, through
    SQLAlchemy's own handling (the pool is invalidated, and ``DBAPIError`` says
    ``connection_invalidated``), so ``Database.write`` begins once more on a fresh one.
    """

    def do_begin(dbapi_connection: Any) -> None:
        # the dialect's own lazy BEGIN, called early; its statements then find it begun
        await_(dbapi_connection._start_transaction())

    engine.sync_engine.dialect.do_begin = do_begin  # type: ignore[method-assign]
