"""Each writing process claims its own id node from the database."""

from __future__ import annotations

import asyncio

from townsquare.core.ids import NODES
from townsquare.storage.database import Database
from townsquare.storage.id_nodes import claim_id_node


async def test_processes_claim_distinct_nodes_round_the_range(db: Database) -> None:
    first = await claim_id_node(db)
    claimed = [first] + [await claim_id_node(db) for _ in range(NODES - 1)]
    assert sorted(claimed) == list(range(NODES))
    # the 65th process shares the first one's node again
    assert await claim_id_node(db) == first


async def test_claims_at_the_same_time_get_different_nodes(db: Database) -> None:
    claimed = await asyncio.gather(*(claim_id_node(db) for _ in range(8)))
    assert len(set(claimed)) == 8
