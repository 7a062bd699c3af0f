"""Recomputing trends: prune old uses, score what counts, rewrite ``trend_scores``.

Runs as the ``refresh_trends`` job (at most once per refresh interval) or from
``townsquare trends refresh``. The work is bounded by the window: uses older than it
are deleted first, and the rest is read grouped to one row per (item, language,
account, day), so a spammer's thousand posts cost one row a day.

A use counts only while its post is alive, public, local and within public reach
(not downranked, held or removed), its author is discoverable and neither suspended
nor limited, the account that used it is neither suspended nor limited, and (for a
tag) the post still has the tag. These are read on every refresh, so moderation or an
edit after the fact takes the use out.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, String, cast, delete, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import as_utc, utcnow
from townsquare.domain.moderation.policy import Policy
from townsquare.domain.trends.exclusions import link_excluded, tag_excluded
from townsquare.domain.trends.scoring import Score, ScoringRules, Usage, day_of, score
from townsquare.domain.visibility.access import in_public_reach
from townsquare.storage.schema import (
    accounts,
    status_tags,
    statuses,
    tags,
    trend_scores,
    trend_uses,
)

ALL_LANGUAGES = ""
# the list of uses in posts without a language, which every choice of languages shows
# (ADR 17); not a code, so ``lang=`` cannot ask for it
UNKNOWN_LANGUAGE = "?"
# rows kept per (kind, language): deeper pages than this are empty
MAX_STORED = 200
_BATCH = 500

_author = accounts.alias("trend_author")
_actor = accounts.alias("trend_actor")


@dataclass(frozen=True, slots=True)
class Refreshed:
    pruned: int
    counted: int
    stored: int


def window_start(now: datetime, rules: ScoringRules) -> datetime:
    """Midnight (UTC) of the window's first day."""
    first_day = day_of(now) - rules.window_days + 1
    return datetime.fromtimestamp(first_day * 86_400, UTC)


def _tag_still_there() -> ColumnElement[bool]:
    """A tag use counts while the post still has the tag (an edit may have taken it out)."""
    return or_(
        trend_uses.c.kind != "tag",
        exists().where(
            status_tags.c.status_id == trend_uses.c.status_id,
            cast(status_tags.c.tag_id, String) == trend_uses.c.item,
        ),
    )


async def _counted_usages(
    conn: AsyncConnection, since: datetime, now: datetime
) -> dict[tuple[str, str], dict[str, list[Usage]]]:
    """(kind, item) -> language -> usages, for the uses that still count."""
    last_used = func.max(trend_uses.c.used_at).label("last_used_at")
    uses = func.count().label("uses")
    query = (
        select(
            trend_uses.c.kind, trend_uses.c.item, statuses.c.language, trend_uses.c.account_id,
            trend_uses.c.day, last_used, uses,
        )
        .select_from(
            trend_uses.join(statuses, statuses.c.id == trend_uses.c.status_id)
            .join(_author, _author.c.id == statuses.c.account_id)
            .join(_actor, _actor.c.id == trend_uses.c.account_id)
        )
        .where(
            trend_uses.c.used_at >= since,
            statuses.c.deleted_at.is_(None),
            statuses.c.visibility == "public",
            statuses.c.local,
            in_public_reach(statuses),
            _author.c.suspended_at.is_(None),
            _author.c.silenced_at.is_(None),
            _author.c.discoverable,
            _actor.c.suspended_at.is_(None),
            _actor.c.silenced_at.is_(None),
            _tag_still_there(),
        )
        .group_by(
            trend_uses.c.kind, trend_uses.c.item, statuses.c.language, trend_uses.c.account_id,
            trend_uses.c.day,
        )
    )  # fmt: skip
    grouped: dict[tuple[str, str], dict[str, list[Usage]]] = defaultdict(lambda: defaultdict(list))
    for row in await conn.execute(query):
        usage = Usage(row.account_id, row.day, as_utc(row.last_used_at), int(row.uses))
        by_language = grouped[(row.kind, row.item)]
        by_language[ALL_LANGUAGES].append(usage)
        by_language[row.language or UNKNOWN_LANGUAGE].append(usage)
    return grouped


async def _tag_names(conn: AsyncConnection, ids: list[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    for start in range(0, len(ids), _BATCH):
        rows = await conn.execute(
            select(tags.c.id, tags.c.name).where(tags.c.id.in_(ids[start : start + _BATCH]))
        )
        names.update({row.id: row.name for row in rows})
    return names


async def _excluded(
    conn: AsyncConnection, policy: Policy, items: set[tuple[str, str]]
) -> set[tuple[str, str]]:
    tag_ids = [int(item) for kind, item in items if kind == "tag"]
    names = await _tag_names(conn, tag_ids)
    out = {("tag", str(i)) for i in tag_ids if i not in names or tag_excluded(policy, names[i])}
    out |= {(kind, item) for kind, item in items if kind == "link" and link_excluded(policy, item)}
    return out


def history_json(result: Score) -> str:
    return json.dumps([[d.midnight, d.uses, d.accounts] for d in result.history])


async def refresh_trends(
    conn: AsyncConnection,
    policy: Policy,
    *,
    now: datetime | None = None,
    rules: ScoringRules = ScoringRules(),
) -> Refreshed:
    """Prune, rescore and replace every trend list, in the caller's transaction (readers
    see the old lists or the new ones, never a mix)."""
    now = now or utcnow()
    since = window_start(now, rules)
    pruned = (await conn.execute(delete(trend_uses).where(trend_uses.c.used_at < since))).rowcount
    grouped = await _counted_usages(conn, since, now)
    excluded = await _excluded(conn, policy, set(grouped))
    ranked: dict[tuple[str, str], list[tuple[float, str, Score]]] = defaultdict(list)
    for (kind, item), by_language in grouped.items():
        if (kind, item) in excluded:
            continue
        for language, usages in by_language.items():
            result = score(usages, now, rules)
            if result.trending:
                ranked[(kind, language)].append((result.score, item, result))
    rows = []
    for (kind, language), entries in ranked.items():
        entries.sort(key=lambda entry: (-entry[0], entry[1]))
        for value, item, result in entries[:MAX_STORED]:
            rows.append(
                {
                    "kind": kind, "language": language, "item": item, "score": value,
                    "accounts": result.accounts, "history_json": history_json(result),
                    "computed_at": now,
                }
            )  # fmt: skip
    await conn.execute(delete(trend_scores))
    if rows:
        await conn.execute(trend_scores.insert(), rows)
    return Refreshed(pruned=int(pruned or 0), counted=len(grouped), stored=len(rows))
