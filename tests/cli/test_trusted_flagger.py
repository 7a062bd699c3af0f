"""``townsquare admin trusted-flagger``: on a real, migrated database."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tests.databases import create_database, drop_database
from townsquare.cli.main import app
from townsquare.storage.database import Database
from townsquare.storage.schema import accounts


@pytest.fixture
def url(tmp_path: Path) -> Iterator[str]:
    made = asyncio.run(create_database("flagger", tmp_path))
    yield made
    asyncio.run(drop_database(made))


def _run(url: str, *args: str) -> tuple[int, str, str]:
    done = CliRunner().invoke(app, list(args), env={"TOWNSQUARE_DATABASE_URL": url})
    if done.exception is not None and not isinstance(done.exception, SystemExit):
        raise done.exception
    return done.exit_code, done.stdout.strip(), done.stderr.strip()


def _flag(url: str, username: str) -> bool:
    async def read() -> bool:
        db = Database(url)
        try:
            async with db.read() as conn:
                return bool(
                    await conn.scalar(
                        select(accounts.c.trusted_flagger).where(accounts.c.username == username)
                    )
                )
        finally:
            await db.dispose()

    return asyncio.run(read())


def test_mark_and_unmark_a_trusted_flagger(url: str) -> None:
    assert _run(url, "migrate")[0] == 0
    made = _run(url, "admin", "create-user", "flagger", "flagger@example.org")
    assert made[0] == 0, made
    assert _run(url, "admin", "trusted-flagger", "flagger") == (
        0, "@flagger is a trusted flagger", ""
    )  # fmt: skip
    assert _flag(url, "flagger") is True
    assert _run(url, "admin", "trusted-flagger", "@flagger", "--off") == (
        0, "@flagger is no longer a trusted flagger", ""
    )  # fmt: skip
    assert _flag(url, "flagger") is False
    assert _run(url, "admin", "trusted-flagger", "nobody") == (
        1, "", "error: no local account @nobody"
    )  # fmt: skip
