"""Home feeds filled on write (ADR 11): the SQL feed store.

Each local account with a row in ``home_feeds`` has entries for every post by itself or
an account it follows whose id is above its ``horizon_id``. Writes keep that true:

- a new post or repost is copied to its author's feed and its followers' feeds (in the
  same transaction for ordinary accounts; as a durable job above
  ``FANOUT_INLINE_MAX`` followers, as Mastodon does for everyone), except followers
  who put the author in an exclusive list or follow them for other languages
  (``languages[]``); a new public post also goes to the feeds of those following one of
  its hashtags (ADR 22);
- a new follow copies the followed account's newest posts (in its languages) in, and
  raises the horizon when there were more than it copies;
- trimming keeps the newest ``FEED_MAX`` entries and raises the horizon to match.

Entries are only candidates: the home timeline still applies its rules and the guard
when it reads them, so a block, a mute, a deletion or an unfollow takes effect at once
even before the entries go. Pages below the horizon are merged on read.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Select,
    bindparam,
    case,
    delete,
    func,
    literal,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.domain.timelines.conditions import in_follow_languages, with_followed_tag
from townsquare.domain.timelines.home import home_candidate_ids
from townsquare.storage.jobs import enqueue
from townsquare.storage.schema import (
    accounts,
    followed_tags,
    follows,
    home_feed_entries,
    home_feeds,
    list_accounts,
    lists,
    status_tags,
    statuses,
)

# Entries kept per account, as Mastodon keeps 800 per home feed.
FEED_MAX = 800
# Trimming waits until a feed is this much over, so that it runs in batches.
TRIM_SLACK = 200
# Newest posts of a newly followed account copied into the follower's feed.
FOLLOW_BACKFILL = 400
# Authors with more followers than this reach them through a job, not in the request.
FANOUT_INLINE_MAX = 1000
FAN_OUT_JOB = "fan_out_home"
TRIM_JOB = "trim_home_feeds"
# About one post in this many also asks for the feeds to be trimmed.
TRIM_EVERY = 1024
_MIX = 0x9E3779B97F4A7C15  # 2**64 / golden ratio: spreads ids' bits over the top ones
_U64 = (1 << 64) - 1


def asks_for_trim(status_id: int) -> bool:
    """About one id in ``TRIM_EVERY``, whatever its low bits hold (a process's id node
    puts the same bits there for every first id of a millisecond)."""
    return ((status_id * _MIX) & _U64) * TRIM_EVERY >> 64 == 0


def _inserting_ignored(dialect: str, rows: Select[Any]) -> Any:
    """The insert of ``(account_id, status_id)`` rows that skips those already there (a
    job may run twice)."""
    columns = ["account_id", "status_id"]
    if dialect == "sqlite":
        statement: Any = sqlite.insert(home_feed_entries).from_select(columns, rows)
    else:
        statement = postgresql.insert(home_feed_entries).from_select(columns, rows)
    return statement.on_conflict_do_nothing()


async def _insert_ignoring(conn: AsyncConnection, rows: Select[Any]) -> None:
    await conn.execute(_inserting_ignored(conn.dialect.name, rows))


async def horizon_of(conn: AsyncConnection, account_id: int) -> int | None:
    return await conn.scalar(
        select(home_feeds.c.horizon_id).where(home_feeds.c.account_id == account_id)
    )


async def start_feed(conn: AsyncConnection, account_id: int, horizon_id: int = 0) -> None:
    """Give a new local account a feed (it follows nobody yet, so any horizon is true)."""
    await conn.execute(home_feeds.insert().values(account_id=account_id, horizon_id=horizon_id))


# A new post's id and author, bound when the delivery runs: the statements below are
# built once per dialect, so a post does not pay for building them and their cache key.
_POST = bindparam("status_id", type_=home_feed_entries.c.status_id.type)
_AUTHOR = bindparam("author_id", type_=statuses.c.account_id.type)


def _recipients(*, followers: bool = True) -> Select[Any]:
    """Feeds that should hold a new post, where the post is above the horizon: the
    author's, and (with ``followers``) their followers'."""
    own = select(home_feeds.c.account_id.label("account_id")).where(
        home_feeds.c.account_id == _AUTHOR, home_feeds.c.horizon_id < _POST
    )
    chosen: Select[Any] | CompoundSelect[Any] = own
    if followers:
        excluding = (
            select(lists.c.account_id)
            .join(list_accounts, list_accounts.c.list_id == lists.c.id)
            .where(list_accounts.c.account_id == _AUTHOR, lists.c.exclusive)
        )
        # The post itself is joined once, by its key, for its language: followers who
        # asked for other languages (``languages[]``) are left out, as Mastodon leaves
        # them out at push time. A repost is judged by its own row, whose language is
        # never set (``reblog`` does not copy the original's), so it reaches every
        # follower.
        theirs = (
            select(follows.c.account_id.label("account_id"))
            .join(home_feeds, home_feeds.c.account_id == follows.c.account_id)
            .join(statuses, statuses.c.id == _POST)
            .where(
                follows.c.target_account_id == _AUTHOR,
                home_feeds.c.horizon_id < _POST,
                follows.c.account_id.not_in(excluding),
                in_follow_languages(follows.c.languages, statuses.c.language),
            )
        )
        chosen = union_all(theirs, own, _tag_followers())
    feeds = chosen.subquery()
    # SQLite parses "SELECT ... FROM (...) ON CONFLICT" as a join without a WHERE
    return select(feeds.c.account_id, _POST).where(true())


def _tag_followers() -> Select[Any]:
    """Feeds of accounts following a hashtag of the post, when it is a public original
    (repeats are fine: the insert skips entries already there)."""
    return (
        select(followed_tags.c.account_id.label("account_id"))
        .join(status_tags, status_tags.c.tag_id == followed_tags.c.tag_id)
        .join(statuses, statuses.c.id == status_tags.c.status_id)
        .join(home_feeds, home_feeds.c.account_id == followed_tags.c.account_id)
        .where(
            status_tags.c.status_id == _POST,
            statuses.c.visibility == "public",
            statuses.c.reblog_of_id.is_(None),
            followed_tags.c.account_id != _AUTHOR,
            home_feeds.c.horizon_id < _POST,
        )
    )


@cache
def _delivery(dialect: str, *, followers: bool) -> Any:
    return _inserting_ignored(dialect, _recipients(followers=followers))


async def deliver(
    conn: AsyncConnection, status_id: int, author_id: int, *, followers: bool = True
) -> None:
    """Copy a post into its author's feed and (with ``followers``) its followers' feeds
    (idempotent)."""
    await conn.execute(
        _delivery(conn.dialect.name, followers=followers),
        {"status_id": status_id, "author_id": author_id},
    )


async def fan_out(conn: AsyncConnection, status_id: int, author_id: int) -> None:
    """Put a new post or repost on the homes it belongs on, in this transaction when the
    author has few enough followers, else through a durable job (the author's own feed
    always at once)."""
    followers = await conn.scalar(
        select(accounts.c.followers_count).where(accounts.c.id == author_id)
    )
    if (followers or 0) <= FANOUT_INLINE_MAX:
        await deliver(conn, status_id, author_id)
    else:
        await deliver(conn, status_id, author_id, followers=False)
        await enqueue(conn, FAN_OUT_JOB, {"status_id": status_id, "author_id": author_id})
    if asks_for_trim(status_id):
        await enqueue(conn, TRIM_JOB, {})


async def backfill(conn: AsyncConnection, account_id: int, target_id: int) -> None:
    """After ``account_id`` follows ``target_id``: copy the target's newest posts in. When
    the target has more above the horizon than are copied, the horizon rises to the
    oldest copied, so the feed stays complete above it."""
    horizon = await horizon_of(conn, account_id)
    if horizon is None:
        return
    # only posts in the follow's languages, if it names some: the horizon then keeps
    # the feed complete in what fan-out would have brought
    languages = select(follows.c.languages).where(
        follows.c.account_id == account_id, follows.c.target_account_id == target_id
    )
    ids = list(
        (
            await conn.execute(
                select(statuses.c.id)
                .where(
                    statuses.c.account_id == target_id,
                    statuses.c.id > horizon,
                    in_follow_languages(languages.scalar_subquery(), statuses.c.language),
                )
                .order_by(statuses.c.id.desc())
                .limit(FOLLOW_BACKFILL + 1)
            )
        ).scalars()
    )
    kept = ids[:FOLLOW_BACKFILL]
    if kept:
        await _insert_ignoring(
            conn,
            select(
                literal(account_id, home_feed_entries.c.account_id.type),
                statuses.c.id,
            ).where(statuses.c.id.in_(kept)),
        )
    if len(ids) > FOLLOW_BACKFILL:
        await _raise_horizon(conn, account_id, kept[-1] - 1)


async def forget(conn: AsyncConnection, account_id: int, target_id: int) -> None:
    """After ``account_id`` stops following ``target_id``: drop the target's entries (the
    read already leaves them out; this frees the room)."""
    horizon = select(home_feeds.c.horizon_id).where(home_feeds.c.account_id == account_id)
    authored = select(statuses.c.id).where(
        statuses.c.account_id == target_id, statuses.c.id > horizon.scalar_subquery()
    )
    await conn.execute(
        delete(home_feed_entries).where(
            home_feed_entries.c.account_id == account_id,
            home_feed_entries.c.status_id.in_(authored),
        )
    )


async def _raise_horizon(conn: AsyncConnection, account_id: int, horizon_id: int) -> None:
    await conn.execute(
        update(home_feeds)
        .where(home_feeds.c.account_id == account_id, home_feeds.c.horizon_id < horizon_id)
        .values(horizon_id=horizon_id)
    )


async def trim(conn: AsyncConnection, account_id: int, keep: int = FEED_MAX) -> None:
    """Keep the newest ``keep`` entries of one feed; the horizon rises to match."""
    cutoff = await conn.scalar(
        select(home_feed_entries.c.status_id)
        .where(home_feed_entries.c.account_id == account_id)
        .order_by(home_feed_entries.c.status_id.desc())
        .offset(keep - 1)
        .limit(1)
    )
    if cutoff is None:
        return
    await conn.execute(
        delete(home_feed_entries).where(
            home_feed_entries.c.account_id == account_id, home_feed_entries.c.status_id < cutoff
        )
    )
    await _raise_horizon(conn, account_id, cutoff - 1)


async def overfull_feeds(conn: AsyncConnection, slack: int = TRIM_SLACK) -> list[int]:
    rows = await conn.execute(
        select(home_feed_entries.c.account_id)
        .group_by(home_feed_entries.c.account_id)
        .having(func.count() > FEED_MAX + slack)
    )
    return list(rows.scalars())


async def rebuild(conn: AsyncConnection, account_id: int) -> int:
    """Refill one local account's feed with its newest ``FEED_MAX`` candidates: complete
    above the oldest of them when there are that many, complete altogether when not.
    Returns how many entries it holds."""
    newest = await home_candidate_ids(conn, account_id, FEED_MAX)
    await conn.execute(
        delete(home_feed_entries).where(home_feed_entries.c.account_id == account_id)
    )
    horizon = newest[-1] - 1 if len(newest) >= FEED_MAX else 0
    if await horizon_of(conn, account_id) is None:
        await start_feed(conn, account_id, horizon)
    else:
        await conn.execute(
            update(home_feeds)
            .where(home_feeds.c.account_id == account_id)
            .values(horizon_id=horizon)
        )
    if newest:
        await _insert_ignoring(
            conn,
            select(literal(account_id, home_feed_entries.c.account_id.type), statuses.c.id).where(
                statuses.c.id.in_(newest)
            ),
        )
        await drop_exclusive(conn, account_id)
        await drop_other_languages(conn, account_id)
    return len(newest)


async def drop_exclusive(conn: AsyncConnection, account_id: int | None = None) -> None:
    """Take the posts of accounts in an owner's exclusive lists out of the owner's feed
    (of ``account_id``'s, or of every feed): what fan-out leaves out, a rebuild must too."""
    entry = home_feed_entries
    excluded = (
        select(statuses.c.id)
        .join(list_accounts, list_accounts.c.account_id == statuses.c.account_id)
        .join(lists, lists.c.id == list_accounts.c.list_id)
        .where(
            statuses.c.id == entry.c.status_id,
            lists.c.account_id == entry.c.account_id,
            lists.c.exclusive,
        )
    )
    query = delete(entry).where(excluded.exists())
    if account_id is not None:
        query = query.where(entry.c.account_id == account_id)
    await conn.execute(query)


async def drop_other_languages(conn: AsyncConnection, account_id: int | None = None) -> None:
    """Take out of an owner's feed (``account_id``'s, or every one) the posts of followed
    accounts in languages other than the follow names, unless a hashtag the owner
    follows brought them: what fan-out leaves out, a rebuild must too."""
    entry = home_feed_entries
    excluded = (
        select(statuses.c.id)
        .join(follows, follows.c.target_account_id == statuses.c.account_id)
        .where(
            statuses.c.id == entry.c.status_id,
            follows.c.account_id == entry.c.account_id,
            ~in_follow_languages(follows.c.languages, statuses.c.language),
            ~with_followed_tag(entry.c.account_id),
        )
    )
    query = delete(entry).where(excluded.exists())
    if account_id is not None:
        query = query.where(entry.c.account_id == account_id)
    await conn.execute(query)


def local_accounts() -> Select[int]:
    return select(accounts.c.id).where(accounts.c.domain == "").order_by(accounts.c.id)


async def rebuild_all(conn: AsyncConnection) -> int:
    """Every local account's feed rebuilt in two statements (after a bulk import, with
    nothing else writing): the same entries and horizons as ``rebuild`` per account."""
    local = select(accounts.c.id).where(accounts.c.domain == "")
    readers = union_all(
        select(
            follows.c.account_id.label("reader"), follows.c.target_account_id.label("author")
        ).where(follows.c.account_id.in_(local)),
        select(accounts.c.id.label("reader"), accounts.c.id.label("author")).where(
            accounts.c.domain == ""
        ),
    ).subquery()
    ranked = (
        select(
            readers.c.reader,
            statuses.c.id.label("status_id"),
            func.row_number()
            .over(partition_by=readers.c.reader, order_by=statuses.c.id.desc())
            .label("rank"),
        )
        .join(statuses, statuses.c.account_id == readers.c.author)
        .subquery()
    )
    await conn.execute(delete(home_feed_entries))
    await conn.execute(delete(home_feeds))
    await conn.execute(
        home_feed_entries.insert().from_select(
            ["account_id", "status_id"],
            select(ranked.c.reader, ranked.c.status_id).where(ranked.c.rank <= FEED_MAX),
        )
    )
    kept = (
        select(
            home_feed_entries.c.account_id,
            func.count().label("entries"),
            func.min(home_feed_entries.c.status_id).label("oldest"),
        )
        .group_by(home_feed_entries.c.account_id)
        .subquery()
    )
    horizon = (
        select(
            case((kept.c.entries >= FEED_MAX, kept.c.oldest - 1), else_=literal(0)),
        )
        .where(kept.c.account_id == accounts.c.id)
        .scalar_subquery()
    )
    await conn.execute(
        home_feeds.insert().from_select(
            ["account_id", "horizon_id"],
            select(accounts.c.id, func.coalesce(horizon, 0)).where(accounts.c.domain == ""),
        )
    )
    await drop_exclusive(conn)
    await drop_other_languages(conn)
    return int(await conn.scalar(select(func.count()).select_from(home_feed_entries)) or 0)
