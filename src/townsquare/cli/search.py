"""Search commands: ``townsquare search ...``."""

from __future__ import annotations

import typer

app = typer.Typer(help="Manage the search index.", no_args_is_help=True)


@app.command("reindex")
def reindex_command() -> None:
    """Rebuild the search index of every post and account, with a progress bar."""
    from rich.progress import Progress

    from townsquare.app import site_of
    from townsquare.cli.database import open_database
    from townsquare.cli.main import run, settings_or_exit
    from townsquare.domain.search.index import REINDEXED, reindex_batch, reindex_size

    settings = settings_or_exit()

    async def go() -> int:
        db = await open_database(settings)
        done = 0
        try:
            async with db.read() as conn:
                total = await reindex_size(conn)
            with Progress(transient=False) as progress:
                task = progress.add_task("indexing posts and accounts", total=total)
                for kind in REINDEXED:
                    after = 0
                    while True:
                        # a transaction per batch: the server keeps writing meanwhile
                        async with db.write() as conn:
                            ids = await reindex_batch(conn, site_of(settings), kind, after)
                        if not ids:
                            break
                        after = ids[-1]
                        done += len(ids)
                        progress.update(task, completed=done)
        finally:
            await db.dispose()
        return done

    done = run(go)
    typer.echo(f"indexed {done} posts and accounts")
