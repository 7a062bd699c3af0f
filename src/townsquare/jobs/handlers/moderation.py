"""Account actions that come due later: purging after the suspension grace period, and
lifting timed actions. Each handler re-checks the account first, so a job for an
account restored in the meantime does nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.domain.common.site import Site
from townsquare.domain.moderation.sanctions import lift_expired_action, purge_account


async def purge_account_job(conn: AsyncConnection, _site: Site, payload: dict[str, Any]) -> None:
    await purge_account(conn, int(payload["account_id"]))


async def lift_account_action_job(
    conn: AsyncConnection, _site: Site, payload: dict[str, Any]
) -> None:
    await lift_expired_action(conn, int(payload["account_id"]), str(payload["kind"]))
