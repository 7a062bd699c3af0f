"""Search over accounts, hashtags and posts (ADR 13).

Posts are found through the full-text index (``search.index``), with the operators of
``search.parse``, only among those the guard lets the searcher see, only for signed-in
people, and (as on Mastodon) only from accounts that let themselves be indexed, or the
searcher's own; ``search.posts`` finds and ranks them.

Accounts match on a username prefix, a display-name substring, or every query word
starting a word of their name or bio; an exact username first, then by followers.
Hashtags match on a prefix of their matching key, so Urdu and Arabic spellings meet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.normalize import match_key, search_terms
from townsquare.domain.accounts.models import Account
from townsquare.domain.accounts.queries import escape_like, ranked_accounts
from townsquare.domain.posts.models import Status, Tag
from townsquare.domain.search.engines import matching
from townsquare.domain.search.parse import MAX_QUERY_LENGTH, MAX_TERMS, parse_query
from townsquare.domain.search.posts import search_statuses
from townsquare.domain.visibility.access import (
    account_hidden,
    can_see,
)
from townsquare.storage.schema import (
    account_search,
    accounts,
    statuses,
    tags,
)

__all__ = ["MAX_QUERY_LENGTH", "SEARCH_TYPES", "SearchResults", "search", "search_statuses"]

SEARCH_TYPES = ("accounts", "hashtags", "statuses")


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


async def _accounts(
    conn: AsyncConnection,
    viewer_id: int | None,
    query: str,
    *,
    limit: int,
    offset: int,
    following: bool,
) -> list[Account]:
    name = query.strip().removeprefix("@").split("@")[0].strip()
    words = search_terms(query)[:MAX_TERMS]
    if not name and not words:
        return []
    username_key = name.casefold()
    found: list[ColumnElement[bool]] = []
    if name:
        found.append(accounts.c.username_key.like(f"{escape_like(username_key)}%", escape="\\"))
        found.append(accounts.c.display_name.ilike(f"%{escape_like(name)}%", escape="\\"))
    if words:
        found.append(
            accounts.c.id.in_(
                select(account_search.c.account_id).where(
                    matching(conn, account_search, words, prefix=True)
                )
            )
        )
    return await ranked_accounts(
        conn, or_(*found), username_key, viewer_id=viewer_id, limit=limit, offset=offset,
        following=following,
    )  # fmt: skip


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
    local_domain: str = "",
    language: str | None = None,
    languages: tuple[str, ...] = (),
) -> SearchResults:
    """Accounts, hashtags and posts matching ``q``; ``type`` narrows to one kind, and
    ``language`` (as the ``lang:`` operator, which it overrides) the posts. Without
    either, posts in the language the query is detected in (among the site's
    ``languages``) rank first.

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
            await _accounts(conn, viewer_id, query, limit=limit, offset=offset, following=following)
        )
    if "hashtags" in wants and "@" not in query:
        results.hashtags.extend(await _hashtags(conn, query, limit=limit, offset=offset))
    if "statuses" in wants and viewer_id is not None:
        parsed = parse_query(query)
        if language:
            parsed.language = language
        results.statuses.extend(
            await search_statuses(
                conn, viewer_id, parsed, limit=limit, offset=offset,
                account_id=account_id, max_id=max_id, min_id=min_id, local_domain=local_domain,
                languages=languages,
            )
        )  # fmt: skip
    return results
