"""Chosen languages (Mastodon's chosen_languages) on public surfaces, on either engine."""

from __future__ import annotations

import pytest

from tests.conftest import unique_name
from townsquare.core.errors import ValidationFailed
from townsquare.domain.accounts.actions import NewAccount, register
from townsquare.domain.accounts.models import Account
from townsquare.domain.common.paging import Page
from townsquare.domain.common.site import Site
from townsquare.domain.graph.actions import follow
from townsquare.domain.languages.choices import choose_languages, chosen_languages
from townsquare.domain.posts.actions import Draft, create_post
from townsquare.domain.search.queries import search
from townsquare.domain.timelines.home import home_timeline
from townsquare.domain.timelines.queries import public_timeline, tag_timeline
from townsquare.jobs.worker import Worker
from townsquare.storage.database import Database


async def _account(db: Database) -> Account:
    name = unique_name("lang")
    async with db.write() as conn:
        return await register(
            conn, NewAccount(username=name, email=f"{name}@example.org", password="pw-long-enough1")
        )


async def test_chosen_languages_keep_public_tag_and_search_to_them(
    db: Database, site: Site
) -> None:
    author, reader, other = await _account(db), await _account(db), await _account(db)
    tag = unique_name("bazaar")
    async with db.write() as conn:
        english = await create_post(
            conn, site, author, Draft(text=f"Market day #{tag} zeitgeist", language="en")
        )
        urdu = await create_post(
            conn, site, author, Draft(text=f"آج بازار کا دن ہے #{tag} zeitgeist", language="ur")
        )
        unknown = await create_post(conn, site, author, Draft(text=f"#{tag} zeitgeist 123"))
        await follow(conn, reader, author.id)
        assert await choose_languages(conn, reader.id, ["ur"], site.languages) == ("ur",)
    await Worker(db, site).run_until_idle()  # home feeds and the search index
    async with db.read() as conn:
        assert unknown.language is None
        assert await chosen_languages(conn, reader.id) == ("ur",)
        everyone = [s.id for s in await public_timeline(conn, other.id, Page(limit=40))]
        chosen = [s.id for s in await public_timeline(conn, reader.id, Page(limit=40))]
        tagged = [s.id for s in await tag_timeline(conn, reader.id, tag, Page(limit=40))]
        found = [s.id for s in (await search(conn, reader.id, "zeitgeist")).statuses]
        home = [s.id for s in await home_timeline(conn, reader.id, Page(limit=40))]
        asked = await public_timeline(conn, reader.id, Page(limit=40), language="en")
    assert {english.id, urdu.id, unknown.id} <= set(everyone)
    assert urdu.id in chosen and unknown.id in chosen and english.id not in chosen
    assert tagged == [unknown.id, urdu.id]
    assert sorted(found) == sorted([unknown.id, urdu.id])
    # home is what one follows, in any language; an explicit lang= is asked for
    assert {english.id, urdu.id} <= set(home)
    assert english.id in [s.id for s in asked]


async def test_an_empty_choice_shows_every_language_and_own_posts_are_found(
    db: Database, site: Site
) -> None:
    reader = await _account(db)
    word = unique_name("quokka")
    async with db.write() as conn:
        own = await create_post(conn, site, reader, Draft(text=f"my {word} post", language="en"))
        await choose_languages(conn, reader.id, ["ur"], site.languages)
    await Worker(db, site).run_until_idle()
    async with db.read() as conn:
        # the author finds their own English post whatever they chose to read
        assert [s.id for s in (await search(conn, reader.id, word)).statuses] == [own.id]
        assert own.id not in [s.id for s in await public_timeline(conn, reader.id, Page())]
    async with db.write() as conn:
        assert await choose_languages(conn, reader.id, [], site.languages) == ()
    async with db.read() as conn:
        assert own.id in [s.id for s in await public_timeline(conn, reader.id, Page())]


async def test_unknown_languages_are_refused_and_nothing_changes(db: Database, site: Site) -> None:
    reader = await _account(db)
    async with db.write() as conn:
        await choose_languages(conn, reader.id, ["fa"], site.languages)
    with pytest.raises(ValidationFailed, match="Unknown language: xx"):
        async with db.write() as conn:
            await choose_languages(conn, reader.id, ["en", "xx"], site.languages)
    async with db.read() as conn:
        assert await chosen_languages(conn, reader.id) == ("fa",)
