"""Home-feed jobs: fan-out for authors with many followers, and trimming."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.domain.common.site import Site
from townsquare.domain.timelines import feeds


async def fan_out_home(conn: AsyncConnection, _site: Site, payload: dict[str, Any]) -> None:
    await feeds.deliver(conn, int(payload["status_id"]), int(payload["author_id"]))


async def trim_home_feeds(conn: AsyncConnection, _site: Site, _payload: dict[str, Any]) -> None:
    for account_id in await feeds.overfull_feeds(conn):
        await feeds.trim(conn, account_id)
