"""Home-feed upkeep: ``townsquare feeds ...``."""

from __future__ import annotations

import typer
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.domain.timelines import feeds

app = typer.Typer(help="Rebuild or trim the home feeds.", no_args_is_help=True)

# Accounts rebuilt per transaction: short enough not to hold writers up for long.
BATCH = 50


@app.command()
def rebuild() -> None:
    """Refill every local account's home feed from the posts it follows (after an
    upgrade or an import; pages stay right meanwhile, only slower)."""
    from townsquare.cli.database import open_database
    from townsquare.cli.main import run, settings_or_exit

    settings = settings_or_exit()

    async def go() -> tuple[int, int]:
        db = await open_database(settings)
        try:
            async with db.read() as conn:
                ids = list((await conn.execute(feeds.local_accounts())).scalars())
            total = 0
            with typer.progressbar(length=len(ids), label="rebuilding home feeds") as bar:
                for start in range(0, len(ids), BATCH):
                    async with db.write() as conn:
                        for account_id in ids[start : start + BATCH]:
                            total += await feeds.rebuild(conn, account_id)
                    bar.update(len(ids[start : start + BATCH]))
            return len(ids), total
        finally:
            await db.dispose()

    accounts, entries = run(go)
    typer.echo(f"rebuilt {accounts} home feeds ({entries} entries)")


@app.command()
def trim() -> None:
    """Keep the newest entries of each home feed (the worker also does this now and then)."""
    from townsquare.cli.main import run_in_transaction, settings_or_exit

    settings = settings_or_exit()

    async def trim_all(conn: AsyncConnection) -> int:
        overfull = await feeds.overfull_feeds(conn, slack=0)
        for account_id in overfull:
            await feeds.trim(conn, account_id)
        return len(overfull)

    typer.echo(f"trimmed {run_in_transaction(settings, trim_all)} home feeds")
