"""The Alembic history builds exactly the schema the code declares, on either engine."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.storage.database import Database
from townsquare.storage.migrate import alembic_config, downgrade, migrate
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


def _revisions() -> list[str]:
    """Every revision but the head, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))][:-1]


def _fill_row(connection: sqlite3.Connection, table: str, values: dict[str, object]) -> None:
    """Insert one row, with a plain value for every NOT NULL column without a default."""
    row = dict(values)
    for _cid, name, kind, notnull, default, _pk in connection.execute(
        f"PRAGMA table_info({table})"
    ):
        if name in row or not notnull or default is not None:
            continue
        kind = kind.upper()
        row[name] = (
            "2026-01-01 00:00:00.000000"
            if "DATE" in kind or "TIME" in kind
            else 0
            if "INT" in kind or "BOOL" in kind
            else "x"
        )
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    connection.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))


def _fill_keeper(path: Path) -> None:
    """An account with a post and a follow: what a rebuilt table could cascade away."""
    with sqlite3.connect(path) as connection:
        _fill_row(connection, "accounts", {"id": 1, "username": "keeper"})
        _fill_row(connection, "statuses", {"id": 2, "account_id": 1, "deleted_at": None})
        _fill_row(connection, "follows", {"id": 3, "account_id": 1, "target_account_id": 1})


async def _kept_counts(conn: AsyncConnection) -> list[object]:
    return [
        (await conn.exec_driver_sql(f"SELECT count(*) FROM {table}")).scalar()
        for table in ("accounts", "statuses", "follows")
    ]


@pytest.mark.parametrize("start", _revisions())
async def test_upgrading_from_each_revision_keeps_accounts_and_what_refers_to_them(
    start: str, tmp_path: Path
) -> None:
    # On SQLite, a migration that rebuilds a table (Alembic's batch mode) drops the old
    # one, and with foreign keys on that deletes every row referring to it: an upgrade
    # must never lose the posts of the accounts it alters.
    path = tmp_path / "upgrade.sqlite3"
    db = Database(f"sqlite+aiosqlite:///{path}")
    try:
        await migrate(db, start)
        await db.dispose()
        _fill_keeper(path)
        db = Database(f"sqlite+aiosqlite:///{path}")
        await migrate(db)
        async with db.read() as conn:
            counts = await _kept_counts(conn)
        assert counts == [1, 1, 1]
    finally:
        await db.dispose()


def _steps_down() -> list[tuple[str, str]]:
    """(revision, the one before it), for every revision after the first."""
    ordered = [*_revisions(), _head()]
    return list(zip(ordered[1:], ordered, strict=False))


@pytest.mark.parametrize(("start", "target"), _steps_down())
async def test_downgrading_one_revision_keeps_accounts_and_what_refers_to_them(
    start: str, target: str, tmp_path: Path
) -> None:
    # Downgrades drop columns in batch mode, which rebuilds the table on SQLite; with
    # foreign keys on, dropping the old table would delete every post and follow.
    path = tmp_path / "downgrade.sqlite3"
    db = Database(f"sqlite+aiosqlite:///{path}")
    try:
        await migrate(db, start)
        await db.dispose()
        _fill_keeper(path)
        db = Database(f"sqlite+aiosqlite:///{path}")
        await downgrade(db, target)
        async with db.read() as conn:
            version = (
                await conn.exec_driver_sql("SELECT version_num FROM alembic_version")
            ).scalar()
            counts = await _kept_counts(conn)
            keys_on = (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar()
        assert (version, counts, keys_on) == (target, [1, 1, 1], 1)
    finally:
        await db.dispose()
