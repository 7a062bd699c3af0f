"""Reads: one's own uploads."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.errors import NotFound
from townsquare.domain.posts.models import Media
from townsquare.storage.schema import media_attachments


class Upload(NamedTuple):
    media: Media
    account_id: int
    status_id: int | None
    created_at: datetime


async def upload_of(conn: AsyncConnection, media_id: int) -> Upload:
    row = (
        await conn.execute(select(media_attachments).where(media_attachments.c.id == media_id))
    ).one_or_none()
    if row is None:
        raise NotFound()
    media = Media(row.id, row.type, row.url, row.preview_url, row.description, row.meta_json,
                  row.blurhash)  # fmt: skip
    return Upload(media, row.account_id, row.status_id, row.created_at)


async def own_upload(conn: AsyncConnection, account_id: int, media_id: int) -> Upload:
    """One of the account's own uploads; anyone else's is simply not found."""
    upload = await upload_of(conn, media_id)
    if upload.account_id != account_id:
        raise NotFound()
    return upload
