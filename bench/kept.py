"""Seeded databases kept between benchmark runs, so that later runs skip the seeding.

A kept folder holds the SQLite file (``bench.sqlite3``) and its readers' tokens
(``tokens.json``), or for PostgreSQL the name of a template database and its readers'
tokens (``postgresql.json``), or both. Each run starts from a copy: the file copied into the run's
folder, or ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL, so that the posts one run
creates never reach the next.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shutil
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

POSTGRES_ADMIN = os.environ.get(
    "TOWNSQUARE_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)


def dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _admin(statement: str) -> None:
    conn = await asyncpg.connect(dsn(POSTGRES_ADMIN))
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def _postgresql_url(name: str) -> str:
    return make_url(POSTGRES_ADMIN).set(database=name).render_as_string(hide_password=False)


async def make_database(engine: str, directory: Path, template: str | None = None) -> str:
    """A new empty database for one run (or a copy of ``template`` on PostgreSQL)."""
    if engine == "sqlite":
        return f"sqlite+aiosqlite:///{directory / 'bench.sqlite3'}"
    name = f"ts_bench_{secrets.token_hex(4)}"
    # names made here or read from our own kept folder, quoted
    copied = f' TEMPLATE "{template}"' if template else ""
    await _admin(f'CREATE DATABASE "{name}"{copied}')
    return _postgresql_url(name)


async def drop_database(url: str) -> None:
    if url.startswith("postgresql"):
        await _admin(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


def copy_kept(folder: Path, engine: str, directory: Path) -> tuple[str, list[str]] | None:
    """A run's copy of the database kept in ``folder`` and its readers' tokens, or None
    when nothing is kept there for ``engine``."""
    if engine == "sqlite":
        kept, tokens_file = folder / "bench.sqlite3", folder / "tokens.json"
        if not (kept.exists() and tokens_file.exists()):
            return None
        tokens = list(json.loads(tokens_file.read_text()))
        url = asyncio.run(make_database(engine, directory))
        shutil.copyfile(kept, str(make_url(url).database))
    else:
        described = folder / "postgresql.json"
        if not described.exists():
            return None
        found = json.loads(described.read_text())
        tokens = list(found["tokens"])
        url = asyncio.run(make_database(engine, directory, template=str(found["template"])))
    print(f"reusing the database kept in {folder}")
    return url, tokens


def keep(folder: Path, url: str, tokens: list[str]) -> None:
    """Keep the seeded database of ``url`` in ``folder`` (nothing may be connected to
    it on PostgreSQL, where it becomes a template)."""
    folder.mkdir(parents=True, exist_ok=True)
    if url.startswith("sqlite"):
        shutil.copyfile(str(make_url(url).database), folder / "bench.sqlite3")
        (folder / "tokens.json").write_text(json.dumps(tokens))
        return
    template = f"ts_bench_kept_{secrets.token_hex(4)}"
    asyncio.run(_admin(f'CREATE DATABASE "{template}" TEMPLATE "{make_url(url).database}"'))
    (folder / "postgresql.json").write_text(json.dumps({"template": template, "tokens": tokens}))
