"""Post search read in windows of the newest index matches gives, page for page, what
one query over every match gives: the same posts, in the same order, phrase first."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import update

from tests.conftest import SITE
from tests.domain.test_posts import make_account, write_post
from tests.domain.test_search import index_now
from townsquare.domain.accounts.models import Account
from townsquare.domain.common.site import Site
from townsquare.domain.graph.actions import block, mute
from townsquare.domain.posts.actions import delete_post
from townsquare.domain.search import posts
from townsquare.domain.search.parse import parse_query
from townsquare.storage.database import Database
from townsquare.storage.schema import statuses

QUERIES = (
    "alpha",
    "gamma",
    "alpha beta",
    "beta alpha",
    "alpha beta gamma",
    '"alpha beta" gamma',
    '"alpha beta"',
    '"beta alpha" beta',
    "alpha lang:en",
    "beta alpha lang:ur",
    "alpha has:media",
    "nothing",
    # detected as Urdu: posts in Urdu first within each rank (four passes of windows)
    "نئی کتاب",
    "کتاب نئی",
    '"نئی کتاب"',
    "نئی کتاب gamma",
    "موسم نئی",
    "نئی کتاب lang:fa",
)
DETECTED = ("نئی کتاب", "کتاب نئی", '"نئی کتاب"', "نئی کتاب gamma", "موسم نئی")
# the Urdu words the posts hold too: the whole query, apart, reversed, or none of it
URDU = ("نئی کتاب", "نئی کتاب موسم", "کتاب نئی", "کتاب موسم نئی", "موسم اچھا", "اچھا", "")
# (first window, windows): one match a window and a fallback straight away, a few
# small windows, and the shipped sizes (which read this test's posts in one window)
SIZES = ((1, 1), (1, 3), (2, 2), (posts.FIRST_WINDOW, posts.WINDOWS))


async def _scene(db: Database, site: Site) -> tuple[Account, list[int]]:
    """Forty posts of a few words in every order, each with a few Urdu words too, in
    English, Urdu, Persian or no language, some the reader may not see."""
    reader, friend, blocked, muted = [await make_account(db) for _ in range(4)]
    async with db.write() as conn:
        await block(conn, reader, blocked.id)
        await mute(conn, reader, muted.id)
    rng = random.Random(4)
    urdu = random.Random(23)
    written = []
    for number in range(40):
        words = rng.sample(["alpha", "beta", "gamma", "delta"], k=rng.randint(1, 4))
        words += urdu.choice(URDU).split()
        author = (friend, friend, friend, blocked, muted)[number % 5]
        visibility = "private" if number % 7 == 0 else "public"
        post = await write_post(
            db, site, author, " ".join(words), language=("en", "ur", "fa")[number % 3],
            visibility=visibility,
        )  # fmt: skip
        written.append(post)
    async with db.write() as conn:
        for number in (5, 11, 22, 31):  # the friend's
            await delete_post(conn, friend, written[number].id)
        # posts nobody named a language for rank with the other languages
        unnamed = [post.id for post in written[2::5]]
        await conn.execute(update(statuses).where(statuses.c.id.in_(unnamed)).values(language=None))
    await index_now(db, site)
    return reader, [post.id for post in written]


async def _one_query(
    db: Database, reader: Account, q: str, **paging: int
) -> tuple[list[int], list[int]]:
    """The windowed answer and the answer of one query over every match."""
    parsed = parse_query(q)
    async with db.read() as conn:
        windowed = await posts.search_statuses(
            conn, reader.id, parsed, languages=SITE.languages, **paging
        )
        below, above = posts._bounds(parsed, paging.get("max_id"), paging.get("min_id"))
        conditions = posts._conditions(
            reader.id, parsed, account_id=None, local_domain="", below=below, above=above
        )
        whole = await posts._narrow(
            conn, parsed, conditions, limit=paging.get("limit", 20),
            offset=paging.get("offset", 0), preferred=posts.query_language(parsed, SITE.languages),
        )  # fmt: skip
    return [p.id for p in windowed], [p.id for p in whole]


@pytest.mark.parametrize(("first", "windows"), SIZES)
async def test_windows_page_like_one_query_over_every_match(
    db: Database, site: Site, monkeypatch: pytest.MonkeyPatch, first: int, windows: int
) -> None:
    reader, ids = await _scene(db, site)
    monkeypatch.setattr(posts, "FIRST_WINDOW", first)
    monkeypatch.setattr(posts, "WINDOWS", windows)
    for q in DETECTED:
        assert posts.query_language(parse_query(q), SITE.languages) == "ur", q
    compared = 0
    for q in QUERIES:
        everything, whole = await _one_query(db, reader, q, limit=40)
        assert everything == whole, q
        if q in DETECTED:  # the language ranks moved posts, or they were not tested
            async with db.read() as conn:
                unranked = await posts.search_statuses(conn, reader.id, parse_query(q), limit=40)
            assert sorted(p.id for p in unranked) == sorted(whole) != [p.id for p in unranked], q
        compared += len(whole)
        for limit in (1, 3, 7):
            for offset in range(0, len(whole) + 2, 2):
                got, expected = await _one_query(db, reader, q, limit=limit, offset=offset)
                assert got == expected, (q, limit, offset)
        for edge in ids[::6]:
            for paging in ({"max_id": edge}, {"min_id": edge}, {"max_id": edge, "offset": 1}):
                got, expected = await _one_query(db, reader, q, limit=3, **paging)
                assert got == expected, (q, paging)
    assert compared > 30  # the queries found posts to compare


async def test_pages_deeper_than_the_windows_go_to_the_fallback(
    db: Database, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    reader, _ids = await _scene(db, site)
    monkeypatch.setattr(posts, "DEEPEST_WINDOWED", 5)
    for q in ("alpha", "alpha beta", "نئی کتاب"):
        for offset in (0, 3, 5, 9, 30):
            got, expected = await _one_query(db, reader, q, limit=3, offset=offset)
            assert got == expected, (q, offset)
        # the largest offset the API lets through
        got, expected = await _one_query(db, reader, q, limit=40, offset=2**63 - 1)
        assert got == expected == []


async def test_phrase_matches_lead_across_windows(
    db: Database, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An old phrase match still comes before every newer post with the words apart,
    even when those fill many windows first."""
    author = await make_account(db)
    phrase = await write_post(db, site, author, "green tea at last")
    apart = [await write_post(db, site, author, f"tea {n} green") for n in range(12)]
    await index_now(db, site)
    monkeypatch.setattr(posts, "FIRST_WINDOW", 1)
    monkeypatch.setattr(posts, "WINDOWS", 2)
    async with db.read() as conn:
        first = await posts.search_statuses(conn, author.id, parse_query("green tea"), limit=2)
        second = await posts.search_statuses(
            conn, author.id, parse_query("green tea"), limit=2, offset=2
        )
    assert [p.id for p in first] == [phrase.id, apart[-1].id]
    assert [p.id for p in second] == [apart[-2].id, apart[-3].id]
