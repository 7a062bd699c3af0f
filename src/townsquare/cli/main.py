"""The ``townsquare`` command. Each command parses, calls domain actions, and reports."""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import Annotated, NoReturn, TypeVar

import typer
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.cli import admin, demo, entities, feeds, policy, search, transparency, trends
from townsquare.cli.database import redact
from townsquare.config import Settings, SettingsError, load_settings
from townsquare.core.errors import DomainError, Unavailable

T = TypeVar("T")

app = typer.Typer(
    name="townsquare",
    help="A self-hostable micro-blogging server.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(admin.app, name="admin")
app.add_typer(search.app, name="search")
app.add_typer(feeds.app, name="feeds")
app.add_typer(entities.app, name="entities")
app.add_typer(policy.app, name="policy")
app.add_typer(trends.app, name="trends")
app.add_typer(transparency.app, name="transparency")


def fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def settings_or_exit(**overrides: object) -> Settings:
    try:
        return load_settings({k: v for k, v in overrides.items() if v is not None})
    except SettingsError as exc:
        fail(str(exc), 2)


def run(coro_factory: Callable[[], Awaitable[T]]) -> T:
    async def main() -> T:
        return await coro_factory()

    from townsquare.cli.database import NOT_MIGRATED, is_missing_table, reason

    try:
        return asyncio.run(main())
    except Unavailable as exc:
        cause = exc.__cause__
        fail(f"the database cannot answer now: {reason(cause) if cause else exc.message}")
    except DomainError as exc:
        fail(exc.message)
    except OSError as exc:
        fail(f"{exc.strerror or exc}")
    except SQLAlchemyError as exc:
        # The schema was checked on opening; a table missing now was dropped by hand.
        fail(NOT_MIGRATED if is_missing_table(exc) else f"the database failed: {reason(exc)}")


def run_in_transaction(settings: Settings, action: Callable[[AsyncConnection], Awaitable[T]]) -> T:
    """``action`` in one write transaction, on a database opened for this command."""
    from townsquare.cli.database import open_database

    async def go() -> T:
        db = await open_database(settings)
        try:
            async with db.write() as conn:
                return await action(conn)
        finally:
            await db.dispose()

    return run(go)


def run_reading(settings: Settings, action: Callable[[AsyncConnection], Awaitable[T]]) -> T:
    """``action`` on a read connection: for commands that must not write anything."""
    from townsquare.cli.database import open_database

    async def go() -> T:
        db = await open_database(settings)
        try:
            async with db.read() as conn:
                return await action(conn)
        finally:
            await db.dispose()

    return run(go)


def check_database(settings: Settings) -> None:
    """Fail now, in one line, if the server could not use its database."""
    from townsquare.cli.database import open_database

    async def go() -> None:
        await (await open_database(settings)).dispose()

    run(go)


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema."""
    from townsquare.cli.database import open_database
    from townsquare.storage.migrate import migrate as run_migrations
    from townsquare.storage.migrate import schema_revision

    settings = settings_or_exit()

    async def go() -> tuple[str | None, str | None]:
        db = await open_database(settings, migrated=False)
        try:
            before = await schema_revision(db)
            await run_migrations(db)
            return before, await schema_revision(db)
        finally:
            await db.dispose()

    before, after = run(go)
    where = redact(settings.database_url)
    if before == after:
        typer.echo(f"database is up to date at revision {after} ({where})")
    elif before is None:
        typer.echo(f"database created at revision {after} ({where})")
    else:
        typer.echo(f"database migrated from revision {before} to {after} ({where})")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Server processes.", min=1, max=64)] = 1,
) -> None:
    """Serve the web app and the Mastodon API."""
    import uvicorn

    settings = settings_or_exit()
    check_database(settings)
    typer.echo(f"townsquare on http://{host}:{port} (public address {settings.base_url})")
    command = sys.argv[0] if sys.argv[0].endswith("townsquare") else "townsquare"
    typer.echo(
        f"to log in, make an account in another terminal: "
        f"{command} admin create-user NAME EMAIL --role admin"
    )
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    uvicorn.run(
        "townsquare.cli.asgi:app",
        host=host,
        port=port,
        workers=workers,
        loop="uvloop" if sys.platform != "win32" else "asyncio",
        http="httptools",
        access_log=False,
        log_level="warning",
        proxy_headers=False,
        # uvicorn kills a worker that does not answer its supervisor's ping within this
        # many seconds (5 by default); on a busy machine a worker still importing and
        # building the language detector missed it, and was killed and restarted for
        # as long as the machine stayed busy, so the server never answered
        timeout_worker_healthcheck=120,
    )


@app.command()
def worker(
    once: Annotated[bool, typer.Option(help="Run the due jobs and stop.")] = False,
) -> None:
    """Run the job workers on their own (with TOWNSQUARE_IN_PROCESS_WORKER=false)."""
    from townsquare.app import site_of
    from townsquare.cli.database import open_database
    from townsquare.jobs.worker import Worker
    from townsquare.storage.id_nodes import claim_id_node

    settings = settings_or_exit()

    async def go() -> None:
        db = await open_database(settings)
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
        job_worker = Worker(db, site_of(settings))
        try:
            await claim_id_node(db)
            if once:
                await job_worker.run_until_idle()
            else:
                await job_worker.run_forever()
        finally:
            await db.dispose()

    with contextlib.suppress(KeyboardInterrupt):
        run(go)


app.command(name="demo")(demo.demo)


def read_password(prompt: str = "Password") -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    return getpass.getpass(f"{prompt}: ")
