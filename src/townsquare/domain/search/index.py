"""Keeping the search index in step with posts and accounts.

Writes enqueue an ``index_status`` or ``index_account`` job in their own transaction;
the job (re)writes the one index row from what the database holds by then, so a job
that runs late, or twice, still leaves the right row. ``reindex_batch`` rebuilds
everything, a batch at a time.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.normalize import search_terms
from townsquare.core.text import tokenize
from townsquare.domain.common.site import Site
from townsquare.domain.languages.detection import detect_language
from townsquare.storage.jobs import enqueue
from townsquare.storage.schema import account_search, accounts, status_search, statuses

REINDEX_BATCH = 500


def post_terms(text: str, spoiler_text: str = "") -> str:
    """A post's indexed terms: its words, tags and mentioned names, not its links."""
    parts = [spoiler_text]
    for token in tokenize(text):
        if token.kind == "url":
            continue
        parts.append(token.value if token.kind == "mention" else token.text)
    return " ".join(search_terms(" ".join(parts)))


def account_terms(username: str, display_name: str, note: str) -> str:
    return " ".join(search_terms(f"{username} {display_name} {note}"))


async def schedule_status(conn: AsyncConnection, status_id: int) -> None:
    await enqueue(conn, "index_status", {"status_id": status_id})


async def schedule_account(conn: AsyncConnection, account_id: int) -> None:
    await enqueue(conn, "index_account", {"account_id": account_id})


async def index_status(conn: AsyncConnection, status_id: int) -> None:
    """Write the post's index row, or remove it once the post is gone or is a repost."""
    row = (
        await conn.execute(
            select(
                statuses.c.text, statuses.c.spoiler_text, statuses.c.deleted_at,
                statuses.c.reblog_of_id,
            ).where(statuses.c.id == status_id)
        )
    ).first()  # fmt: skip
    await conn.execute(delete(status_search).where(status_search.c.status_id == status_id))
    if row is None or row.deleted_at is not None or row.reblog_of_id is not None:
        return
    terms = post_terms(row.text, row.spoiler_text)
    if terms:
        await conn.execute(status_search.insert().values(status_id=status_id, terms=terms))


async def index_account(conn: AsyncConnection, site: Site, account_id: int) -> None:
    row = (
        await conn.execute(
            select(accounts.c.username, accounts.c.display_name, accounts.c.note).where(
                accounts.c.id == account_id
            )
        )
    ).first()
    await conn.execute(delete(account_search).where(account_search.c.account_id == account_id))
    if row is None:
        return
    await conn.execute(
        account_search.insert().values(
            account_id=account_id,
            terms=account_terms(row.username, row.display_name, row.note),
            language=detect_language(row.note, site.languages),
        )
    )


async def reindex_size(conn: AsyncConnection) -> int:
    posts = await conn.scalar(select(func.count()).select_from(statuses)) or 0
    people = await conn.scalar(select(func.count()).select_from(accounts)) or 0
    return int(posts) + int(people)


REINDEXED = ("accounts", "statuses")


async def reindex_batch(conn: AsyncConnection, site: Site, kind: str, after: int = 0) -> list[int]:
    """Rewrite the index rows of the next ``REINDEX_BATCH`` accounts or posts (``kind``)
    with ids above ``after``; answers their ids (none: that kind is done). Rows are
    rewritten in place, so searches during a rebuild still find everything."""
    table = accounts if kind == "accounts" else statuses
    ids = list(
        (
            await conn.execute(
                select(table.c.id).where(table.c.id > after).order_by(table.c.id)
                .limit(REINDEX_BATCH)
            )
        ).scalars()
    )  # fmt: skip
    for row_id in ids:
        if table is accounts:
            await index_account(conn, site, row_id)
        else:
            await index_status(conn, row_id)
    return ids
