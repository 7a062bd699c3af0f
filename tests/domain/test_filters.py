"""Filters v2 in the domain, on either engine: writes of one's own filters only, checked
input, and their application to loaded posts (warn carries the match, hide drops)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from tests.conftest import unique_name
from townsquare.core.clock import utcnow
from townsquare.core.errors import NotFound, ValidationFailed
from townsquare.domain.accounts.actions import NewAccount, register
from townsquare.domain.accounts.models import Account
from townsquare.domain.accounts.remembered import remembered_accounts
from townsquare.domain.common.paging import Page
from townsquare.domain.common.site import Site
from townsquare.domain.filters.actions import (
    add_filter_status,
    add_keyword,
    create_filter,
    delete_filter,
    delete_filter_status,
    delete_keyword,
    update_filter,
    update_keyword,
)
from townsquare.domain.filters.apply import filter_views
from townsquare.domain.filters.models import FilterChange, KeywordChange
from townsquare.domain.filters.queries import filter_of, filters_for, filters_of
from townsquare.domain.graph.actions import follow
from townsquare.domain.posts.actions import Draft, create_post
from townsquare.domain.posts.queries import hydrate
from townsquare.domain.posts.reblogs import reblog
from townsquare.domain.timelines.home import home_timeline
from townsquare.jobs.worker import Worker
from townsquare.storage.database import Database


async def _account(db: Database) -> Account:
    name = unique_name("filt")
    async with db.write() as conn:
        return await register(
            conn, NewAccount(username=name, email=f"{name}@example.org", password="pw-long-enough1")
        )


async def test_filters_are_created_changed_and_deleted(db: Database) -> None:
    owner = await _account(db)
    async with db.write() as conn:
        made = await create_filter(
            conn,
            owner.id,
            title="  Fruit ",
            context=["public", "home", "home"],
            action="hide",
            expires_in=3600,
            keywords=[("durian", True), ("کتاب", False)],
        )
    assert made.title == "Fruit" and made.context == ("home", "public")
    assert made.action == "hide" and made.expires_at is not None
    assert [(k.keyword, k.whole_word) for k in made.keywords] == [("durian", True), ("کتاب", False)]
    first, second = made.keywords
    async with db.write() as conn:
        changed = await update_filter(
            conn,
            owner.id,
            made.id,
            FilterChange(title="Fruit 2", context=("thread",), action="blur", clear_expiry=True),
            [
                KeywordChange(first.id, "jackfruit", False),
                KeywordChange(second.id, None, None, destroy=True),
                KeywordChange(None, "kumquat", True),
            ],
        )
    assert (changed.title, changed.context, changed.action, changed.expires_at) == (
        "Fruit 2",
        ("thread",),
        "blur",
        None,
    )
    assert [(k.keyword, k.whole_word) for k in changed.keywords] == [
        ("jackfruit", False),
        ("kumquat", True),
    ]
    async with db.write() as conn:
        added = await add_keyword(conn, owner.id, made.id, "guava", False)
        edited = await update_keyword(conn, owner.id, added.id, None, True)
        assert edited.whole_word and edited.keyword == "guava"
        await delete_keyword(conn, owner.id, added.id)
        await delete_filter(conn, owner.id, made.id)
    async with db.read() as conn:
        assert await filters_of(conn, owner.id) == []


async def test_someone_elses_filter_is_not_found(db: Database, site: Site) -> None:
    owner, other = await _account(db), await _account(db)
    async with db.write() as conn:
        made = await create_filter(
            conn, owner.id, title="Mine", context=["home"], keywords=[("x", False)]
        )
        post = await create_post(conn, site, owner, Draft(text="hello"))
    calls = [
        lambda conn: filter_of(conn, other.id, made.id),
        lambda conn: update_filter(conn, other.id, made.id, FilterChange(title="x")),
        lambda conn: delete_filter(conn, other.id, made.id),
        lambda conn: add_keyword(conn, other.id, made.id, "y", False),
        lambda conn: update_keyword(conn, other.id, made.keywords[0].id, "z", None),
        lambda conn: delete_keyword(conn, other.id, made.keywords[0].id),
        lambda conn: add_filter_status(conn, other.id, made.id, post.id),
        # a keyword id of another filter inside keywords_attributes
        lambda conn: update_filter(
            conn, owner.id, made.id, FilterChange(), [KeywordChange(12345, "a", None)]
        ),
    ]
    for call in calls:
        with pytest.raises(NotFound):
            async with db.write() as conn:
                await call(conn)
    async with db.write() as conn:
        entry = await add_filter_status(conn, owner.id, made.id, post.id)
    with pytest.raises(NotFound):
        async with db.write() as conn:
            await delete_filter_status(conn, other.id, entry.id)
    async with db.read() as conn:
        assert (await filter_of(conn, owner.id, made.id)).title == "Mine"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 300}, "title"),
        ({"context": []}, "context"),
        ({"context": ["home", "everywhere"]}, "context"),
        ({"action": "delete"}, "filter_action"),
        ({"expires_in": 0}, "expires_in"),
        ({"expires_in": -5}, "expires_in"),
        ({"keywords": [("  ", False)]}, "keyword"),
    ],
)
async def test_bad_input_is_refused_and_writes_nothing(
    db: Database, fields: dict[str, object], field: str
) -> None:
    owner = await _account(db)
    arguments: dict[str, object] = {"title": "Fine", "context": ["home"], **fields}
    with pytest.raises(ValidationFailed) as raised:
        async with db.write() as conn:
            await create_filter(conn, owner.id, **arguments)  # type: ignore[arg-type]
    assert field in raised.value.details
    async with db.read() as conn:
        assert await filters_of(conn, owner.id) == []


async def test_a_post_is_put_under_a_filter_once(db: Database, site: Site) -> None:
    owner = await _account(db)
    async with db.write() as conn:
        made = await create_filter(conn, owner.id, title="Posts", context=["thread"])
        post = await create_post(conn, site, owner, Draft(text="hello"))
        await add_filter_status(conn, owner.id, made.id, post.id)
    with pytest.raises(ValidationFailed):
        async with db.write() as conn:
            await add_filter_status(conn, owner.id, made.id, post.id)
    with pytest.raises(NotFound):
        async with db.write() as conn:
            await add_filter_status(conn, owner.id, made.id, 424242)


async def test_home_posts_are_warned_or_hidden_and_reposts_match_too(
    db: Database, site: Site
) -> None:
    reader, author, booster = await _account(db), await _account(db), await _account(db)
    async with db.write() as conn:
        await follow(conn, reader, author.id)
        await follow(conn, reader, booster.id)
        warned = await create_post(conn, site, author, Draft(text="یہ كتاب پڑھو"))
        spoiled = await create_post(
            conn, site, author, Draft(text="nothing to see", spoiler_text="Durian ahead")
        )
        plain = await create_post(conn, site, author, Draft(text="a quiet day"))
        hidden_inner = await create_post(conn, site, author, Draft(text="jackfruit jam"))
    async with db.write() as conn:
        boost = await reblog(conn, site, booster, hidden_inner.id)
    await Worker(db, site).run_until_idle()
    async with db.write() as conn:
        warn = await create_filter(
            conn,
            reader.id,
            title="Books",
            context=["home"],
            keywords=[("کتاب", True), ("durian", True)],
        )
        await create_filter(
            conn, reader.id, title="Jam", context=["home"], action="hide",
            keywords=[("jackfruit", False)],
        )  # fmt: skip
        await create_filter(
            conn, reader.id, title="Elsewhere", context=["public"], action="hide",
            keywords=[("quiet", False)],
        )  # fmt: skip
    async with db.read() as conn:
        me = (await remembered_accounts(conn, [reader.id]))[reader.id]
        posts = await home_timeline(conn, reader.id, Page(limit=40))
        views = filter_views(
            await hydrate(conn, reader.id, posts), await filters_for(conn, me), "home"
        )
    shown = {view.status.id: view for view in views}
    assert plain.id in shown and not shown[plain.id].filtered
    assert boost.id not in shown and hidden_inner.id not in shown
    assert [m.filter.id for m in shown[warned.id].filtered] == [warn.id]
    assert shown[warned.id].filtered[0].keyword_matches == ("کتاب",)
    assert shown[spoiled.id].filtered[0].keyword_matches == ("durian",)


async def test_a_reader_without_filters_costs_no_query_and_changes_are_seen(
    db: Database, site: Site
) -> None:
    reader = await _account(db)
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    async with db.read() as conn:
        me = (await remembered_accounts(conn, [reader.id]))[reader.id]
        assert await filters_for(conn, me) == ()
        again = (await remembered_accounts(conn, [reader.id]))[reader.id]
        assert again is me  # nothing changed: the same remembered account
        event.listen(db.engine.sync_engine, "before_cursor_execute", count)
        try:
            assert await filters_for(conn, again) == ()
        finally:
            event.remove(db.engine.sync_engine, "before_cursor_execute", count)
    assert statements == []  # the second page of a reader without filters asks nothing
    async with db.write() as conn:
        made = await create_filter(
            conn, reader.id, title="Soon", context=["home"], keywords=[("x", False)],
            expires_in=60,
        )  # fmt: skip
    async with db.read() as conn:
        fresh = (await remembered_accounts(conn, [reader.id]))[reader.id]
        assert fresh is not me
        assert [f.id for f in await filters_for(conn, fresh)] == [made.id]
    # an expired filter is listed but applies to nothing
    post_time = utcnow() + timedelta(seconds=120)
    author = await _account(db)
    async with db.write() as conn:
        post = await create_post(conn, site, author, Draft(text="x marks the spot"))
    async with db.read() as conn:
        views = await hydrate(conn, reader.id, [post])
        found = await filters_for(conn, fresh)
    assert filter_views(views, found, "home")[0].filtered
    assert filter_views(views, found, "home", now=post_time)[0].filtered == ()
