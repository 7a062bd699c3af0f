"""The languages an account wants to see on public surfaces (Mastodon's
``chosen_languages``): public and hashtag timelines and post search.

No choice means every language. Posts whose language is unknown always show: a
missing guess should not hide a post from everyone who made a choice. Home timelines
and profiles are left alone, as in Mastodon: following someone is asking for them.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, delete, exists, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.errors import ValidationFailed
from townsquare.storage.schema import account_languages, statuses


async def chosen_languages(conn: AsyncConnection, account_id: int) -> tuple[str, ...]:
    """The account's chosen languages, sorted; empty means all."""
    rows = await conn.execute(
        select(account_languages.c.language)
        .where(account_languages.c.account_id == account_id)
        .order_by(account_languages.c.language)
    )
    return tuple(row.language for row in rows)


async def choose_languages(
    conn: AsyncConnection, account_id: int, languages: Iterable[str], configured: Iterable[str]
) -> tuple[str, ...]:
    """Replace the account's choice; every language must be one the instance is
    configured for (an empty choice shows all)."""
    allowed = set(configured)
    chosen = tuple(sorted(set(languages)))
    unknown = [code for code in chosen if code not in allowed]
    if unknown:
        raise ValidationFailed(f"Unknown language: {unknown[0]}")
    await conn.execute(
        delete(account_languages).where(account_languages.c.account_id == account_id)
    )
    if chosen:
        await conn.execute(
            insert(account_languages),
            [{"account_id": account_id, "language": code} for code in chosen],
        )
    return chosen


def in_chosen_languages(viewer_id: int | None) -> list[ColumnElement[bool]]:
    """Conditions keeping a public surface to the viewer's chosen languages: none for
    visitors and for accounts that chose nothing."""
    if viewer_id is None:
        return []
    chosen = select(account_languages.c.language).where(account_languages.c.account_id == viewer_id)
    return [
        or_(
            statuses.c.language.is_(None),
            ~exists(chosen),
            statuses.c.language.in_(chosen),
        )
    ]
