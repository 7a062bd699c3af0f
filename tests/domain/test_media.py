"""Media against the real database: uploads, attaching, edits, removal and the sweep."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from tests.domain.test_posts import make_account, write_post
from tests.images import image_bytes
from townsquare.core.clock import as_utc, utcnow
from townsquare.core.errors import NotFound, ValidationFailed
from townsquare.domain.accounts.queries import get_account
from townsquare.domain.common.site import Site
from townsquare.domain.media.actions import (
    REMOVE_UNATTACHED_JOB,
    MediaChange,
    NewUpload,
    delete_media,
    prepare_attachment,
    prepare_avatar,
    remove_unattached_media,
    set_profile_images,
    update_media,
    upload_media,
)
from townsquare.domain.media.queries import own_upload
from townsquare.domain.posts.actions import delete_post, edit_post
from townsquare.domain.posts.models import Media
from townsquare.domain.posts.queries import hydrate
from townsquare.storage.blobs import LocalBlobStore
from townsquare.storage.database import Database
from townsquare.storage.schema import accounts, jobs, media_attachments, statuses


@pytest.fixture
def media_site(site: Site, tmp_path: Path) -> Site:
    return dataclasses.replace(site, blobs=LocalBlobStore(tmp_path, f"{site.base_url}/media"))


def _files(site: Site) -> set[str]:
    assert isinstance(site.blobs, LocalBlobStore)
    return {str(p.relative_to(site.blobs.root)) for p in site.blobs.root.rglob("*") if p.is_file()}


async def _updated_at(db: Database, account_id: int) -> datetime:
    async with db.read() as conn:
        moment = await conn.scalar(select(accounts.c.updated_at).where(accounts.c.id == account_id))
    assert moment is not None
    return as_utc(moment)


async def _upload(db: Database, site: Site, account_id: int, **new: str) -> Media:
    image = await prepare_attachment(image_bytes(700, 350))
    async with db.write() as conn:
        return await upload_media(conn, site, account_id, image, NewUpload(**new))


async def test_upload_keeps_two_files_and_a_sweep_job(db: Database, media_site: Site) -> None:
    alice = await make_account(db)
    media = await _upload(db, media_site, alice.id, description="  a flag  ", focus="0,1")
    assert media.description == "a flag"
    assert len(_files(media_site)) == 2
    assert media_site.blobs is not None
    assert {media_site.blobs.key_of(media.url), media_site.blobs.key_of(media.preview_url or "")} \
        == _files(media_site)  # fmt: skip
    async with db.read() as conn:
        job = (await conn.execute(select(jobs).where(jobs.c.kind == REMOVE_UNATTACHED_JOB))).one()
    assert as_utc(job.run_at) > utcnow() + timedelta(hours=23)


async def test_bad_description_and_focus(db: Database, media_site: Site) -> None:
    alice = await make_account(db)
    with pytest.raises(ValidationFailed):
        await _upload(db, media_site, alice.id, description="x" * 1501)
    for focus in ("1.5,0", "a,b", "0", "nan,0"):
        with pytest.raises(ValidationFailed):
            await _upload(db, media_site, alice.id, focus=focus)
    assert _files(media_site) == set()  # nothing half-written stays behind
    media = await _upload(db, media_site, alice.id, description="x" * 1500)
    assert media.description is not None and len(media.description) == 1500


async def test_only_the_owner_changes_or_deletes(db: Database, media_site: Site) -> None:
    alice, bob = await make_account(db), await make_account(db)
    media = await _upload(db, media_site, alice.id)
    async with db.write() as conn:
        with pytest.raises(NotFound):
            await update_media(conn, bob.id, media.id, description="mine")
    async with db.write() as conn:
        with pytest.raises(NotFound):
            await delete_media(conn, media_site, bob.id, media.id)
    async with db.write() as conn:
        changed = await update_media(conn, alice.id, media.id, description="alt")
    assert changed.description == "alt"
    async with db.write() as conn:
        await delete_media(conn, media_site, alice.id, media.id)
    assert _files(media_site) == set()
    async with db.read() as conn:
        with pytest.raises(NotFound):
            await own_upload(conn, alice.id, media.id)


async def test_editing_media_sets_edited_at_and_views_follow(
    db: Database, media_site: Site
) -> None:
    alice = await make_account(db)
    first = await _upload(db, media_site, alice.id)
    second = await _upload(db, media_site, alice.id)
    post = await write_post(db, media_site, alice, "", media_ids=[first.id])
    async with db.read() as conn:
        (view,) = await hydrate(conn, alice.id, [post])
    assert [m.id for m in view.media] == [first.id]
    async with db.write() as conn:
        edited = await edit_post(conn, media_site, alice, post.id, media_ids=[second.id])
    assert edited.edited_at is not None
    async with db.read() as conn:
        (view,) = await hydrate(conn, alice.id, [edited])
    assert [m.id for m in view.media] == [second.id]
    async with db.write() as conn:
        with pytest.raises(ValidationFailed):  # text or media: an empty post is refused
            await edit_post(conn, media_site, alice, post.id, media_ids=[])


async def test_the_sweep_removes_only_old_unattached_uploads(
    db: Database, media_site: Site
) -> None:
    alice = await make_account(db)
    kept = await _upload(db, media_site, alice.id)
    posted = await _upload(db, media_site, alice.id)
    fresh = await _upload(db, media_site, alice.id)
    await write_post(db, media_site, alice, "with a picture", media_ids=[posted.id])
    long_ago = utcnow() - timedelta(days=2)
    async with db.write() as conn:
        await conn.execute(
            update(media_attachments)
            .where(media_attachments.c.id.in_([kept.id, posted.id]))
            .values(created_at=long_ago)
        )
    async with db.write() as conn:
        for media in (kept, posted, fresh):
            await remove_unattached_media(conn, media_site, {"media_id": media.id})
        # a job for an upload already gone is done, not an error
        await remove_unattached_media(conn, media_site, {"media_id": kept.id})
    async with db.read() as conn:
        left = set((await conn.execute(select(media_attachments.c.id))).scalars())
    assert left == {posted.id, fresh.id}
    assert len(_files(media_site)) == 4


async def test_deleting_a_post_with_its_media_removes_the_files(
    db: Database, media_site: Site
) -> None:
    alice = await make_account(db)
    let_go = await _upload(db, media_site, alice.id)
    removed = await _upload(db, media_site, alice.id)
    redraft = await write_post(db, media_site, alice, "one", media_ids=[let_go.id])
    gone = await write_post(db, media_site, alice, "two", media_ids=[removed.id])
    async with db.write() as conn:
        await delete_post(conn, alice, redraft.id)  # keeps the media for a redraft
        await delete_post(conn, alice, gone.id, keep_media=False)
    async with db.write() as conn:
        deleted = await conn.scalar(select(statuses.c.deleted_at).where(statuses.c.id == gone.id))
        assert deleted is not None
        for media in (let_go, removed):
            await remove_unattached_media(conn, media_site, {"media_id": media.id})
    async with db.read() as conn:
        left = set((await conn.execute(select(media_attachments.c.id))).scalars())
    assert left == {let_go.id}  # free again, and younger than a day
    assert len(_files(media_site)) == 2


async def test_profile_images_set_updated_at_and_replace_files(
    db: Database, media_site: Site
) -> None:
    alice = await make_account(db)
    before = await _updated_at(db, alice.id)
    avatar = await prepare_avatar(image_bytes(500, 300))
    async with db.write() as conn:
        changed = await set_profile_images(conn, media_site, alice.id, avatar=avatar)
    assert changed.avatar_url.startswith(f"{media_site.base_url}/media/avatars/{alice.id}/")
    assert await _updated_at(db, alice.id) > before
    async with db.write() as conn:
        again = await set_profile_images(conn, media_site, alice.id, avatar=avatar)
    assert again.avatar_url != changed.avatar_url
    assert len(_files(media_site)) == 1  # the first avatar is gone
    async with db.read() as conn:
        assert (await get_account(conn, alice.id)).avatar_url == again.avatar_url


async def test_describing_attached_media_is_an_edit(db: Database, media_site: Site) -> None:
    alice = await make_account(db)
    media = await _upload(db, media_site, alice.id, description="old")
    other = await _upload(db, media_site, alice.id)
    post = await write_post(db, media_site, alice, "a post", media_ids=[media.id])
    async with db.write() as conn:
        unchanged = await edit_post(conn, media_site, alice, post.id,
                                    media_changes=[MediaChange(media.id, "old")])  # fmt: skip
    assert unchanged.edited_at is None  # the same words: nothing to record
    async with db.write() as conn:
        change = MediaChange(media.id, "new", "0.2,0.3")
        edited = await edit_post(conn, media_site, alice, post.id, media_changes=[change])
    assert edited.edited_at is not None
    async with db.read() as conn:
        (view,) = await hydrate(conn, alice.id, [edited])
    assert view.media[0].description == "new" and '"focus"' in view.media[0].meta_json
    async with db.write() as conn:
        with pytest.raises(ValidationFailed):  # media not on the post
            await edit_post(conn, media_site, alice, post.id,
                            media_changes=[MediaChange(other.id, "sneaky")])  # fmt: skip
