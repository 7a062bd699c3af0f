"""Trends: ``townsquare trends ...``."""

from __future__ import annotations

import typer
from sqlalchemy.ext.asyncio import AsyncConnection

app = typer.Typer(help="Recompute trending hashtags, posts and links.", no_args_is_help=True)


@app.command()
def refresh() -> None:
    """Recompute the trend lists now from the recorded uses (the worker also does this
    every TOWNSQUARE_TRENDS_REFRESH_SECONDS), pruning uses older than the window."""
    from townsquare.cli.main import run_in_transaction, settings_or_exit
    from townsquare.domain.moderation.actions import active_policy
    from townsquare.domain.trends.refresh import Refreshed, refresh_trends

    settings = settings_or_exit()

    async def action(conn: AsyncConnection) -> Refreshed:
        return await refresh_trends(conn, await active_policy(conn, settings.moderation_policy))

    done = run_in_transaction(settings, action)
    typer.echo(
        f"{done.stored} trends from {done.counted} items in use; pruned {done.pruned} old uses"
    )
