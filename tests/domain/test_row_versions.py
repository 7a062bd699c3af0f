"""Posts and accounts are remembered by (id, version), and the database raises a row's
version on every update of it (ADR 24): whatever an update changes, and whoever makes
it, the next read shows it, on every path that reads a remembered row."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from tests.domain.test_home_feed import account
from tests.domain.test_posts import write_post
from townsquare.domain.accounts.queries import accounts_by_ids
from townsquare.domain.auth.actions import create_app, issue_token
from townsquare.domain.auth.queries import caller_by_bearer
from townsquare.domain.common.paging import Page
from townsquare.domain.common.site import Site
from townsquare.domain.graph.actions import follow
from townsquare.domain.posts.queries import hydrate, visible_status
from townsquare.domain.timelines import feeds
from townsquare.domain.timelines.home import home_page
from townsquare.storage.database import Database
from townsquare.storage.schema import accounts, statuses


async def _version(db: Database, table: Any, row_id: int) -> int:
    async with db.read() as conn:
        found = await conn.execute(select(table.c.version).where(table.c.id == row_id))
        return int(found.scalar_one())


async def _set(db: Database, table: Any, row_id: int, **values: Any) -> None:
    """An update as any process could make it: no timestamp, no version of its own."""
    async with db.write() as conn:
        await conn.execute(update(table).where(table.c.id == row_id).values(**values))


async def test_every_update_raises_the_version_of_each_row_it_changes(db: Database) -> None:
    first, second = await account(db), await account(db)
    assert await _version(db, accounts, first.id) == 0
    await _set(db, accounts, first.id, note="one")
    await _set(db, accounts, first.id, note="two")
    assert await _version(db, accounts, first.id) == 2
    async with db.write() as conn:
        await conn.execute(
            update(accounts).where(accounts.c.id.in_([first.id, second.id])).values(bot=True)
        )
    assert await _version(db, accounts, first.id) == 3
    assert await _version(db, accounts, second.id) == 1


async def test_a_remembered_post_is_read_again_whatever_column_changed(
    db: Database, site: Site
) -> None:
    author, reader = await account(db), await account(db)
    post = await write_post(db, site, author, "before")
    for _ in range(2):  # met, then remembered
        async with db.read() as conn:
            assert (await visible_status(conn, reader.id, post.id)).spoiler_text == ""
    # neither edited_at nor a counter moves: only the version tells
    await _set(db, statuses, post.id, spoiler_text="a warning", sensitive=True)
    async with db.read() as conn:
        seen = await visible_status(conn, reader.id, post.id)
    assert (seen.spoiler_text, seen.sensitive) == ("a warning", True)
    assert await _version(db, statuses, post.id) == 1


async def test_a_remembered_account_is_read_again_on_every_path(db: Database, site: Site) -> None:
    author, reader = await account(db), await account(db)
    async with db.write() as conn:
        await follow(conn, reader, author.id)
        app = await create_app(
            conn, name="versions", redirect_uris="urn:ietf:wg:oauth:2.0:oob",
            scopes="read", website=None,
        )  # fmt: skip
        issued = await issue_token(conn, app.id, author.id, ["read"])
    await write_post(db, site, author, "in the reader's feed")
    async with db.write() as conn:
        await feeds.rebuild(conn, reader.id)

    async def names() -> tuple[str, str, str]:
        async with db.read() as conn:
            by_id = (await accounts_by_ids(conn, [author.id]))[author.id]
            found = await caller_by_bearer(conn, issued.token)
            assert found is not None and found[1] is not None
            page = await home_page(conn, reader.id, Page(limit=20))
            assert page.author_keys == [(author.id, await _version(db, accounts, author.id))]
            (view,) = await hydrate(
                conn, reader.id, page.posts, flags=page.flags, author_keys=page.author_keys
            )
            return by_id.display_name, found[1].display_name, view.account.display_name

    await names()
    assert await names() == (author.display_name,) * 3  # remembered by now
    await _set(db, accounts, author.id, display_name="Renamed")
    assert await names() == ("Renamed",) * 3
