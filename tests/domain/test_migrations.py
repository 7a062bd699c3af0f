"""The Alembic history builds exactly the schema the code declares, on either engine."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from townsquare.storage.database import Database
from townsquare.storage.migrate import alembic_config, migrate
from townsquare.storage.schema import engine_specific, metadata


def _head() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


async def test_migrations_match_schema(db: Database) -> None:
    def differences(connection: Connection) -> list[object]:
        # The search engines' own tables and indexes (FTS5, GIN) are left out of the
        # declared schema on purpose; everything else must match.
        opts = {
            "compare_type": True,
            "include_name": lambda name, _type, _parents: not engine_specific(name),
        }
        context = MigrationContext.configure(connection, opts=opts)
        return list(compare_metadata(context, metadata))

    async with db.read() as conn:
        diff = await conn.run_sync(differences)
    assert diff == []


async def test_migrating_twice_changes_nothing(db: Database) -> None:
    await migrate(db)
    async with db.read() as conn:
        version = (await conn.exec_driver_sql("SELECT version_num FROM alembic_version")).scalar()
    assert version == _head()
