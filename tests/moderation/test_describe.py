"""The policy page's plain sentences, from parsed policies (no database, no server)."""

from __future__ import annotations

import pytest

from townsquare.domain.moderation.describe import (
    Wording,
    cited_sources,
    describe_policy,
    rule_sentence,
)
from townsquare.domain.moderation.policy import PRESETS, load_policy, parse_policy

POLICY = """
# Drawn from:
# - Example Rules, "Words we keep out", https://rules.example.org/words
#   (the 2026 edition)
# - A note without an address

[policy]
id = "small"
version = "3"
title = "A small policy"

[[rules]]
id = "discourse"
exception = true
stances = ["news_reporting", "condemnation"]
action = "allow"

[[rules]]
id = "tier1-praise"
tiers = [1]
stances = ["praise"]
action = "remove"
description = "Praise of the worst groups goes."

[[rules]]
id = "tier2-unclear"
tiers = [2, 3]
stances = ["unclear"]
action = "label"
label = "mentions-group"

[[rules]]
id = "slur"
keywords = ["badword"]
languages = ["ur"]
action = "warn"

[[rules]]
id = "spam-links"
domains = ["spam.example"]
action = "hold"

[[rules]]
id = "leaders"
tiers = [1]
stances = ["representation"]
action = "suspend"
duration_days = 30
"""


def test_each_rule_becomes_one_sentence_grouped_by_kind() -> None:
    described = describe_policy(parse_policy(POLICY))
    assert (described.id, described.version, described.title) == ("small", "3", "A small policy")
    assert [s.sentence for s in described.exceptions] == [
        "Exception: News reporting on or condemnation of a designated entity is allowed."
    ]
    assert [s.sentence for s in described.rules] == [
        "Praise of a Tier 1 entity is removed.",
        "An unclear reference to a Tier 2 or Tier 3 entity is shown with the label "
        "“mentions-group”.",
        "Speaking on behalf of a Tier 1 entity is removed, and the author's account is "
        "suspended for 30 days.",
    ]
    assert [s.sentence for s in described.keyword_rules] == [
        "A post with the word “badword” (in posts in ur) is shown behind a warning."
    ]
    assert [s.sentence for s in described.domain_rules] == [
        "A post linking to spam.example is held until a moderator reviews it."
    ]
    assert described.rules[0].note == "Praise of the worst groups goes."


def test_sources_are_the_cited_items_with_an_address() -> None:
    [source] = cited_sources(POLICY)
    assert source.url == "https://rules.example.org/words"
    assert source.text == 'Example Rules, "Words we keep out" (the 2026 edition)'


@pytest.mark.parametrize("preset", PRESETS)
def test_every_preset_is_described_with_its_sources(preset: str) -> None:
    policy = load_policy(preset)
    described = describe_policy(policy)
    assert described.sources, "every preset cites what it is drawn from"
    assert all(s.url.startswith("https://") for s in described.sources)
    shown = described.rules + described.exceptions + described.keyword_rules
    assert {s.rule_id for s in shown + described.domain_rules} == {r.id for r in policy.rules}
    assert all(s.sentence.endswith(".") and "None" not in s.sentence for s in shown)


def test_dangerous_orgs_removes_tier1_praise_in_words() -> None:
    sentences = [s.sentence for s in describe_policy(load_policy("dangerous-orgs")).rules]
    assert (
        "Praise of or support for a Tier 1 entity is removed, and the author's account "
        "gets a strike." in sentences
    )


def test_a_multiword_keyword_rule_names_all_words() -> None:
    [rule] = parse_policy(
        '[policy]\nid = "k"\nversion = "1"\n[[rules]]\nid = "w"\nkeywords = ["a b", "c"]\n'
        'action = "label"\nlabel = "words"\n'
    ).rules
    assert rule_sentence(rule).sentence == (
        "A post with any of the words “a b” or “c” is shown with the label “words”."
    )


def test_a_wording_translates_whole_templates_and_fills_in_the_rules_values() -> None:
    """A catalogue translates each template by its English text; the rule's own values
    (words, numbers, languages, labels) go into the translated template."""
    catalogue = {
        "A post with the word %(words)s": "[word %(words)s]",
        "%(subject)s (in posts in %(languages)s)": "[%(subject)s in %(languages)s]",
        "is shown behind a warning": "[warned]",
        "%(subject)s %(outcome)s.": "<%(outcome)s: %(subject)s>",
        "Tier %(number)s": "T%(number)s",
        "a %(tiers)s entity": "[entity of %(tiers)s]",
        "speaking on behalf of": "[for]",
        "%(stances)s %(entity)s": "[%(entity)s, %(stances)s]",
    }
    days: list[int] = []

    def plural(singular: str, plural: str, number: int) -> str:
        days.append(number)
        return "[suspended %(num)s]"

    wording = Wording(
        gettext=lambda message: catalogue.get(message, message),
        ngettext=plural,
        join_or=" / ".join,
        language_name=lambda code: {"ur": "Urdu"}[code],
        label_name=str.upper,
    )
    described = describe_policy(parse_policy(POLICY), wording)
    assert [s.sentence for s in described.keyword_rules] == [
        "<[warned]: [[word “badword”] in Urdu]>"
    ]
    leaders = next(s for s in described.rules if s.rule_id == "leaders")
    assert leaders.sentence == "<[suspended 30]: [[entity of T1], [for]]>"
    assert days == [30]
    labelled = next(s for s in described.rules if s.rule_id == "tier2-unclear")
    assert "“MENTIONS-GROUP”" in labelled.sentence
    assert "T2 / T3" in labelled.sentence
    # the English default is untouched by any of this
    assert describe_policy(parse_policy(POLICY)).keyword_rules[0].sentence == (
        "A post with the word “badword” (in posts in ur) is shown behind a warning."
    )
