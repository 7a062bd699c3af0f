"""What one or two policies would decide over the stored local posts, acting on nothing.

Posts are read a page at a time (keyset on id), so memory stays bounded by the page
and by the number of differences listed, however many posts there are. A post's
stance is the one its author or a moderator gave (the latest such decision);
otherwise the same automated classifier that moderates new posts guesses it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.domain.moderation.actions import CLASSIFIER
from townsquare.domain.moderation.evaluate import Content, evaluate
from townsquare.domain.moderation.matcher import EntityMatcher, cached_matcher, matcher_for
from townsquare.domain.moderation.policy import ACTIONS, Policy
from townsquare.domain.moderation.registry import list_entities, registry_version
from townsquare.domain.moderation.stance import resolve_stance
from townsquare.storage.schema import moderation_decisions, statuses

PAGE_SIZE = 500
EXCERPT_GRAPHEMES = 80
# Enough to read on a terminal or a page; the totals always count every post.
MAX_LISTED = 1000


@dataclass(frozen=True, slots=True)
class Outcome:
    rule_id: str
    action: str
    label: str | None


@dataclass(frozen=True, slots=True)
class PostOutcomes:
    status_id: int
    excerpt: str
    language: str | None
    stance: str | None
    # one per policy, in the order the policies were given
    outcomes: tuple[Outcome, ...]


@dataclass(slots=True)
class Simulation:
    policies: tuple[Policy, ...]
    since: datetime | None
    posts: int = 0
    # per policy: action -> number of posts
    totals: tuple[Counter[str], ...] = ()
    # posts where the policies differ (or, with one policy, where it acts)
    listed: list[PostOutcomes] = field(default_factory=list)
    listed_total: int = 0

    @property
    def truncated(self) -> bool:
        return self.listed_total > len(self.listed)

    def totals_table(self) -> list[tuple[str, tuple[int, ...]]]:
        """(action, count per policy) for every action any policy took, least first."""
        used = {action for counter in self.totals for action in counter}
        return [(a, tuple(c[a] for c in self.totals)) for a in ACTIONS if a in used]


def excerpt(text: str, limit: int = EXCERPT_GRAPHEMES) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


async def _given_stances(conn: AsyncConnection, ids: list[int]) -> dict[int, str]:
    """The stance an author declared or a moderator set, latest first wins."""
    rows = await conn.execute(
        select(moderation_decisions.c.subject_id, moderation_decisions.c.stance)
        .where(
            moderation_decisions.c.subject_type == "status",
            moderation_decisions.c.subject_id.in_(ids),
            moderation_decisions.c.stance_source.in_(("author", "moderator")),
        )
        .order_by(moderation_decisions.c.id)
    )
    return {row.subject_id: row.stance for row in rows if row.stance}


async def _matcher(conn: AsyncConnection) -> EntityMatcher:
    version = await registry_version(conn)
    return cached_matcher(version) or matcher_for(version, await list_entities(conn))


def _posts_query(since: datetime | None) -> Select[tuple[int, str, str | None]]:
    query = select(statuses.c.id, statuses.c.text, statuses.c.language).where(
        statuses.c.local.is_(True),
        statuses.c.deleted_at.is_(None),
        statuses.c.reblog_of_id.is_(None),
    )
    return query.where(statuses.c.created_at >= since) if since is not None else query


async def count_posts(conn: AsyncConnection, since: datetime | None) -> int:
    inner = _posts_query(since).subquery()
    return int((await conn.execute(select(func.count()).select_from(inner))).scalar_one())


async def simulate(
    conn: AsyncConnection,
    policies: tuple[Policy, ...],
    *,
    since: datetime | None = None,
    page_size: int = PAGE_SIZE,
    max_listed: int = MAX_LISTED,
    progress: Callable[[int], None] | None = None,
) -> Simulation:
    """Evaluate each policy on every stored local post, read-only; ``progress`` is told
    how many posts each page held."""
    if not 1 <= len(policies) <= 2:
        raise ValueError("simulate compares one or two policies")
    matcher = await _matcher(conn)
    result = Simulation(policies, since, totals=tuple(Counter() for _ in policies))
    after = 0
    while True:
        rows = (
            await conn.execute(
                _posts_query(since)
                .where(statuses.c.id > after)
                .order_by(statuses.c.id)
                .limit(page_size)
            )
        ).all()
        if not rows:
            break
        after = rows[-1].id
        given = await _given_stances(conn, [row.id for row in rows])
        for row in rows:
            matches = matcher.find(row.text)
            stance = (
                resolve_stance(given.get(row.id), row.text, row.language, matches, CLASSIFIER)
                if matches
                else None
            )
            content = Content(row.text, row.language)
            outcomes = []
            for policy, totals in zip(policies, result.totals, strict=True):
                decision = evaluate(
                    policy, matches, stance.value if stance else None, content, matcher.flags
                )
                totals[decision.action] += 1
                outcomes.append(Outcome(decision.rule_id, decision.action, decision.label))
            result.posts += 1
            if _worth_listing(outcomes):
                result.listed_total += 1
                if len(result.listed) < max_listed:
                    result.listed.append(
                        PostOutcomes(
                            row.id, excerpt(row.text), row.language,
                            stance.value if stance else None, tuple(outcomes),
                        )
                    )  # fmt: skip
        if progress is not None:
            progress(len(rows))
    return result


def _worth_listing(outcomes: list[Outcome]) -> bool:
    if len(outcomes) == 1:
        return outcomes[0].action != "allow"
    first, second = outcomes
    return (first.action, first.label) != (second.action, second.label)
