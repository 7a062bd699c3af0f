"""Fresh databases for tests: a SQLite file, or a PostgreSQL database made and dropped
per run (TOWNSQUARE_TEST_DATABASE=postgresql), so two runs never share rows."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

ENGINE = os.environ.get("TOWNSQUARE_TEST_DATABASE", "sqlite")
POSTGRES_URL = os.environ.get(
    "TOWNSQUARE_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("TOWNSQUARE_TEST_REDIS_URL") if ENGINE == "postgresql" else None


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def postgres_reachable() -> bool:
    try:
        conn = await asyncpg.connect(_asyncpg_dsn(POSTGRES_URL), timeout=5)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    await conn.close()
    return True


async def create_database(label: str, directory: Path, engine: str = ENGINE) -> str:
    if engine == "sqlite":
        return f"sqlite+aiosqlite:///{directory / f'{label}.sqlite3'}"
    if engine != "postgresql":
        raise RuntimeError(f"TOWNSQUARE_TEST_DATABASE must be sqlite or postgresql, not {engine}")
    name = f"ts_test_{label}_{os.getpid()}_{secrets.token_hex(4)}"
    conn = await asyncpg.connect(_asyncpg_dsn(POSTGRES_URL))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


async def drop_database(url: str) -> None:
    if not url.startswith("postgresql"):
        return
    name = make_url(url).database
    conn = await asyncpg.connect(_asyncpg_dsn(POSTGRES_URL))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


# The team's reference specs live in shared/, beside the repository checkout.
MASTODON_SPEC = Path(
    os.environ.get(
        "TOWNSQUARE_MASTODON_SPEC",
        Path(__file__).resolve().parents[2] / "shared" / "specs" / "mastodon-openapi.json",
    )
)
