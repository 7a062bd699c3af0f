"""The designated entities registry: files in, files out, bad files change nothing."""

from __future__ import annotations

import json

import pytest

from tests.moderation.corpus import ENTITIES
from townsquare.core.errors import ValidationFailed
from townsquare.domain.moderation.entities import parse_csv, parse_json, to_csv, to_json
from townsquare.domain.moderation.registry import (
    import_entities,
    list_entities,
    registry_version,
)
from townsquare.storage.database import Database


async def test_import_then_export_round_trips(db: Database) -> None:
    async with db.write() as conn:
        assert await import_entities(conn, parse_json(json.dumps(ENTITIES))) == (2, 0)
    async with db.read() as conn:
        stored = await list_entities(conn)
        version = await registry_version(conn)
    assert version != "0"
    assert [e.name for e in stored] == ["Taliban", "Northern Front"]
    assert stored[0].aliases == tuple(ENTITIES[0]["aliases"])  # type: ignore[arg-type]
    assert stored[0].flags == {"engages_in_violence", "targets_civilians"}
    assert parse_json(to_json(stored)) == stored
    assert parse_csv(to_csv(stored)) == stored


async def test_reimport_replaces_by_name(db: Database) -> None:
    async with db.write() as conn:
        await import_entities(conn, parse_json(json.dumps(ENTITIES)))
    changed = [{**ENTITIES[1], "name": "NORTHERN front", "tier": 1}]
    async with db.write() as conn:
        assert await import_entities(conn, parse_json(json.dumps(changed))) == (0, 1)
    async with db.read() as conn:
        stored = await list_entities(conn)
    assert sorted((e.name, e.tier) for e in stored) == [("NORTHERN front", 1), ("Taliban", 1)]


def test_minimal_object_imports() -> None:
    [entity] = parse_json('[{"name": "X", "kind": "person", "tier": 2, "aliases": ["Y"], '
                          '"sources": ["FTO"]}]')  # fmt: skip
    assert (entity.name, entity.kind, entity.tier, entity.aliases) == ("X", "person", 2, ("Y",))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[{", "not valid JSON"),
        ('{"name": "x"}', "JSON list"),
        ('[{"name": "X", "kind": "club", "tier": 1}]', "unknown kind 'club'"),
        ('[{"name": "X", "kind": "person", "tier": 4}]', "unknown tier 4"),
        ('[{"name": "X", "kind": "person", "tier": 1, "colour": "red"}]', "unknown field"),
        # the same alias once the Arabic yeh and kaf are folded to their Urdu forms
        (
            '[{"name": "A", "kind": "person", "tier": 1, "aliases": ["كابلي"]},'
            ' {"name": "B", "kind": "person", "tier": 2, "aliases": ["کابلی"]}]',
            "duplicate alias",
        ),
    ],
)
def test_bad_files_say_why(text: str, message: str) -> None:
    with pytest.raises(ValidationFailed, match=message):
        parse_json(text)


async def test_duplicate_against_the_registry_imports_nothing(db: Database) -> None:
    async with db.write() as conn:
        await import_entities(conn, parse_json(json.dumps(ENTITIES)))
    clash = [
        {"name": "Fresh", "kind": "event", "tier": 2},
        {"name": "Other", "kind": "person", "tier": 2, "aliases": ["TALEBAN"]},
    ]
    with pytest.raises(ValidationFailed, match="duplicate alias"):
        async with db.write() as conn:
            await import_entities(conn, parse_json(json.dumps(clash)))
    async with db.read() as conn:
        assert len(await list_entities(conn)) == 2
