"""Node numbers for ids: each long-running process that writes claims its own.

Two processes that make ids in the same millisecond could otherwise pick the same one
(``core.ids``); with distinct node numbers they cannot. Numbers are handed out round
the 64 a counter row allows, so a clash needs 64 processes alive at once.
"""

from __future__ import annotations

from sqlalchemy import Integer, Text, cast, update
from sqlalchemy.exc import IntegrityError

from townsquare.core.ids import NODES, use_id_node
from townsquare.storage.database import Database
from townsquare.storage.schema import settings_kv

_COUNTER_KEY = "id_node_counter"


async def _next_counter(db: Database) -> int:
    async with db.write() as conn:
        bumped = (
            await conn.execute(
                update(settings_kv)
                .where(settings_kv.c.key == _COUNTER_KEY)
                .values(value=cast(cast(settings_kv.c.value, Integer) + 1, Text))
                .returning(settings_kv.c.value)
            )
        ).first()
        if bumped is not None:
            return int(bumped.value)
        await conn.execute(settings_kv.insert().values(key=_COUNTER_KEY, value="0"))
        return 0


async def claim_id_node(db: Database) -> int:
    """Claim the next node number and make this process's ids in its range."""
    try:
        counter = await _next_counter(db)
    except IntegrityError:  # another process made the counter row first: bump it
        counter = await _next_counter(db)
    node = counter % NODES
    use_id_node(node)
    return node
