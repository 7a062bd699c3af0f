"""``policy simulate`` and ``transparency export`` as an operator runs them."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.cli.test_commands import townsquare
from tests.conftest import SITE
from tests.databases import create_database, drop_database
from tests.moderation.dsa_schema import validate_statement
from tests.moderation.test_simulate import _corpus
from townsquare.storage.database import Database
from townsquare.storage.migrate import migrate
from townsquare.storage.schema import moderation_decisions


async def _seed(url: str) -> dict[tuple[str, str], int]:
    db = Database(url)
    try:
        await migrate(db)
        return await _corpus(db, SITE)
    finally:
        await db.dispose()


async def _decisions(url: str) -> int:
    db = Database(url)
    try:
        async with db.read() as conn:
            query = select(func.count()).select_from(moderation_decisions)
            return int((await conn.execute(query)).scalar_one())
    finally:
        await db.dispose()


@pytest.fixture(scope="module")
def seeded(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[dict[str, str], dict[tuple[str, str], int]]]:
    url = asyncio.run(create_database("transcli", tmp_path_factory.mktemp("transcli")))
    ids = asyncio.run(_seed(url))
    yield {**os.environ, "TOWNSQUARE_DATABASE_URL": url}, ids
    asyncio.run(drop_database(url))


def test_simulate_json_and_table(seeded: tuple[dict[str, str], dict[tuple[str, str], int]]) -> None:
    env, ids = seeded
    url = env["TOWNSQUARE_DATABASE_URL"]
    before = asyncio.run(_decisions(url))
    result = townsquare(
        env, "policy", "simulate", "--policy", "dangerous-orgs", "--against", "open",
        "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [p["id"] for p in report["policies"]] == ["dangerous-orgs", "open"]
    assert report["posts"] == len(ids)
    differing = {int(p["id"]): [o["action"] for o in p["outcomes"]] for p in report["posts_listed"]}
    praise_ur = ids[("praise", "ur")]
    assert differing[praise_ur] == ["strike", "downrank"]
    assert ids[("news_reporting", "en")] not in differing
    assert ids[("condemnation", "ur")] not in differing
    assert len(differing) == 5
    assert report["totals"]["open 2026.12.1"]["downrank"] == 2
    table = townsquare(env, "policy", "simulate", "--policy", "dangerous-orgs", "--against", "open")
    assert table.returncode == 0, table.stderr
    assert "Where the policies differ (5 of" in table.stdout
    assert str(praise_ur) in table.stdout and "praise-restricted-reach" in table.stdout
    assert "Posts per action" in table.stdout
    assert asyncio.run(_decisions(url)) == before  # simulating wrote nothing


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (("--policy", "strictest"), "strictest: not a preset", 1),
        (("--policy", "open", "--since", "yesterday"), "--since 'yesterday' is not a date", 2),
        (("--policy", "open", "--format", "xml"), "--format must be table or json", 2),
        (("--policy", "open", "--against", "BAD_FILE"), "BAD_FILE:6: unknown action 'zap'", 1),
    ],
)
def test_simulate_bad_input_is_one_line(
    seeded: tuple[dict[str, str], dict[tuple[str, str], int]],
    tmp_path: Path,
    args: tuple[str, ...],
    message: str,
    code: int,
) -> None:
    env, _ = seeded
    bad = tmp_path / "bad.toml"
    bad.write_text('[policy]\nid = "x"\nversion = "1"\n[[rules]]\nid = "a"\naction = "zap"\n')
    args = tuple(str(bad) if a == "BAD_FILE" else a for a in args)
    result = townsquare(env, "policy", "simulate", *args)
    assert result.returncode == code
    assert message.replace("BAD_FILE", str(bad)) in result.stderr
    assert "\n" not in result.stderr.strip()
    assert result.stdout == ""


def test_dsa_export_is_json_lines_of_valid_statements(
    seeded: tuple[dict[str, str], dict[tuple[str, str], int]],
) -> None:
    env, _ = seeded
    result = townsquare(env, "transparency", "export", "--format", "dsa")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    statements = [json.loads(line) for line in lines]
    # the corpus was written under open: praise downranked twice, support removed twice
    assert len(statements) == 4
    for statement in statements:
        assert validate_statement(statement) == [], statement
    assert sorted(s["decision_visibility"][0] for s in statements) == [
        "DECISION_VISIBILITY_CONTENT_DEMOTED", "DECISION_VISIBILITY_CONTENT_DEMOTED",
        "DECISION_VISIBILITY_CONTENT_REMOVED", "DECISION_VISIBILITY_CONTENT_REMOVED",
    ]  # fmt: skip
    assert "exported 4 statements of reasons" in result.stderr
    wrong = townsquare(env, "transparency", "export", "--format", "csv")
    assert wrong.returncode == 2 and wrong.stderr.strip() == "error: --format must be dsa"


def test_transparency_report_counts_the_decisions(
    seeded: tuple[dict[str, str], dict[tuple[str, str], int]],
) -> None:
    env, ids = seeded
    result = townsquare(env, "transparency", "report")
    assert result.returncode == 0, result.stderr
    [month] = json.loads(result.stdout)["months"]
    # every post that names an entity got a decision; the two ordinary ones did not
    assert month["decisions"] == len(ids) - 2
    assert month["by_action"] == {"allow": 7, "downrank": 2, "remove": 2}
    assert month["by_language"] == {"en": 6, "ur": 5}
    assert month["by_rule"]["praise-restricted-reach"] == 2
    # authors declared every stance, so no decision was fully automated
    assert (month["automated"], month["not_automated"]) == (0, 11)
    assert (month["appeals"], month["reversals"]) == (0, 0)
