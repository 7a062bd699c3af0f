"""``townsquare entities`` and ``townsquare policy`` as an operator runs them."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.test_commands import townsquare
from tests.databases import create_database, drop_database
from tests.moderation.corpus import ENTITIES


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    url = asyncio.run(create_database("modcli", tmp_path_factory.mktemp("modcli")))
    environment = {**os.environ, "TOWNSQUARE_DATABASE_URL": url}
    assert townsquare(environment, "migrate").returncode == 0
    yield environment
    asyncio.run(drop_database(url))


def test_entities_import_export(env: dict[str, str], tmp_path: Path) -> None:
    source = tmp_path / "entities.json"
    source.write_text(json.dumps(ENTITIES, ensure_ascii=False), encoding="utf-8")
    imported = townsquare(env, "entities", "import", str(source))
    assert imported.returncode == 0, imported.stderr
    assert "imported 2 entities (2 new, 0 replaced)" in imported.stdout
    exported = townsquare(env, "entities", "export")
    assert [e["name"] for e in json.loads(exported.stdout)] == ["Taliban", "Northern Front"]
    as_csv = townsquare(env, "entities", "export", "--format", "csv")
    assert as_csv.stdout.startswith("name,kind,tier,aliases")
    assert "طالبان|Taleban" in as_csv.stdout
    again = tmp_path / "again.csv"
    again.write_text(as_csv.stdout, encoding="utf-8")
    reimported = townsquare(env, "entities", "import", str(again))
    assert "(0 new, 2 replaced)" in reimported.stdout, reimported.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[{", "not valid JSON"),
        ('[{"name": "Z", "kind": "person", "tier": 9}]', "unknown tier 9"),
        (
            '[{"name": "Fresh", "kind": "event", "tier": 2},'
            ' {"name": "Y", "kind": "person", "tier": 1, "aliases": ["طالبان"]}]',
            "duplicate alias",
        ),
    ],
)
def test_bad_entity_files_are_one_line(
    env: dict[str, str], tmp_path: Path, content: str, message: str
) -> None:
    source = tmp_path / "bad.json"
    source.write_text(content, encoding="utf-8")
    result = townsquare(env, "entities", "import", str(source))
    assert result.returncode == 1
    assert message in result.stderr
    assert "\n" not in result.stderr.strip()
    exported = json.loads(townsquare(env, "entities", "export").stdout)
    assert "Fresh" not in [e["name"] for e in exported]
    missing = townsquare(env, "entities", "import", str(tmp_path / "nope.json"))
    assert missing.returncode == 1 and "cannot read" in missing.stderr


def test_policy_check_and_use(env: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[policy]\nid = "x"\nversion = "1"\n[[rules]]\nid = "a"\naction = "zap"\n')
    checked = townsquare(env, "policy", "check", str(bad))
    assert checked.returncode == 1
    assert checked.stderr.strip().startswith(f"error: {bad}:6: unknown action 'zap'")
    assert "\n" not in checked.stderr.strip()
    used = townsquare(env, "policy", "use", "dangerous-orgs")
    assert used.returncode == 0 and "active policy: dangerous-orgs" in used.stdout
    assert townsquare(env, "policy", "use", str(bad)).returncode == 1
    start = townsquare({**env, "TOWNSQUARE_MODERATION_POLICY": "strictest"}, "migrate")
    assert start.returncode == 2
    assert start.stderr.strip().startswith("error: TOWNSQUARE_MODERATION_POLICY: strictest")
    assert "\n" not in start.stderr.strip()
