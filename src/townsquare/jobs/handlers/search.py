"""Keep the search index in step: one post or account per job (see ``search.index``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.domain.common.site import Site
from townsquare.domain.search.index import index_account, index_status


async def index_status_job(conn: AsyncConnection, _site: Site, payload: dict[str, Any]) -> None:
    await index_status(conn, int(payload["status_id"]))


async def index_account_job(conn: AsyncConnection, site: Site, payload: dict[str, Any]) -> None:
    await index_account(conn, site, int(payload["account_id"]))
