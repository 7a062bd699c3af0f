"""Writes: upload, describe and delete media; profile images; the sweep of uploads left
unattached.

Images are decoded and re-encoded in a thread before the write transaction opens
(``prepare_*``), so a large upload never holds the database's write lock while it is
processed; the actions then store the files and record them. Files are removed only
once the transaction that lets go of them commits.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import as_utc, utcnow
from townsquare.core.errors import NotFound, ValidationFailed
from townsquare.core.ids import new_id
from townsquare.domain.accounts.models import Account
from townsquare.domain.accounts.queries import get_account
from townsquare.domain.common.site import Site
from townsquare.domain.media.limits import MAX_DESCRIPTION, UNATTACHED_LIFETIME
from townsquare.domain.media.processing import (
    ProcessedImage,
    Rendition,
    process_attachment,
    process_avatar,
    process_header,
)
from townsquare.domain.media.queries import Upload, own_upload, upload_of
from townsquare.domain.posts.models import Media
from townsquare.storage.blobs import BlobStore, new_blob_name
from townsquare.storage.database import after_commit
from townsquare.storage.jobs import enqueue
from townsquare.storage.schema import accounts, media_attachments, statuses

REMOVE_UNATTACHED_JOB = "remove_unattached_media"


def store_of(site: Site) -> BlobStore:
    if site.blobs is None:
        raise RuntimeError("this site has no media store configured")
    return site.blobs


async def prepare_attachment(data: bytes) -> ProcessedImage:
    return await asyncio.to_thread(process_attachment, data)


async def prepare_avatar(data: bytes) -> Rendition:
    return await asyncio.to_thread(process_avatar, data)


async def prepare_header(data: bytes) -> Rendition:
    return await asyncio.to_thread(process_header, data)


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"Validation failed: {message}", details={field: ["ERR_INVALID"]})


def clean_description(description: str | None) -> str | None:
    if description is None:
        return None
    text = description.strip()
    if len(text) > MAX_DESCRIPTION:
        raise _invalid(
            "description", f"Description is too long (maximum is {MAX_DESCRIPTION} characters)"
        )
    return text or None


def parse_focus(focus: str | None) -> dict[str, float] | None:
    """Mastodon's focal point: "x,y", each from -1.0 to 1.0."""
    if focus is None or not focus.strip():
        return None
    parts = focus.split(",")
    try:
        x, y = (float(part) for part in parts)
    except ValueError:
        raise _invalid("focus", "Focus must be two numbers, x,y, from -1.0 to 1.0") from None
    if not all(math.isfinite(v) and -1.0 <= v <= 1.0 for v in (x, y)):
        raise _invalid("focus", "Focus must be two numbers, x,y, from -1.0 to 1.0")
    return {"x": x, "y": y}


def _remove_later(conn: AsyncConnection, store: BlobStore, urls: Iterable[str | None]) -> None:
    keys = [key for url in urls if url and (key := store.key_of(url))]

    def remove() -> None:
        for key in keys:
            store.delete(key)

    if keys:
        after_commit(conn, remove)


@dataclass(frozen=True, slots=True)
class NewUpload:
    description: str | None = None
    focus: str | None = None


async def upload_media(
    conn: AsyncConnection, site: Site, account_id: int, image: ProcessedImage, new: NewUpload
) -> Media:
    """Keep a processed image as an unattached upload of ``account_id``'s; it is removed
    if no post takes it within a day."""
    description = clean_description(new.description)
    focus = parse_focus(new.focus)
    store = store_of(site)
    media_id = new_id()
    name = new_blob_name()
    keys = (
        f"attachments/{media_id}/{name}.{image.original.extension}",
        f"attachments/{media_id}/{name}-small.{image.small.extension}",
    )
    meta: dict[str, Any] = {"original": image.original.meta(), "small": image.small.meta()}
    if focus is not None:
        meta["focus"] = focus
    try:
        url = await asyncio.to_thread(store.put, keys[0], image.original.data)
        preview_url = await asyncio.to_thread(store.put, keys[1], image.small.data)
        now = utcnow()
        await conn.execute(
            media_attachments.insert().values(
                id=media_id,
                account_id=account_id,
                status_id=None,
                type="image",
                url=url,
                preview_url=preview_url,
                description=description,
                meta_json=orjson.dumps(meta).decode(),
                blurhash=image.blurhash,
                created_at=now,
            )
        )
        await schedule_removal(conn, [media_id], at=now + UNATTACHED_LIFETIME)
    except BaseException:
        for key in keys:
            store.delete(key)
        raise
    return (await upload_of(conn, media_id)).media


async def update_media(
    conn: AsyncConnection, account_id: int, media_id: int, *, description: str | None = None,
    focus: str | None = None,
) -> Media:  # fmt: skip
    """Change the description or focal point of one's own upload, before it is posted
    (a posted one changes with an edit of its post)."""
    upload = await own_upload(conn, account_id, media_id)
    if upload.status_id is not None:
        raise NotFound()
    values: dict[str, Any] = {}
    if description is not None:
        values["description"] = clean_description(description)
    if focus is not None:
        meta = orjson.loads(upload.media.meta_json or "{}")
        parsed = parse_focus(focus)
        if parsed is None:
            meta.pop("focus", None)
        else:
            meta["focus"] = parsed
        values["meta_json"] = orjson.dumps(meta).decode()
    if values:
        await conn.execute(
            update(media_attachments).where(media_attachments.c.id == media_id).values(**values)
        )
    return (await upload_of(conn, media_id)).media


def discard_files(site: Site, uploads: Iterable[Media]) -> None:
    """Remove the files of uploads whose transaction did not commit."""
    store = store_of(site)
    for media in uploads:
        for url in (media.url, media.preview_url):
            key = store.key_of(url) if url else None
            if key:
                store.delete(key)


@dataclass(frozen=True, slots=True)
class MediaChange:
    """A new description or focal point for media on a post being edited (Mastodon's
    ``media_attributes``); None leaves that part as it is."""

    media_id: int
    description: str | None = None
    focus: str | None = None


async def change_attached(
    conn: AsyncConnection, media_ids: Iterable[int], changes: Iterable[MediaChange]
) -> bool:
    """Apply ``changes`` to media among ``media_ids`` (those the edited post will carry,
    already checked as the author's); answers whether anything changed. The caller's
    edit sets the post's ``edited_at``, which the attachments cache is keyed by."""
    allowed = set(media_ids)
    changed = False
    for change in changes:
        if change.media_id not in allowed:
            raise _invalid("media_attributes", "Media attributes name media not on the post")
        upload = await upload_of(conn, change.media_id)
        values: dict[str, Any] = {}
        if change.description is not None:
            description = clean_description(change.description)
            if description != upload.media.description:
                values["description"] = description
        if change.focus is not None:
            meta = orjson.loads(upload.media.meta_json or "{}")
            focus = parse_focus(change.focus)
            if focus != meta.get("focus"):
                if focus is None:
                    meta.pop("focus", None)
                else:
                    meta["focus"] = focus
                values["meta_json"] = orjson.dumps(meta).decode()
        if values:
            changed = True
            await conn.execute(
                update(media_attachments)
                .where(media_attachments.c.id == change.media_id)
                .values(**values)
            )
    return changed


class MediaInUse(ValidationFailed):
    def __init__(self) -> None:
        super().__init__("Media attachment is currently used by a status")


async def delete_media(conn: AsyncConnection, site: Site, account_id: int, media_id: int) -> None:
    """Delete one's own upload; one attached to a post goes only with the post."""
    upload = await own_upload(conn, account_id, media_id)
    if upload.status_id is not None:
        raise MediaInUse()
    await _forget(conn, site, [upload])


async def _forget(conn: AsyncConnection, site: Site, uploads: list[Upload]) -> None:
    if not uploads:
        return
    await conn.execute(
        delete(media_attachments).where(media_attachments.c.id.in_([u.media.id for u in uploads]))
    )
    _remove_later(conn, store_of(site), [u.media.url for u in uploads] +
                  [u.media.preview_url for u in uploads])  # fmt: skip


async def schedule_removal(
    conn: AsyncConnection, media_ids: Iterable[int], *, at: datetime | None = None
) -> None:
    """Have these uploads removed at ``at`` (a day from now by default) if by then they
    are on no post, or on a deleted one."""
    when = at or utcnow() + UNATTACHED_LIFETIME
    for media_id in media_ids:
        await enqueue(conn, REMOVE_UNATTACHED_JOB, {"media_id": media_id}, run_at=when)


async def remove_unattached_media(
    conn: AsyncConnection, site: Site, payload: dict[str, Any]
) -> None:
    """Job: an upload on no post a day after it was made goes, files and all; so does
    one whose post was deleted with its media."""
    media_id = int(payload["media_id"])
    row = (
        await conn.execute(
            select(
                media_attachments.c.created_at, media_attachments.c.status_id, statuses.c.deleted_at
            )
            .select_from(media_attachments.outerjoin(statuses))
            .where(media_attachments.c.id == media_id)
        )
    ).one_or_none()
    if row is None:
        return
    old_enough = as_utc(row.created_at) <= utcnow() - UNATTACHED_LIFETIME
    if (row.status_id is None and old_enough) or row.deleted_at is not None:
        await _forget(conn, site, [await upload_of(conn, media_id)])


async def set_profile_images(
    conn: AsyncConnection, site: Site, account_id: int, *, avatar: Rendition | None = None,
    header: Rendition | None = None,
) -> Account:  # fmt: skip
    """Store a new avatar or header for an account and point the account at it; the
    ones replaced are removed. Sets ``updated_at``: remembered accounts change with it."""
    if avatar is None and header is None:
        return await get_account(conn, account_id)
    store = store_of(site)
    current = (
        await conn.execute(
            select(accounts.c.avatar_url, accounts.c.header_url).where(accounts.c.id == account_id)
        )
    ).one_or_none()
    if current is None:
        raise NotFound()
    values: dict[str, Any] = {"updated_at": utcnow()}
    replaced: list[str] = []
    written: list[str] = []
    try:
        for kind, image, old in (("avatar", avatar, current.avatar_url),
                                 ("header", header, current.header_url)):  # fmt: skip
            if image is None:
                continue
            key = f"{kind}s/{account_id}/{new_blob_name()}.{image.extension}"
            values[f"{kind}_url"] = await asyncio.to_thread(store.put, key, image.data)
            written.append(key)
            replaced.append(old)
        await conn.execute(update(accounts).where(accounts.c.id == account_id).values(**values))
    except BaseException:
        for key in written:
            store.delete(key)
        raise
    _remove_later(conn, store, replaced)
    return await get_account(conn, account_id)


PROFILE_IMAGES = ("avatar", "header")


async def remove_profile_image(
    conn: AsyncConnection, site: Site, account_id: int, kind: str
) -> Account:
    """Go back to the default avatar or header; the file goes once this commits."""
    if kind not in PROFILE_IMAGES:
        raise NotFound()
    column = accounts.c[f"{kind}_url"]
    current = await conn.scalar(select(column).where(accounts.c.id == account_id))
    if current:
        await conn.execute(
            update(accounts)
            .where(accounts.c.id == account_id)
            .values({column: "", accounts.c.updated_at: utcnow()})
        )
        _remove_later(conn, store_of(site), [current])
    return await get_account(conn, account_id)
