"""Which failures mean the database cannot answer now, rather than a fault of ours.

A request that meets one should be told to come back (503 with ``Retry-After``), as a
proxy in front of a down server would say, instead of a 500 that reads as a bug: the
server is down or restarting, refuses more connections, or (SQLite) another process
held the write lock past ``busy_timeout``.
"""

from __future__ import annotations

import sqlite3

import asyncpg
from sqlalchemy.exc import DBAPIError

# "No connection to be had": the server end went away, the server is starting or
# shutting down, or it has no connection slot left; OSError is the socket's own
# (refused, reset, timed out).
_GONE = (
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    OSError,
)

_SQLITE_BUSY = ("database is locked", "database is busy")


def _causes(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and len(seen) < 10 and current not in seen:
        seen.append(current)
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else current.__cause__
    return seen


def database_unavailable(error: BaseException) -> bool:
    """``error`` (or what it wraps) says the database could not be reached or was busy."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    for cause in _causes(error):
        if isinstance(cause, _GONE):
            return True
        if isinstance(cause, asyncpg.InterfaceError) and "connection is closed" in str(cause):
            return True
        if isinstance(cause, sqlite3.OperationalError) and str(cause) in _SQLITE_BUSY:
            return True
    return False
