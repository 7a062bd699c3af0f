"""Which failures mean the database cannot answer now (a 503), and which are faults of
ours (a 500): ``storage.outage.database_unavailable``."""

from __future__ import annotations

import sqlite3

import asyncpg
import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from townsquare.storage.outage import database_unavailable


def _wrapped(orig: BaseException, *, invalidated: bool = False) -> DBAPIError:
    return DBAPIError.instance(
        "SELECT 1", None, orig, Exception, connection_invalidated=invalidated
    )


def _translated(cause: BaseException) -> Exception:
    """As a driver adapter raises it: its own error, from the driver's."""
    try:
        raise RuntimeError("adapter error") from cause
    except RuntimeError as error:
        return error


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(111, "Connect call failed"),
        OSError("Multiple exceptions: [Errno 111] Connect call failed"),
        TimeoutError(),
        asyncpg.CannotConnectNowError("the database system is starting up"),
        asyncpg.TooManyConnectionsError("sorry, too many clients already"),
        asyncpg.AdminShutdownError("terminating connection due to administrator command"),
        asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        asyncpg.InterfaceError("cannot call Connection.fetch(): connection is closed"),
        _wrapped(Exception("server closed the connection"), invalidated=True),
        _wrapped(_translated(ConnectionResetError(104, "Connection reset by peer"))),
        OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked")),
    ],
    ids=lambda error: type(error).__name__,
)
def test_the_database_cannot_answer(error: BaseException) -> None:
    assert database_unavailable(error)


@pytest.mark.parametrize(
    "error",
    [
        ValueError("a bug"),
        KeyError("status"),
        OperationalError("SELECT", None, sqlite3.OperationalError("no such table: statuses")),
        IntegrityError("INSERT", None, sqlite3.IntegrityError("UNIQUE constraint failed")),
        _wrapped(asyncpg.UndefinedColumnError('column "x" does not exist')),
        asyncpg.InterfaceError("the server expects 2 arguments, 1 was passed"),
    ],
    ids=lambda error: type(error).__name__,
)
def test_a_fault_of_ours_is_not_an_outage(error: BaseException) -> None:
    assert not database_unavailable(error)
