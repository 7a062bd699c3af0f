"""``townsquare policy ...``: check a policy file, switch the active policy."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from townsquare.core.errors import DomainError
from townsquare.domain.moderation.actions import use_policy
from townsquare.domain.moderation.policy import load_policy

app = typer.Typer(help="Moderation policies.", no_args_is_help=True)


@app.command("check")
def check(file: Annotated[Path, typer.Argument(help="A policy TOML file.")]) -> None:
    """Validate a policy file; errors name the line."""
    from townsquare.cli.main import fail

    try:
        policy = load_policy(str(file))
    except DomainError as exc:
        fail(exc.message)
    typer.echo(f"{policy.id} {policy.version}: {len(policy.rules)} rules, valid")


@app.command("use")
def use(reference: Annotated[str, typer.Argument(help="A preset name or a file.")]) -> None:
    """Make a preset or file the active policy for every process, from now on."""
    from townsquare.cli.main import run_in_transaction, settings_or_exit

    settings = settings_or_exit()

    policy = run_in_transaction(settings, lambda conn: use_policy(conn, reference))
    typer.echo(f"active policy: {policy.id} {policy.version}")
