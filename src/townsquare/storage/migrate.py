"""Bring a database to the newest schema with Alembic (same migrations on both engines)."""

from __future__ import annotations

from collections.abc import Callable

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.storage.database import Database


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", "townsquare.storage:migrations")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


async def migrate(db: Database, revision: str = "head") -> None:
    def _upgrade(connection: Connection) -> None:
        command.upgrade(alembic_config(connection), revision)

    await _run(db, _upgrade)


async def downgrade(db: Database, revision: str) -> None:
    """Take the schema back to ``revision`` (an id, or relative as "-1")."""

    def _downgrade(connection: Connection) -> None:
        command.downgrade(alembic_config(connection), revision)

    await _run(db, _downgrade)


async def _run(db: Database, step: Callable[[Connection], None]) -> None:
    """Run ``step`` in one transaction; on SQLite with foreign keys off.

    Alembic's batch mode (every ALTER of a column on SQLite) rebuilds a table: it
    copies it, drops the old one and renames the copy. With foreign keys on, the drop
    deletes every row that refers to the table, so a migration altering accounts
    would take every post and follow with it. SQLite ignores the pragma inside a
    transaction, so it is set before BEGIN, and the keys are checked before commit."""
    if not db.is_sqlite:
        async with db.engine.begin() as conn:
            await conn.run_sync(step)
        return
    async with db.engine.connect() as conn:
        await _outside_transaction(conn, "PRAGMA foreign_keys=OFF")
        try:
            await conn.execution_options(sqlite_autocommit_read=False)
            async with conn.begin():
                await conn.run_sync(step)
                broken = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).fetchall()
                if broken:
                    raise RuntimeError(
                        f"the migration left rows referring to nothing: {broken[:5]}"
                    )
        finally:
            await _outside_transaction(conn, "PRAGMA foreign_keys=ON")


async def _outside_transaction(conn: AsyncConnection, pragma: str) -> None:
    # sqlite_autocommit_read keeps the engine's begin hook from sending BEGIN
    await conn.execution_options(sqlite_autocommit_read=True)
    await conn.exec_driver_sql(pragma)
    await conn.commit()


def head_revision() -> str | None:
    """The newest revision this version of the code knows."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def schema_revision(db: Database) -> str | None:
    """The revision the database is at; None for a database never migrated."""

    def _current(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with db.engine.connect() as conn:
        return await conn.run_sync(_current)


async def autogenerate(db: Database, message: str) -> None:
    """Developer helper: write a new revision from the difference to ``schema``."""

    def _revision(connection: Connection) -> None:
        command.revision(alembic_config(connection), message=message, autogenerate=True)

    async with db.engine.begin() as conn:
        await conn.run_sync(_revision)
