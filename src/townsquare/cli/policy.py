"""``townsquare policy ...``: check a policy file, switch the active policy, simulate."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.errors import DomainError
from townsquare.domain.moderation.actions import use_policy
from townsquare.domain.moderation.policy import load_policy

if TYPE_CHECKING:
    from townsquare.domain.moderation.simulate import Simulation

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


def _since(value: str | None) -> datetime | None:
    from townsquare.cli.main import fail

    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        fail(f"--since {value!r} is not a date like 2026-01-31", 2)
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


@app.command("simulate")
def simulate_command(
    policy: Annotated[str, typer.Option("--policy", help="A preset name or a policy file.")],
    against: Annotated[
        str | None, typer.Option("--against", help="A second policy to compare with.")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only posts from this day on (YYYY-MM-DD).")
    ] = None,
    format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """What a policy (or two) would do to the stored local posts; acts on nothing."""
    from rich.progress import Progress

    from townsquare.cli.main import fail, run_reading, settings_or_exit
    from townsquare.domain.moderation.simulate import count_posts, simulate

    if format not in ("table", "json"):
        fail("--format must be table or json", 2)
    starting = _since(since)
    try:
        policies = tuple(load_policy(ref) for ref in (policy, against) if ref is not None)
    except DomainError as exc:
        fail(exc.message)
    settings = settings_or_exit()
    # The bar goes to stderr, and only on a terminal, so JSON on stdout stays clean.
    bar = Progress(console=Console(stderr=True), disable=not sys.stderr.isatty())

    async def go(conn: AsyncConnection) -> Simulation:
        with bar:
            task = bar.add_task("simulating", total=await count_posts(conn, starting))
            return await simulate(
                conn, policies, since=starting, progress=lambda n: bar.advance(task, n)
            )

    result = run_reading(settings, go)
    if format == "json":
        typer.echo(json.dumps(simulation_json(result), ensure_ascii=False, indent=2))
    else:
        print_simulation(result)


def simulation_json(result: Simulation) -> dict[str, Any]:
    names = [f"{p.id} {p.version}" for p in result.policies]
    return {
        "policies": [{"id": p.id, "version": p.version, "title": p.title} for p in result.policies],
        "since": result.since.date().isoformat() if result.since else None,
        "posts": result.posts,
        "totals": {
            name: dict(sorted(counter.items()))
            for name, counter in zip(names, result.totals, strict=True)
        },
        "listed_total": result.listed_total,
        "truncated": result.truncated,
        "posts_listed": [
            {
                "id": str(post.status_id),
                "excerpt": post.excerpt,
                "language": post.language,
                "stance": post.stance,
                "outcomes": [
                    {"policy": name, "rule": o.rule_id, "action": o.action, "label": o.label}
                    for name, o in zip(names, post.outcomes, strict=True)
                ],
            }
            for post in result.listed
        ],
    }


def print_simulation(result: Simulation) -> None:
    # Piped into a file or a pager, rows are not squeezed into 80 columns.
    console = Console(width=None if sys.stdout.isatty() else 200)
    names = [f"{p.id} {p.version}" for p in result.policies]
    two = len(names) == 2
    heading = "Where the policies differ" if two else "Where the policy acts"
    posts = Table(title=f"{heading} ({result.listed_total} of {result.posts} posts)")
    posts.add_column("post", no_wrap=True)
    posts.add_column("excerpt")
    for name in names:
        posts.add_column(name)
    for post in result.listed:
        cells = [
            f"{o.action}{f' [{o.label}]' if o.label else ''}\n{o.rule_id}" for o in post.outcomes
        ]
        posts.add_row(str(post.status_id), post.excerpt, *cells)
    console.print(posts, markup=False)
    if result.truncated:
        console.print(f"(first {len(result.listed)} listed)", markup=False)
    totals = Table(title="Posts per action")
    totals.add_column("action")
    for name in names:
        totals.add_column(name, justify="right")
    for action, counts in result.totals_table():
        totals.add_row(action, *(str(c) for c in counts))
    console.print(totals, markup=False)
