"""Opening the database for a command: a bad URL, an unreachable server or a schema
that is not migrated is one line for the operator, never a traceback."""

from __future__ import annotations

import asyncio
import os

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from townsquare.config import Settings
from townsquare.core.errors import DomainError
from townsquare.storage.database import Database
from townsquare.storage.migrate import head_revision, schema_revision

NOT_MIGRATED = "the database is not migrated; run `townsquare migrate`"
# A server that never answers (a firewall dropping packets) must not hang a command.
CONNECT_TIMEOUT_SECONDS = 20


class DatabaseUnusable(DomainError):
    """The command cannot use the configured database; the message says why."""


def redact(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def reason(exc: BaseException) -> str:
    """The first line of what the driver said, without SQLAlchemy's wrapping."""
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        exc = exc.orig
    text = str(getattr(exc, "strerror", None) or exc) or type(exc).__name__
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


def is_missing_table(exc: BaseException) -> bool:
    """A statement failed because the schema lacks a table or column it needs."""
    said = reason(exc).lower()
    return any(
        sign in said for sign in ("no such table", "no such column", "does not exist", "undefined")
    ) and not said.startswith("database ")


async def open_database(settings: Settings, *, migrated: bool = True) -> Database:
    """The configured database, checked to answer and (unless ``migrated`` is False)
    to be at the schema this version of the code needs."""
    url = settings.database_url
    where = redact(url)
    if settings.is_sqlite:
        database = make_url(url).database
        if not database or database == ":memory:":
            raise DatabaseUnusable(
                f"TOWNSQUARE_DATABASE_URL {where} names no file; an in-memory database "
                "would lose everything (use e.g. sqlite:///data/townsquare.sqlite3)"
            )
        # Do not leave an empty file behind for a command that needed a schema.
        if migrated and not os.path.exists(database):  # noqa: ASYNC240
            raise DatabaseUnusable(NOT_MIGRATED)
    try:
        db = Database(url)
    except (ArgumentError, TypeError, ValueError) as exc:
        raise DatabaseUnusable(
            f"TOWNSQUARE_DATABASE_URL {where} is not usable: {reason(exc)}"
        ) from exc
    except OSError as exc:
        raise DatabaseUnusable(f"cannot open the database at {where}: {reason(exc)}") from exc
    try:
        current = await asyncio.wait_for(schema_revision(db), CONNECT_TIMEOUT_SECONDS)
    except (OSError, SQLAlchemyError, TimeoutError) as exc:
        await db.dispose()
        why = reason(exc) if not isinstance(exc, TimeoutError) else "no answer"
        raise DatabaseUnusable(f"cannot reach the database at {where}: {why}") from exc
    except BaseException:
        await db.dispose()
        raise
    if migrated and current != head_revision():
        await db.dispose()
        if current is None:
            raise DatabaseUnusable(NOT_MIGRATED)
        raise DatabaseUnusable(
            f"the database schema is at revision {current}, this version needs "
            f"{head_revision()}; run `townsquare migrate`"
        )
    return db
