"""The townsquare command, run as an operator runs it: a real process, a real database."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.databases import create_database, drop_database
from townsquare.storage.database import Database
from townsquare.storage.migrate import downgrade, head_revision, migrate, schema_revision


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    url = asyncio.run(create_database("cli", tmp_path_factory.mktemp("cli")))
    environment = {**os.environ, "TOWNSQUARE_DATABASE_URL": url}
    yield environment
    asyncio.run(drop_database(url))


def townsquare(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "townsquare.cli", *args],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def test_migrate_create_user_demo_and_worker(env: dict[str, str]) -> None:
    head = head_revision()
    created = townsquare(env, "migrate")
    assert created.returncode == 0, created.stderr
    assert created.stdout.startswith(f"database created at revision {head} (")
    nothing_to_do = townsquare(env, "migrate")
    assert nothing_to_do.stdout.startswith(f"database is up to date at revision {head} (")
    made = townsquare(env, "admin", "create-user", "operator", "op@example.org", "--role", "admin")
    assert made.returncode == 0, made.stderr
    assert "created admin @operator" in made.stdout
    assert "password: " in made.stdout
    again = townsquare(env, "admin", "create-user", "OPERATOR", "other@example.org")
    assert again.returncode == 1
    assert again.stderr.strip().count("\n") == 0
    assert "already been taken" in again.stderr
    demo = townsquare(env, "demo", "--posts", "40")
    assert demo.returncode == 0, demo.stderr
    assert "made 32 accounts" in demo.stdout
    second = townsquare(env, "demo", "--posts", "5")
    assert second.returncode == 1
    assert "already has the demo accounts" in second.stderr
    assert townsquare(env, "worker", "--once").returncode == 0
    rebuilt = townsquare(env, "search", "reindex")
    assert rebuilt.returncode == 0, rebuilt.stderr
    # 33 accounts (the operator and the demo's 32) and the demo's 40 posts at least
    indexed = int(rebuilt.stdout.strip().splitlines()[-1].split()[1])
    assert indexed >= 33 + 40, rebuilt.stdout
    assert "100%" in rebuilt.stdout


def test_migrate_says_from_which_revision(tmp_path: Path) -> None:
    url = asyncio.run(create_database("older", tmp_path))
    try:

        async def to_previous() -> str:
            db = Database(url)
            try:
                await migrate(db, "head")
                await downgrade(db, "-1")
                return str(await schema_revision(db))
            finally:
                await db.dispose()

        previous = asyncio.run(to_previous())
        done = townsquare({**os.environ, "TOWNSQUARE_DATABASE_URL": url}, "migrate")
        assert done.returncode == 0, done.stderr
        said = f"database migrated from revision {previous} to {head_revision()} ("
        assert done.stdout.startswith(said), done.stdout
    finally:
        asyncio.run(drop_database(url))


def test_bad_settings_and_arguments_are_one_line(env: dict[str, str], tmp_path: Path) -> None:
    bad_role = townsquare(env, "admin", "create-user", "x_user", "x@example.org", "--role", "king")
    assert bad_role.returncode == 2
    assert bad_role.stderr.strip() == "error: --role must be one of user, moderator, admin"
    bad_setting = townsquare({**env, "TOWNSQUARE_MAX_STATUS_CHARS": "lots"}, "migrate")
    assert bad_setting.returncode == 2
    assert bad_setting.stderr.strip().startswith("error: TOWNSQUARE_MAX_STATUS_CHARS")
    assert "\n" not in bad_setting.stderr.strip()
    config = tmp_path / "townsquare.toml"
    config.write_text('domain = "bad host/name"\n')
    from_file = townsquare({**env, "TOWNSQUARE_CONFIG": str(config)}, "migrate")
    assert from_file.returncode == 2
    assert "domain" in from_file.stderr.lower()
    assert "\n" not in from_file.stderr.strip()


def test_feeds_rebuild_and_trim(env: dict[str, str]) -> None:
    assert townsquare(env, "migrate").returncode == 0
    assert townsquare(env, "demo", "--posts", "40").returncode in (0, 1)  # may exist already
    rebuilt = townsquare(env, "feeds", "rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "home feeds (" in rebuilt.stdout
    accounts, entries = rebuilt.stdout.split("rebuilt ")[1].split(" home feeds (")
    assert int(accounts) >= 32 and int(entries.split()[0]) > 0
    trimmed = townsquare(env, "feeds", "trim")
    assert trimmed.returncode == 0, trimmed.stderr
    assert trimmed.stdout.startswith("trimmed 0 home feeds")
