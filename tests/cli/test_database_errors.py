"""Every command that needs the database says in one line why it cannot use it: a URL
that names no database, a server that does not answer, a schema not migrated (or
behind). Real processes, real SQLite files, a real PostgreSQL server."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from tests.databases import ENGINE, POSTGRES_URL, create_database, drop_database
from townsquare.cli.main import app
from townsquare.storage.database import Database
from townsquare.storage.migrate import migrate

NOT_MIGRATED = "error: the database is not migrated; run `townsquare migrate`"

# Commands that never open the database.
OFFLINE = {"policy check"}


def database_commands(tmp: Path) -> dict[str, list[str]]:
    """Every command that opens the database, with the arguments it needs to get there."""
    entities = tmp / "entities.json"
    entities.write_text("[]", encoding="utf-8")
    return {
        "migrate": [],
        "serve": ["--port", "1"],
        "worker": ["--once"],
        "demo": ["--posts", "1"],
        "admin create-user": ["someone", "someone@example.org"],
        "admin trusted-flagger": ["someone"],
        "search reindex": [],
        "feeds rebuild": [],
        "feeds trim": [],
        "entities import": [str(entities)],
        "entities export": [],
        "policy use": ["open"],
        "policy simulate": ["--policy", "open"],
        "trends refresh": [],
        "transparency export": [],
        "transparency report": [],
    }


def all_commands() -> set[str]:
    found: set[str] = set()

    def walk(command: object, prefix: list[str]) -> None:
        children = getattr(command, "commands", None)
        if children is None:
            found.add(" ".join(prefix))
            return
        for name, child in children.items():
            walk(child, [*prefix, name])

    walk(typer.main.get_command(app), [])
    return found


@dataclass(frozen=True)
class Done:
    returncode: int
    stdout: str
    stderr: str


def townsquare(url: str, command: str, args: list[str]) -> Done:
    """The command in this process (a process each would take seconds to start on a
    busy machine); an exception that escapes the command is a failure of the test."""
    result = CliRunner().invoke(
        app, [*command.split(), *args], env={"TOWNSQUARE_DATABASE_URL": url}, input=""
    )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Done(result.exit_code, result.stdout, result.stderr)


def in_a_process(url: str, command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "townsquare.cli", *command.split()],
        env={**os.environ, "TOWNSQUARE_DATABASE_URL": url},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def one_line_failure(done: Done | subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 1, (done.stdout, done.stderr)
    said = done.stderr.strip()
    assert "\n" not in said and "Traceback" not in said, said
    assert said.startswith("error: "), said
    return said


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again once the probe is


@pytest.fixture
def unmigrated(tmp_path: Path) -> Iterator[str]:
    url = asyncio.run(create_database("unmigrated", tmp_path))
    yield url
    asyncio.run(drop_database(url))


def test_the_list_names_every_command(tmp_path: Path) -> None:
    assert all_commands() == set(database_commands(tmp_path)) | OFFLINE


def test_every_command_on_a_database_not_migrated(unmigrated: str, tmp_path: Path) -> None:
    for command, args in database_commands(tmp_path).items():
        if command == "migrate":
            continue
        assert one_line_failure(townsquare(unmigrated, command, args)) == NOT_MIGRATED, command
    if unmigrated.startswith("sqlite"):
        # nothing was left behind: no empty database file to mistake for a real one
        assert not Path(unmigrated.split("///", 1)[1]).exists()


def test_a_real_process_says_it_in_one_line(unmigrated: str) -> None:
    assert one_line_failure(in_a_process(unmigrated, "transparency report")) == NOT_MIGRATED


def test_every_command_on_an_unreachable_server(tmp_path: Path) -> None:
    url = f"postgresql://townsquare@127.0.0.1:{closed_port()}/townsquare"
    for command, args in database_commands(tmp_path).items():
        said = one_line_failure(townsquare(url, command, args))
        assert said.startswith("error: cannot reach the database at postgresql"), said
        assert "townsquare@" not in said  # the user name (and any password) is hidden


def test_a_database_that_does_not_exist_on_the_server(tmp_path: Path) -> None:
    if ENGINE != "postgresql":
        pytest.skip("needs the PostgreSQL server (TOWNSQUARE_TEST_DATABASE=postgresql)")
    from sqlalchemy.engine import make_url

    url = make_url(POSTGRES_URL).set(database="ts_no_such_database").render_as_string(False)
    for command in ("migrate", "transparency report", "admin create-user"):
        said = one_line_failure(townsquare(url, command, database_commands(tmp_path)[command]))
        assert said.startswith("error: cannot reach the database at"), said
        assert 'database "ts_no_such_database" does not exist' in said


def test_urls_that_name_no_database(tmp_path: Path) -> None:
    for url in ("sqlite+aiosqlite:///", "sqlite:///:memory:"):
        for command in ("migrate", "feeds trim", "serve"):
            said = one_line_failure(townsquare(url, command, database_commands(tmp_path)[command]))
            assert "names no file" in said, said
    other = townsquare("mysql://x@127.0.0.1/db", "migrate", [])
    assert other.returncode == 2
    assert "must be a sqlite:// or postgresql:// URL" in other.stderr.strip()
    assert "\n" not in other.stderr.strip()


def test_a_schema_behind_the_code_and_then_migrated(unmigrated: str, tmp_path: Path) -> None:
    async def first_revision_only() -> None:
        db = Database(unmigrated)
        try:
            await migrate(db, "0001")
        finally:
            await db.dispose()

    asyncio.run(first_revision_only())
    said = one_line_failure(townsquare(unmigrated, "transparency report", []))
    assert said.startswith("error: the database schema is at revision 0001, this version needs ")
    assert said.endswith("; run `townsquare migrate`")
    assert townsquare(unmigrated, "migrate", []).returncode == 0
    report = townsquare(unmigrated, "transparency report", [])
    assert report.returncode == 0, report.stderr
    assert '"months"' in report.stdout
