"""``townsquare transparency ...``: the transparency report and the DSA export."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncConnection

app = typer.Typer(help="Transparency: the public report and DSA statements.", no_args_is_help=True)


@app.command("export")
def export(
    format: Annotated[str, typer.Option("--format", help="dsa (JSON lines).")] = "dsa",
) -> None:
    """Every decision that restricts something, as EU DSA statements of reasons, one
    JSON object a line."""
    from townsquare.cli.main import fail, run_reading, settings_or_exit
    from townsquare.domain.moderation.dsa import statements_of_reasons

    if format != "dsa":
        fail("--format must be dsa", 2)
    settings = settings_or_exit()

    async def go(conn: AsyncConnection) -> int:
        written = 0
        after: int | None = 0
        while after is not None:
            page = await statements_of_reasons(conn, settings.domain, after=after)
            for statement in page.statements:
                typer.echo(json.dumps(statement, ensure_ascii=False, sort_keys=True))
            written += len(page.statements)
            after = page.next_after
        return written

    written = run_reading(settings, go)
    typer.echo(f"exported {written} statements of reasons", err=True)


@app.command("report")
def report() -> None:
    """The public transparency report (decisions per month) as JSON."""
    from townsquare.cli.main import run_reading, settings_or_exit
    from townsquare.domain.moderation.transparency import transparency_report

    settings = settings_or_exit()
    months = run_reading(settings, transparency_report)
    typer.echo(json.dumps({"months": [m.as_dict() for m in months]}, ensure_ascii=False, indent=2))
