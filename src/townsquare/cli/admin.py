"""Operator commands: ``townsquare admin ...``."""

from __future__ import annotations

import secrets
from typing import Annotated

import typer

from townsquare.domain.accounts.actions import NewAccount, register
from townsquare.domain.accounts.models import ROLES

app = typer.Typer(help="Manage accounts and the instance.", no_args_is_help=True)


@app.command("create-user")
def create_user(
    username: str,
    email: str,
    role: Annotated[str, typer.Option(help="user, moderator or admin.")] = "user",
    password: Annotated[
        str | None, typer.Option(help="Password; generated and printed when left out.")
    ] = None,
    display_name: Annotated[str, typer.Option(help="Name shown on the profile.")] = "",
) -> None:
    """Create a local account that can log in at once."""
    from townsquare.cli.database import open_database
    from townsquare.cli.main import fail, run, settings_or_exit

    if role not in ROLES:
        fail(f"--role must be one of {', '.join(ROLES)}", 2)
    settings = settings_or_exit()
    chosen = password or secrets.token_urlsafe(12)

    async def go() -> str:
        db = await open_database(settings)
        try:
            async with db.write() as conn:
                account = await register(
                    conn,
                    NewAccount(
                        username=username,
                        email=email,
                        password=chosen,
                        display_name=display_name,
                        role=role,
                        allow_reserved=role != "user",
                    ),
                )
            return account.username
        finally:
            await db.dispose()

    created = run(go)
    typer.echo(f"created {role} @{created} <{email}>")
    if password is None:
        typer.echo(f"password: {chosen}")


@app.command("trusted-flagger")
def trusted_flagger(
    username: Annotated[str, typer.Argument(help="A local account's username.")],
    off: Annotated[bool, typer.Option("--off", help="Take the flag away again.")] = False,
) -> None:
    """Mark an account as a trusted flagger (DSA Article 22): decisions on its reports
    are exported with the source SOURCE_TRUSTED_FLAGGER."""
    from townsquare.cli.main import run_in_transaction, settings_or_exit
    from townsquare.domain.moderation.flaggers import set_trusted_flagger

    settings = settings_or_exit()
    name = run_in_transaction(settings, lambda conn: set_trusted_flagger(conn, username, not off))
    typer.echo(f"@{name} is {'no longer ' if off else ''}a trusted flagger")
