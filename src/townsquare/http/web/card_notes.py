"""What a post card says about moderation: a label, a warning to click through, a post
folded away by the reader's own label choice, or (for its author) why it was removed
or held. Worked out once per page for every post on it, in one read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from babel.lists import format_list
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.domain.moderation.actions import active_policy
from townsquare.domain.moderation.describe import ENGLISH, Wording, rule_sentence
from townsquare.domain.moderation.outcomes import (
    EXPLAINED_STATES,
    label_choices,
    label_presentation,
    latest_outcomes,
)
from townsquare.domain.moderation.policy import Rule
from townsquare.domain.posts.models import Status, StatusView
from townsquare.http.web.i18n import Interface
from townsquare.http.web.messages import N_

# Human wording of the presets' label values (a policy file's own labels that are not
# here show as written).
LABEL_WORDING = {
    "violent-entity": N_("Mentions a designated violent group"),
    "violent-entity-praise": N_("Praises a designated violent group"),
}


def label_wording(ui: Interface, label: str) -> str:
    if label in LABEL_WORDING:
        return ui.gettext(LABEL_WORDING[label])
    return label.replace("-", " ").replace("_", " ").capitalize()


def policy_wording(ui: Interface) -> Wording:
    """The policy's sentences in the interface language (ADR 17): our catalogue's
    phrases, that language's way of joining a list, names of languages and labels as
    the rest of the page words them."""
    if ui.language == "en":
        # English keeps the sentences' own list style ("a, b or c")
        return Wording(
            join_or=ENGLISH.join_or,
            language_name=ui.language_name,
            label_name=lambda label: label_wording(ui, label),
        )
    return Wording(
        gettext=ui.translations.gettext,
        ngettext=ui.translations.ngettext,
        join_or=lambda words: format_list(words, style="or", locale=ui.locale),
        language_name=ui.language_name,
        label_name=lambda label: label_wording(ui, label),
    )


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


def _reason(rule: Rule, wording: Wording, ui: Interface) -> str:
    """The policy author's own note where there is one and the reader reads English
    (the language policy files are written in); otherwise the rule's sentence, which is
    translated."""
    if rule.description and ui.language == "en":
        return rule.description
    return rule_sentence(rule, wording).sentence


def _needs_note(status: Status) -> bool:
    return (status.moderation_action is not None and status.moderation_action != "downranked") or (
        status.moderation_label is not None
    )


async def card_notes(
    conn: AsyncConnection,
    viewer_id: int | None,
    default_policy: str,
    views: list[StatusView],
    ui: Interface,
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
    wording = policy_wording(ui)
    for status in moderated.values():
        outcome = outcomes.get(status.id)
        rule = None
        if outcome is not None:
            known = rules.get(outcome.rule_id)
            rule = _reason(known, wording, ui) if known else outcome.rule_id
        label = status.moderation_label
        action = status.moderation_action
        if action in ("removed", "held"):
            notes[status.id] = CardNote(action, label, rule)
            continue
        choice = label_presentation(action, label, choices) or "show"
        notes[status.id] = CardNote("label" if choice == "show" else choice, label, rule)
    return notes
