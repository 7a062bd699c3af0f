"""What a post card says about moderation: a label, a warning to click through, a post
folded away by the reader's own label choice, or (for its author) why it was removed
or held. Worked out once per page for every post on it, in one read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.domain.moderation.actions import active_policy
from townsquare.domain.moderation.describe import rule_sentence
from townsquare.domain.moderation.outcomes import (
    EXPLAINED_STATES,
    label_choices,
    label_presentation,
    latest_outcomes,
)
from townsquare.domain.posts.models import Status, StatusView
from townsquare.http.web.messages import N_

# Human wording of the presets' label values (a policy file's own labels that are not
# here show as written).
LABEL_WORDING = {
    "violent-entity": N_("Mentions a designated violent group"),
    "violent-entity-praise": N_("Praises a designated violent group"),
}


@dataclass(frozen=True, slots=True)
class CardNote:
    # label | warn | hide | removed | held
    kind: str
    label: str | None
    # the rule that decided it, in plain words (policy page wording), when known
    rule: str | None


def views_in(value: object) -> Iterator[StatusView]:
    """Every post a page's context will show: lists, reposts, quotes, notifications."""
    if isinstance(value, StatusView):
        yield value
        if value.reblog is not None:
            yield from views_in(value.reblog)
        if value.quote is not None:
            yield from views_in(value.quote)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from views_in(item)
    elif isinstance(getattr(value, "status", None), StatusView):
        yield from views_in(value.status)  # type: ignore[attr-defined]


def _needs_note(status: Status) -> bool:
    return (status.moderation_action is not None and status.moderation_action != "downranked") or (
        status.moderation_label is not None
    )


async def card_notes(
    conn: AsyncConnection, viewer_id: int | None, default_policy: str, views: list[StatusView]
) -> dict[int, CardNote]:
    """Notes for the posts among ``views`` that need one, by post id."""
    moderated = {v.status.id: v.status for v in views if _needs_note(v.status)}
    if not moderated:
        return {}
    choices = await label_choices(conn, viewer_id) if viewer_id is not None else {}
    explained = [s.id for s in moderated.values() if s.moderation_action in EXPLAINED_STATES]
    outcomes = await latest_outcomes(conn, explained)
    rules = {}
    if outcomes:
        policy = await active_policy(conn, default_policy)
        rules = {rule.id: rule for rule in policy.rules}
    notes: dict[int, CardNote] = {}
    for status in moderated.values():
        outcome = outcomes.get(status.id)
        rule = None
        if outcome is not None:
            known = rules.get(outcome.rule_id)
            rule = (
                (known.description or rule_sentence(known).sentence) if known else outcome.rule_id
            )
        label = status.moderation_label
        action = status.moderation_action
        if action in ("removed", "held"):
            notes[status.id] = CardNote(action, label, rule)
            continue
        choice = label_presentation(action, label, choices) or "show"
        notes[status.id] = CardNote("label" if choice == "show" else choice, label, rule)
    return notes
