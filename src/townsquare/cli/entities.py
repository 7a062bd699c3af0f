"""``townsquare entities ...``: the designated entities registry as files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from townsquare.domain.moderation.entities import Entity, parse_file, to_csv, to_json
from townsquare.domain.moderation.registry import import_entities, list_entities

app = typer.Typer(help="Import and export designated entities.", no_args_is_help=True)


@app.command("import")
def import_(file: Annotated[Path, typer.Argument(help="A .json or .csv file.")]) -> None:
    """Add entities from a file (same name replaces); a bad file imports nothing."""
    from townsquare.cli.main import fail, run, run_in_transaction, settings_or_exit

    settings = settings_or_exit()
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {file}: {getattr(exc, 'strerror', None) or exc}")

    async def parsed() -> list[Entity]:
        return parse_file(text, filename=file.name)

    entities = run(parsed)  # a bad file fails here, before the database is opened
    added, replaced = run_in_transaction(settings, lambda conn: import_entities(conn, entities))
    typer.echo(f"imported {added + replaced} entities ({added} new, {replaced} replaced)")


@app.command("export")
def export(
    format: Annotated[str, typer.Option("--format", help="json or csv.")] = "json",
) -> None:
    """Print the registry as JSON (the import form) or CSV."""
    from townsquare.cli.database import open_database
    from townsquare.cli.main import fail, run, settings_or_exit

    if format not in ("json", "csv"):
        fail("--format must be json or csv", 2)
    settings = settings_or_exit()

    async def go() -> str:
        db = await open_database(settings)
        try:
            async with db.read() as conn:
                entities = await list_entities(conn)
        finally:
            await db.dispose()
        return to_json(entities) if format == "json" else to_csv(entities)

    typer.echo(run(go), nl=False)
