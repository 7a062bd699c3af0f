"""Bring a database to the newest schema with Alembic (same migrations on both engines)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

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

    async with db.engine.begin() as conn:
        await conn.run_sync(_upgrade)


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
