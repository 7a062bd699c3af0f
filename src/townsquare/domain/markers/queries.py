"""Reading read positions."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import as_utc
from townsquare.domain.markers.models import TIMELINES, Marker
from townsquare.storage.schema import markers


async def get_markers(
    conn: AsyncConnection, account_id: int, timelines: Iterable[str]
) -> dict[str, Marker]:
    """The account's markers for the known timelines among ``timelines``."""
    wanted = [name for name in dict.fromkeys(timelines) if name in TIMELINES]
    if not wanted:
        return {}
    rows = await conn.execute(
        select(markers).where(markers.c.account_id == account_id, markers.c.timeline.in_(wanted))
    )
    return {
        row.timeline: Marker(row.timeline, row.last_read_id, row.version, as_utc(row.updated_at))
        for row in rows
    }
