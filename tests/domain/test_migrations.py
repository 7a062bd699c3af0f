"""The Alembic history builds exactly the schema the code declares, on either engine."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from townsquare.storage.database import Database
from townsquare.storage.migrate import alembic_config, migrate
from townsquare.storage.schema import metadata


async def test_migrations_match_schema(db: Database) -> None:
    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))

    async with db.read() as conn:
        diff = await conn.run_sync(differences)
    assert diff == []


async def test_migrating_twice_changes_nothing(db: Database) -> None:
    await migrate(db)
    async with db.read() as conn:
        version = (await conn.exec_driver_sql("SELECT version_num FROM alembic_version")).scalar()
    # the head, whatever number it has: branches add revisions that are chained at merge
    assert version == ScriptDirectory.from_config(alembic_config()).get_current_head()
