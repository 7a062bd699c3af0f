"""Search over accounts, hashtags and posts, without a search engine.

Accounts match on a username prefix or a display-name substring, hashtags on a prefix
of their matching key (so Urdu and Arabic spellings meet), posts on a case-insensitive
substring of their text. Posts are searched only for signed-in people, as Mastodon
does, and only among those the guard lets them see.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.normalize import match_key
from townsquare.domain.accounts.models import Account
from townsquare.domain.accounts.queries import escape_like, search_accounts
from townsquare.domain.posts.models import Status, Tag
from townsquare.domain.visibility.access import account_hidden, can_see, not_muted
from townsquare.storage.schema import accounts, statuses, tags

SEARCH_TYPES = ("accounts", "hashtags", "statuses")
MAX_QUERY_LENGTH = 500


@dataclass(frozen=True, slots=True)
class SearchResults:
    accounts: list[Account] = field(default_factory=list)
    hashtags: list[Tag] = field(default_factory=list)
    statuses: list[Status] = field(default_factory=list)


def _is_url(query: str) -> bool:
    return query.startswith(("https://", "http://")) and " " not in query


async def _hashtags(conn: AsyncConnection, query: str, *, limit: int, offset: int) -> list[Tag]:
    key = match_key(query.strip().removeprefix("#"))
    if not key:
        return []
    rows = await conn.execute(
        select(tags.c.id, tags.c.name)
        .where(tags.c.name_key.like(f"{escape_like(key)}%", escape="\\"))
        .order_by(
            case((tags.c.name_key == key, 0), else_=1),
            func.length(tags.c.name_key),
            tags.c.name_key,
        )
        .limit(limit)
        .offset(offset)
    )
    return [Tag(row.id, row.name) for row in rows]


async def _statuses(
    conn: AsyncConnection,
    viewer_id: int,
    query: str,
    *,
    limit: int,
    offset: int,
    account_id: int | None,
    max_id: int | None,
    min_id: int | None,
) -> list[Status]:
    found = select(statuses).where(
        statuses.c.reblog_of_id.is_(None),
        statuses.c.text.ilike(f"%{escape_like(query.strip())}%", escape="\\"),
        can_see(viewer_id),
        not_muted(viewer_id),
    )
    if account_id is not None:
        found = found.where(statuses.c.account_id == account_id)
    if max_id is not None:
        found = found.where(statuses.c.id < max_id)
    if min_id is not None:
        found = found.where(statuses.c.id > min_id)
    rows = await conn.execute(found.order_by(statuses.c.id.desc()).limit(limit).offset(offset))
    return [Status.from_row(row) for row in rows]


async def _by_url(conn: AsyncConnection, viewer_id: int | None, url: str) -> SearchResults:
    """A post or account named by its address (``url`` or ActivityPub ``uri``)."""
    post = (
        await conn.execute(
            select(statuses)
            .where(or_(statuses.c.url == url, statuses.c.uri == url), can_see(viewer_id))
            .limit(1)
        )
    ).first()
    account = (
        await conn.execute(
            select(accounts).where(accounts.c.uri == url, ~account_hidden(viewer_id)).limit(1)
        )
    ).first()
    return SearchResults(
        accounts=[Account.from_row(account)] if account else [],
        statuses=[Status.from_row(post)] if post and post.reblog_of_id is None else [],
    )


async def search(
    conn: AsyncConnection,
    viewer_id: int | None,
    q: str,
    *,
    type: str | None = None,
    limit: int = 20,
    offset: int = 0,
    account_id: int | None = None,
    following: bool = False,
    resolve: bool = False,
    max_id: int | None = None,
    min_id: int | None = None,
) -> SearchResults:
    """Accounts, hashtags and posts matching ``q``; ``type`` narrows to one kind.

    As in Mastodon, a query starting with "#" finds no accounts, one containing "@"
    no hashtags, and with ``resolve`` an address of a known post or account finds it.
    """
    query = q.strip()[:MAX_QUERY_LENGTH]
    if not query or (type is not None and type not in SEARCH_TYPES):
        return SearchResults()
    if resolve and _is_url(query):
        found = await _by_url(conn, viewer_id, query)
        if found.accounts or found.statuses:
            return SearchResults(
                accounts=found.accounts if type in (None, "accounts") else [],
                statuses=found.statuses if type in (None, "statuses") else [],
            )
    limit = max(1, limit)
    offset = max(0, offset)
    wants = SEARCH_TYPES if type is None else (type,)
    results = SearchResults()
    if "accounts" in wants and not query.startswith("#"):
        results.accounts.extend(
            await search_accounts(
                conn, query, viewer_id=viewer_id, limit=limit, offset=offset, following=following
            )
        )
    if "hashtags" in wants and "@" not in query:
        results.hashtags.extend(await _hashtags(conn, query, limit=limit, offset=offset))
    if "statuses" in wants and viewer_id is not None:
        results.statuses.extend(
            await _statuses(
                conn, viewer_id, query, limit=limit, offset=offset, account_id=account_id,
                max_id=max_id, min_id=min_id,
            )
        )  # fmt: skip
    return results
