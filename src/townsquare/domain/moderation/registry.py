"""Reads and writes of the designated entities registry.

Every import bumps the registry version kept in ``instance_settings``; matchers are
built once per version (``matcher.matcher_for``), never per post.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import utcnow
from townsquare.core.ids import new_id
from townsquare.core.normalize import match_key
from townsquare.domain.moderation.entities import FLAGS, Entity, check_unique_aliases
from townsquare.storage.prepared import Prepared
from townsquare.storage.schema import designated_entities, entity_aliases, settings_kv

VERSION_KEY = "moderation.entities_version"


async def _set(conn: AsyncConnection, key: str, value: str) -> None:
    changed = await conn.execute(
        update(settings_kv).where(settings_kv.c.key == key).values(value=value)
    )
    if changed.rowcount == 0:
        await conn.execute(settings_kv.insert().values(key=key, value=value))


async def get_setting(conn: AsyncConnection, key: str) -> str | None:
    row = (await conn.execute(select(settings_kv.c.value).where(settings_kv.c.key == key))).first()
    return None if row is None else str(row.value)


async def set_setting(conn: AsyncConnection, key: str, value: str) -> None:
    await _set(conn, key, value)


async def registry_version(conn: AsyncConnection) -> str:
    return await get_setting(conn, VERSION_KEY) or "0"


@lru_cache(maxsize=8)
def _settings_statement(count: int) -> Prepared:
    # built once per number of keys: every new post reads the active policy and the
    # registry's version through it
    wanted = [bindparam(f"key_{n}", type_=settings_kv.c.key.type) for n in range(count)]
    return Prepared(
        select(settings_kv.c.key, settings_kv.c.value).where(settings_kv.c.key.in_(wanted))
    )


async def get_settings(conn: AsyncConnection, keys: Sequence[str]) -> dict[str, str]:
    """Several settings in one read (those not set are left out)."""
    if not keys:
        return {}
    statement = _settings_statement(len(keys))
    rows = await statement.raw(conn, {f"key_{n}": key for n, key in enumerate(keys)})
    return {str(row[0]): str(row[1]) for row in rows}


def _from_row(row: Any, aliases: list[str]) -> Entity:
    return Entity(
        id=row.id,
        name=row.name,
        kind=row.kind,
        tier=row.tier,
        aliases=tuple(aliases),
        sources=tuple(json.loads(row.sources_json)),
        accounts=tuple(json.loads(row.accounts_json)),
        domains=tuple(json.loads(row.domains_json)),
        evidence=row.evidence,
        designated_on=row.designated_on,
        reviewed_on=row.reviewed_on,
        **{flag: bool(getattr(row, flag)) for flag in FLAGS},
    )


async def list_entities(conn: AsyncConnection) -> list[Entity]:
    aliases: dict[int, list[str]] = {}
    for row in await conn.execute(
        select(entity_aliases.c.entity_id, entity_aliases.c.alias).order_by(entity_aliases.c.id)
    ):
        aliases.setdefault(row.entity_id, []).append(row.alias)
    rows = await conn.execute(select(designated_entities).order_by(designated_entities.c.id))
    return [_from_row(row, aliases.get(row.id, [])) for row in rows]


async def import_entities(conn: AsyncConnection, incoming: list[Entity]) -> tuple[int, int]:
    """Add entities, replacing those with the same (normalised) name; (added, replaced).

    Alias uniqueness is checked over the registry as it will be, before any write,
    so in the caller's transaction a bad file changes nothing."""
    existing = {match_key(e.name): e for e in await list_entities(conn)}
    merged = dict(existing)
    for entity in incoming:
        merged[match_key(entity.name)] = entity
    check_unique_aliases(list(merged.values()))
    now = utcnow()
    added = replaced = 0
    for entity in incoming:
        earlier = existing.get(match_key(entity.name))
        if earlier is not None:
            await conn.execute(
                delete(designated_entities).where(designated_entities.c.id == earlier.id)
            )
            replaced += 1
        else:
            added += 1
        entity_id = earlier.id if earlier is not None else new_id()
        await conn.execute(
            designated_entities.insert().values(
                id=entity_id,
                name=entity.name,
                kind=entity.kind,
                tier=entity.tier,
                sources_json=json.dumps(list(entity.sources), ensure_ascii=False),
                accounts_json=json.dumps(list(entity.accounts), ensure_ascii=False),
                domains_json=json.dumps(list(entity.domains), ensure_ascii=False),
                evidence=entity.evidence,
                designated_on=entity.designated_on,
                reviewed_on=entity.reviewed_on,
                created_at=now,
                **{flag: getattr(entity, flag) for flag in FLAGS},
            )
        )
        unique: dict[str, str] = {}
        for alias in entity.aliases:
            # the name is matched anyway, and the first spelling of a key is kept
            if match_key(alias) != match_key(entity.name):
                unique.setdefault(match_key(alias), alias)
        if unique:
            await conn.execute(
                entity_aliases.insert(),
                [
                    {"id": new_id(), "entity_id": entity_id, "alias": alias, "alias_key": key}
                    for key, alias in unique.items()
                ],
            )
    await _set(conn, VERSION_KEY, str(new_id()))
    return added, replaced
