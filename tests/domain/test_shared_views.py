"""Readers share the view of a plain post (``hydrate``'s memo): the shared view must
still change with the post's counters, the reader's own flags and the author's
profile, and a post with more to it than plain content is never shared."""

from __future__ import annotations

from sqlalchemy import update

from tests.domain.test_posts import make_account, write_post
from townsquare.core.clock import utcnow
from townsquare.domain.accounts.models import Account
from townsquare.domain.auth.actions import create_app
from townsquare.domain.common.site import Site
from townsquare.domain.interactions.actions import favourite
from townsquare.domain.posts.models import StatusView
from townsquare.domain.posts.queries import hydrate, visible_status
from townsquare.domain.posts.reblogs import reblog
from townsquare.storage.database import Database
from townsquare.storage.schema import accounts


async def _seen_by(db: Database, reader: Account, status_id: int) -> StatusView:
    async with db.read() as conn:
        post = await visible_status(conn, reader.id, status_id)
        (view,) = await hydrate(conn, reader.id, [post])
    return view


async def test_readers_share_a_plain_posts_view_until_something_in_it_changes(
    db: Database, site: Site
) -> None:
    author, first, second = [await make_account(db) for _ in range(3)]
    post = await write_post(db, site, author, "a plain post")

    shared = await _seen_by(db, first, post.id)
    assert await _seen_by(db, second, post.id) is shared
    assert await _seen_by(db, first, post.id) is shared

    async with db.write() as conn:
        await favourite(conn, first, post.id)
    mine, theirs = await _seen_by(db, first, post.id), await _seen_by(db, second, post.id)
    assert mine.flags.favourited and mine.status.favourites_count == 1
    assert not theirs.flags.favourited and theirs.status.favourites_count == 1
    assert mine is not theirs and theirs is not shared

    async with db.write() as conn:
        await conn.execute(
            update(accounts)
            .where(accounts.c.id == author.id)
            .values(display_name="Renamed", updated_at=utcnow())
        )
    renamed = await _seen_by(db, second, post.id)
    assert renamed.account.display_name == "Renamed"
    assert renamed is not theirs


async def test_a_post_showing_its_app_or_a_repost_is_not_shared(db: Database, site: Site) -> None:
    author, reader = await make_account(db), await make_account(db)
    async with db.write() as conn:
        app = await create_app(
            conn, name="Shared views", redirect_uris="urn:ietf:wg:oauth:2.0:oob",
            scopes="read write", website=None,
        )  # fmt: skip
    post = await write_post(db, site, author, "made with an app", application_id=app.id)
    async with db.write() as conn:
        repost = await reblog(conn, site, reader, post.id)
    # its author sees the application the post was made with; others do not
    own = await _seen_by(db, author, post.id)
    assert own.application_name == "Shared views"
    assert await _seen_by(db, author, post.id) is not own
    assert (await _seen_by(db, reader, post.id)).application_name is None
    # a repost's view holds the reader-dependent view of what it reposts
    shown = await _seen_by(db, author, repost.id)
    assert shown.reblog is not None and shown.reblog.status.id == post.id
    assert await _seen_by(db, author, repost.id) is not shown
