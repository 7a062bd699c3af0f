"""Trend jobs: record one write's uses, take back uses nothing gives any more, and
refresh the trend lists (see ``domain.trends``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.domain.common.site import Site
from townsquare.domain.moderation.actions import active_policy
from townsquare.domain.trends.recording import record_uses, schedule_refresh
from townsquare.domain.trends.refresh import refresh_trends
from townsquare.domain.trends.withdrawal import withdraw_uses
from townsquare.storage.schema import trend_uses


def _interval(site: Site) -> timedelta:
    return timedelta(seconds=site.trends_refresh_seconds)


async def record_trend_uses(conn: AsyncConnection, site: Site, payload: dict[str, Any]) -> None:
    if await record_uses(conn, payload):
        await schedule_refresh(conn, _interval(site))


async def withdraw_trend_uses(conn: AsyncConnection, site: Site, payload: dict[str, Any]) -> None:
    if await withdraw_uses(conn, payload):
        await schedule_refresh(conn, _interval(site))


async def refresh_trends_job(conn: AsyncConnection, site: Site, _payload: dict[str, Any]) -> None:
    await refresh_trends(conn, await active_policy(conn, site.moderation_policy))
    # Scores decay with time alone, so while uses remain the lists are refreshed on
    # schedule; with no interval (0) only new uses trigger a refresh. This job's own row
    # is claimed, so a refresh already waiting (from a use meanwhile) is kept instead.
    if site.trends_refresh_seconds and await conn.scalar(select(trend_uses.c.id).limit(1)):
        await schedule_refresh(conn, _interval(site))
