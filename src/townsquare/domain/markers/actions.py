"""Saving read positions."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import utcnow
from townsquare.core.errors import ValidationFailed
from townsquare.domain.markers.models import TIMELINES, Marker
from townsquare.domain.markers.queries import get_markers
from townsquare.storage.schema import markers


async def set_marker(
    conn: AsyncConnection, account_id: int, timeline: str, last_read_id: int
) -> Marker:
    """Move the marker of ``timeline`` to ``last_read_id``; its version goes up by one
    when the position changes (saving the same position again changes nothing)."""
    if timeline not in TIMELINES:
        raise ValidationFailed(
            f"Validation failed: unknown timeline {timeline!r}",
            details={"timeline": ["ERR_INVALID"]},
        )
    now = utcnow()
    moved = update(markers).where(
        markers.c.account_id == account_id,
        markers.c.timeline == timeline,
        markers.c.last_read_id != last_read_id,
    )
    await conn.execute(
        moved.values(last_read_id=last_read_id, version=markers.c.version + 1, updated_at=now)
    )
    existing = (await get_markers(conn, account_id, [timeline])).get(timeline)
    if existing is not None:
        return existing
    try:
        async with conn.begin_nested():
            await conn.execute(
                markers.insert().values(
                    account_id=account_id,
                    timeline=timeline,
                    last_read_id=last_read_id,
                    version=0,
                    updated_at=now,
                )
            )
    except IntegrityError:
        # another request created it first: ours is a change on top of theirs
        await conn.execute(
            moved.values(last_read_id=last_read_id, version=markers.c.version + 1, updated_at=now)
        )
    return (await get_markers(conn, account_id, [timeline]))[timeline]
