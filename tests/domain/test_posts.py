"""The rules of posting, against the real database: counters, reposts, quotes,
idempotency, edits and threads."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

from tests.conftest import unique_name
from townsquare.core.clock import utcnow
from townsquare.core.errors import Forbidden, NotFound, ValidationFailed
from townsquare.core.ids import new_id
from townsquare.domain.accounts.actions import NewAccount, register
from townsquare.domain.accounts.models import Account
from townsquare.domain.accounts.queries import get_account
from townsquare.domain.common.site import Site
from townsquare.domain.graph.actions import block, follow
from townsquare.domain.posts.actions import Draft, create_post, delete_post, edit_post
from townsquare.domain.posts.models import Status, StatusView
from townsquare.domain.posts.queries import (
    edit_history,
    hydrate,
    thread_context,
    visible_status,
)
from townsquare.domain.posts.reblogs import reblog, unreblog
from townsquare.storage.database import Database
from townsquare.storage.schema import (
    idempotency_keys,
    media_attachments,
    notifications,
    status_edits,
    statuses,
)

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # one grapheme


async def make_account(db: Database) -> Account:
    username = unique_name("p")
    async with db.write() as conn:
        return await register(
            conn,
            NewAccount(
                username=username, email=f"{username}@example.org", password="correct horse 1"
            ),
        )


async def write_post(
    db: Database, site: Site, author: Account, text: str = "hello", **draft: Any
) -> Status:
    async with db.write() as conn:
        return await create_post(conn, site, author, Draft(text=text, **draft))


async def row_of(db: Database, status_id: int) -> Any:
    """The stored row, bypassing the guard, to read counters and deletion."""
    async with db.read() as conn:
        return (await conn.execute(select(statuses).where(statuses.c.id == status_id))).one()


async def account_of(db: Database, account: Account) -> Account:
    async with db.read() as conn:
        return await get_account(conn, account.id)


async def view_of(db: Database, viewer: Account | None, post: Status) -> StatusView:
    async with db.read() as conn:
        views = await hydrate(conn, viewer.id if viewer else None, [post])
    assert len(views) == 1
    return views[0]


async def test_replies_count_and_statuses_count_follow_a_delete(db: Database, site: Site) -> None:
    alice, bob = await make_account(db), await make_account(db)
    parent = await write_post(db, site, alice, "question")
    reply = await write_post(db, site, bob, "answer", in_reply_to_id=parent.id)
    assert (await row_of(db, parent.id)).replies_count == 1
    assert (await account_of(db, bob)).statuses_count == 1
    assert reply.conversation_id == parent.id

    async with db.write() as conn:
        await delete_post(conn, bob, reply.id)
    assert (await row_of(db, parent.id)).replies_count == 0
    assert (await account_of(db, bob)).statuses_count == 0
    async with db.write() as conn:
        with pytest.raises(NotFound):
            await delete_post(conn, bob, reply.id)
    assert (await row_of(db, parent.id)).replies_count == 0


async def test_deleting_a_post_takes_its_reposts_and_their_counts(db: Database, site: Site) -> None:
    alice, bob = await make_account(db), await make_account(db)
    post = await write_post(db, site, alice)
    async with db.write() as conn:
        repost = await reblog(conn, site, bob, post.id)
    assert (await row_of(db, post.id)).reblogs_count == 1
    assert (await account_of(db, bob)).statuses_count == 1

    async with db.write() as conn:
        await delete_post(conn, alice, post.id)
    assert (await row_of(db, repost.id)).deleted_at is not None
    assert (await account_of(db, bob)).statuses_count == 0
    assert (await account_of(db, alice)).statuses_count == 0
    async with db.read() as conn:
        left = await conn.scalar(
            select(func.count())
            .select_from(notifications)
            .where(notifications.c.status_id == post.id)
        )
    assert left == 0


async def test_others_cannot_repost_a_private_post_but_its_author_can(
    db: Database, site: Site
) -> None:
    alice, bob = await make_account(db), await make_account(db)
    async with db.write() as conn:
        await follow(conn, bob, alice.id)
    private = await write_post(db, site, alice, "followers only", visibility="private")
    async with db.write() as conn:
        assert (await visible_status(conn, bob.id, private.id)).id == private.id
        with pytest.raises(Forbidden):
            await reblog(conn, site, bob, private.id)
    assert (await row_of(db, private.id)).reblogs_count == 0

    async with db.write() as conn:
        own = await reblog(conn, site, alice, private.id, "public")
    assert own.visibility == "private"  # never shown to more people than the post

    direct = await write_post(db, site, alice, f"@{bob.username} hi", visibility="direct")
    async with db.write() as conn:
        for account in (alice, bob):
            with pytest.raises(Forbidden):
                await reblog(conn, site, account, direct.id)


async def test_reposting_twice_keeps_one_repost_and_undo_restores_counts(
    db: Database, site: Site
) -> None:
    alice, bob = await make_account(db), await make_account(db)
    post = await write_post(db, site, alice)
    async with db.write() as conn:
        first = await reblog(conn, site, bob, post.id)
        second = await reblog(conn, site, bob, first.id)  # the repost's id works too
    assert first.id == second.id
    assert (await row_of(db, post.id)).reblogs_count == 1

    async with db.write() as conn:
        original = await unreblog(conn, bob, post.id)
        again = await unreblog(conn, bob, post.id)
    assert original.id == post.id
    assert original.reblogs_count == 0 and again.reblogs_count == 0
    assert (await account_of(db, bob)).statuses_count == 0
    async with db.read() as conn:
        types = (
            await conn.scalars(
                select(notifications.c.type).where(notifications.c.account_id == alice.id)
            )
        ).all()
    assert "reblog" not in types


async def test_quotes_respect_the_quoted_posts_audience(db: Database, site: Site) -> None:
    alice, bob = await make_account(db), await make_account(db)
    async with db.write() as conn:
        await follow(conn, bob, alice.id)
    private = await write_post(db, site, alice, "followers only", visibility="private")
    async with db.write() as conn:
        with pytest.raises(Forbidden):
            await create_post(conn, site, bob, Draft(text="look", quote_of_id=private.id))

    own_quote = await write_post(db, site, alice, "me again", quote_of_id=private.id)
    assert own_quote.visibility == "private"
    assert (await row_of(db, private.id)).quotes_count == 1

    public = await write_post(db, site, alice, "public words")
    quote = await write_post(db, site, bob, "so true", quote_of_id=public.id)
    assert quote.visibility == "public"
    assert (await row_of(db, public.id)).quotes_count == 1
    async with db.write() as conn:
        await delete_post(conn, bob, quote.id)
    assert (await row_of(db, public.id)).quotes_count == 0


async def test_nested_quotes_are_shallow_and_gone_quotes_say_why(db: Database, site: Site) -> None:
    alice, bob, carol, viewer = [await make_account(db) for _ in range(4)]
    original = await write_post(db, site, alice, "original")
    first = await write_post(db, site, bob, "quoting", quote_of_id=original.id)
    second = await write_post(db, site, carol, "quoting a quote", quote_of_id=first.id)

    view = await view_of(db, viewer, second)
    assert view.quote_state == "accepted" and not view.shallow_quote
    assert view.quote is not None and view.quote.status.id == first.id
    assert view.quote.shallow_quote and view.quote.quote_state == "accepted"
    assert view.quote.quote is None

    async with db.write() as conn:
        await block(conn, bob, viewer.id)
    hidden = await view_of(db, viewer, second)
    assert hidden.quote_state == "unauthorized" and hidden.quote is None

    async with db.write() as conn:
        await delete_post(conn, alice, original.id)
    gone = await view_of(db, None, first)
    assert gone.quote_state == "deleted" and gone.quote is None


async def test_an_idempotency_key_returns_the_first_post(db: Database, site: Site) -> None:
    alice = await make_account(db)
    first = await write_post(db, site, alice, "once", idempotency_key="key-1")
    again = await write_post(db, site, alice, "twice", idempotency_key="key-1")
    other = await write_post(db, site, alice, "other", idempotency_key="key-2")
    assert again.id == first.id and again.text == "once"
    assert other.id != first.id
    assert (await account_of(db, alice)).statuses_count == 2

    # someone else's key of the same name is theirs alone
    bob = await make_account(db)
    bobs = await write_post(db, site, bob, "bob", idempotency_key="key-1")
    assert bobs.id != first.id

    # a key stays for an hour; after that (or once its post is gone) it is free again
    async with db.write() as conn:
        await conn.execute(
            update(idempotency_keys)
            .where(idempotency_keys.c.status_id == first.id)
            .values(created_at=utcnow() - timedelta(hours=2))
        )
    later = await write_post(db, site, alice, "later", idempotency_key="key-1")
    assert later.id != first.id
    async with db.write() as conn:
        await delete_post(conn, alice, later.id)
    after_delete = await write_post(db, site, alice, "after", idempotency_key="key-1")
    assert after_delete.id not in (first.id, later.id)


async def test_length_counts_graphemes_and_urls_as_23(db: Database, site: Site) -> None:
    alice = await make_account(db)
    text = ("پاکستان" + FAMILY) * 62 + "زندہ باد"[:4]  # 8 * 62 + 4 = 500 graphemes
    assert len(text) > 500
    post = await write_post(db, site, alice, text)
    assert post.text == text
    with pytest.raises(ValidationFailed):
        await write_post(db, site, alice, text + FAMILY)

    url = "https://example.org/" + "a" * 300
    await write_post(db, site, alice, url + " " + "x" * (500 - 24))
    with pytest.raises(ValidationFailed):
        await write_post(db, site, alice, url + " " + "x" * (500 - 23))
    with pytest.raises(ValidationFailed):
        await write_post(db, site, alice, "  \n ")
    assert (await account_of(db, alice)).statuses_count == 2


async def test_edits_keep_versions_and_an_unchanged_edit_records_nothing(
    db: Database, site: Site
) -> None:
    alice = await make_account(db)
    post = await write_post(db, site, alice, "first #draft")
    async with db.write() as conn:
        edited = await edit_post(conn, site, alice, post.id, text="second")
        same = await edit_post(conn, site, alice, post.id, text="second")
    assert edited.edited_at is not None and edited.text == "second"
    assert same.edited_at == edited.edited_at
    async with db.write() as conn:
        await edit_post(conn, site, alice, post.id, spoiler_text="careful")
        versions = await edit_history(conn, await visible_status(conn, None, post.id))
    assert [v.text for v in versions] == ["first #draft", "second", "second"]
    assert [v.spoiler_text for v in versions] == ["", "", "careful"]
    assert versions[-1].sensitive  # a content warning makes a post sensitive

    bob = await make_account(db)
    async with db.write() as conn:
        with pytest.raises(NotFound):
            await edit_post(conn, site, bob, post.id, text="not mine")


async def test_a_refused_edit_writes_nothing(db: Database, site: Site) -> None:
    alice, bob = await make_account(db), await make_account(db)
    post = await write_post(db, site, alice, "as it was")
    bobs_media = new_id()
    async with db.write() as conn:
        await conn.execute(
            media_attachments.insert().values(
                id=bobs_media, account_id=bob.id, type="image", url="http://x.invalid/a.png",
                created_at=utcnow(),
            )
        )  # fmt: skip
        # caught inside the transaction, which then commits: the check came first
        with pytest.raises(ValidationFailed):
            await edit_post(conn, site, alice, post.id, text="changed", media_ids=[bobs_media])
        with pytest.raises(ValidationFailed):
            await edit_post(conn, site, alice, post.id, text="")
    row = await row_of(db, post.id)
    assert row.text == "as it was" and row.edited_at is None
    async with db.read() as conn:
        edits = await conn.scalar(
            select(func.count())
            .select_from(status_edits)
            .where(status_edits.c.status_id == post.id)
        )
    assert edits == 0


async def test_thread_context_leaves_out_only_what_is_hidden(db: Database, site: Site) -> None:
    alice, bob, carol, viewer = [await make_account(db) for _ in range(4)]
    root = await write_post(db, site, alice, "root")
    middle = await write_post(db, site, bob, "middle", in_reply_to_id=root.id)
    leaf = await write_post(db, site, carol, "leaf", in_reply_to_id=middle.id)
    side = await write_post(db, site, alice, "side", in_reply_to_id=root.id)

    async with db.read() as conn:
        above, below = await thread_context(conn, viewer.id, root.id)
    assert above == [] and [p.id for p in below] == [middle.id, leaf.id, side.id]

    async with db.write() as conn:
        await block(conn, viewer, bob.id)
    async with db.read() as conn:
        above, below = await thread_context(conn, viewer.id, root.id)
        assert [p.id for p in below] == [leaf.id, side.id]
        above, below = await thread_context(conn, viewer.id, leaf.id)
        assert [p.id for p in above] == [root.id] and below == []
        with pytest.raises(NotFound):
            await thread_context(conn, viewer.id, middle.id)


async def test_private_mentions_reach_only_who_they_mention(db: Database, site: Site) -> None:
    alice, bob, carol = [await make_account(db) for _ in range(3)]
    direct = await write_post(db, site, alice, f"@{bob.username} psst", visibility="direct")
    async with db.read() as conn:
        assert (await visible_status(conn, bob.id, direct.id)).id == direct.id
        for viewer in (carol.id, None):
            with pytest.raises(NotFound):
                await visible_status(conn, viewer, direct.id)
        # a reply to what one cannot see is refused as if it did not exist
    with pytest.raises(NotFound):
        await write_post(db, site, carol, "hi", in_reply_to_id=direct.id)


async def test_a_shown_post_shows_its_edited_tags_and_mentions(db: Database, site: Site) -> None:
    """Attachments are remembered per version of a post: an edit must show at once."""
    alice, bob, carol = await make_account(db), await make_account(db), await make_account(db)
    post = await write_post(db, site, alice, f"hello @{bob.username} #before")

    async def shown() -> StatusView:
        async with db.read() as conn:
            return (await hydrate(conn, None, [await visible_status(conn, None, post.id)]))[0]

    first = await shown()
    assert [t.name for t in first.tags] == ["before"]
    assert [a.id for a in first.mentions] == [bob.id]
    async with db.write() as conn:
        await edit_post(conn, site, alice, post.id, text=f"hello @{carol.username} #after")
    edited = await shown()
    assert [t.name for t in edited.tags] == ["after"]
    assert [a.id for a in edited.mentions] == [carol.id]
