"""Search commands: ``townsquare search ...``."""

from __future__ import annotations

import typer

app = typer.Typer(help="Manage the search index.", no_args_is_help=True)


@app.command("reindex")
def reindex_command() -> None:
    """Rebuild the search index of every post and account, with a progress bar."""
    from rich.progress import Progress

    from townsquare.app import site_of
    from townsquare.cli.main import run, settings_or_exit
    from townsquare.domain.search.index import reindex, reindex_size
    from townsquare.storage.database import Database

    settings = settings_or_exit()

    async def go() -> int:
        db = Database(settings.database_url)
        done = 0
        try:
            async with db.read() as conn:
                total = await reindex_size(conn)
            with Progress(transient=False) as progress:
                task = progress.add_task("indexing posts and accounts", total=total)
                # One transaction for the whole rebuild: searches see the old index
                # until the new one is complete, never half of it.
                async with db.write() as conn:
                    async for count in reindex(conn, site_of(settings)):
                        done += count
                        progress.update(task, completed=done)
        finally:
            await db.dispose()
        return done

    done = run(go)
    typer.echo(f"indexed {done} posts and accounts")
