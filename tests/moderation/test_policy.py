"""Policies: the presets' verdicts on our corpus, and line-numbered errors."""

from __future__ import annotations

import json

import pytest

from tests.moderation.corpus import ENTITIES, POSTS
from townsquare.domain.moderation.entities import Entity, parse_json
from townsquare.domain.moderation.evaluate import Content, Decision, evaluate
from townsquare.domain.moderation.matcher import EntityMatcher
from townsquare.domain.moderation.policy import PRESETS, PolicyError, load_policy, parse_policy
from townsquare.domain.moderation.stance import KeywordCueClassifier, resolve_stance

REGISTRY = [
    Entity(**{**e.to_json(), "id": n})  # type: ignore[arg-type]
    for n, e in enumerate(parse_json(json.dumps(ENTITIES)), 1)
]
MATCHER = EntityMatcher(REGISTRY)
FLAGS = {e.id: e.flags for e in REGISTRY}


def decide(preset: str, text: str, stance: str | None) -> Decision:
    matches = MATCHER.find(text)
    return evaluate(load_policy(preset), matches, stance, Content(text), FLAGS)


def as_tier2(text: str) -> str:
    return text.replace("Taliban", "Northern Front").replace("طالبان", "شمالی محاذ")


def as_ordinary(text: str) -> str:
    return text.replace("Taliban", "Green Valley Cooperative").replace("طالبان", "گرین ویلی")


@pytest.mark.parametrize("language", [0, 1], ids=["en", "ur"])
@pytest.mark.parametrize("stance", list(POSTS))
def test_dangerous_orgs_removes_praise_and_support_keeps_discourse(
    stance: str, language: int
) -> None:
    text = POSTS[stance][language]
    tier1 = decide("dangerous-orgs", text, stance)
    tier2 = decide("dangerous-orgs", as_tier2(text), stance)
    ordinary = decide("dangerous-orgs", as_ordinary(text), stance)
    if stance in ("praise", "support"):
        assert (tier1.post_state, tier2.post_state) == ("removed", "removed")
        assert tier1.evidence[0].entity == "Taliban"
    else:
        assert (tier1.action, tier2.action) == ("allow", "allow")
        assert tier1.rule_id == "exception-discourse"
    assert ordinary.action == "allow" and ordinary.rule_id == "default-allow"


@pytest.mark.parametrize("language", [0, 1], ids=["en", "ur"])
def test_open_labels_and_downranks_praise(language: int) -> None:
    text = POSTS["praise"][language]
    decision = decide("open", text, "praise")
    assert (decision.action, decision.label) == ("downrank", "violent-entity-praise")
    # Northern Front is in a peace process: outside the open policy's rules
    assert decide("open", as_tier2(text), "praise").action == "allow"
    assert decide("open", text, "condemnation").action == "allow"
    assert decide("open", text, "representation").action == "suspend"
    assert decide("dangerous-orgs", text, "representation").action == "suspend"


def test_three_tiers_of_2021_differ_on_tier2_praise() -> None:
    text = as_tier2(POSTS["praise"][0])
    assert decide("dangerous-orgs-2021", text, "praise").action == "hold"
    assert decide("dangerous-orgs", text, "praise").action == "remove"


@pytest.mark.parametrize(("stance", "language"), [(s, n) for s in POSTS for n in (0, 1)])
def test_keyword_cue_classifier_reads_our_corpus(stance: str, language: int) -> None:
    text = POSTS[stance][language]
    found = resolve_stance(None, text, None, MATCHER.find(text), KeywordCueClassifier())
    assert (found.value, found.automated) == (stance, True)
    declared = resolve_stance("condemnation", text, None, [], KeywordCueClassifier())
    assert (declared.value, declared.source, declared.automated) == (
        "condemnation",
        "author",
        False,
    )


def test_every_preset_parses() -> None:
    assert {load_policy(name).id for name in PRESETS} == set(PRESETS)


GOOD_HEAD = '[policy]\nid = "t"\nversion = "1"\n\n'


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[rules]]\nid = "a"\naction = "remove"\n\n[[rules]]\nid = "b"\n# why\n'
         'action = "obliterate"\n', ":12: unknown action 'obliterate'"),
        ('[[rules]]\nid = "a"\ntiers = [1, 7]\naction = "remove"\n', ":7: unknown tier 7"),
        ('[[rules]]\nid = "a"\nstances = ["glee"]\naction = "allow"\n', ":7: unknown stance"),
        ('[[rules]]\nid = "a"\naction = "label"\n', ":7: a 'label' rule needs a label"),
        ('[[rules]]\nid = "a"\naction = "allow"\n[[rules]]\nid = "a"\naction = "allow"\n',
         ":9: duplicate rule id 'a'"),
        ('[[rules]]\nid = "a"\naction = "allow"\ncolour = "red"\n', ":8: unknown key 'colour'"),
        ('[[rules]]\nid = "a"\naction = "remove"\nduration_days = 3\n', ":8: 'duration_days'"),
        ("[[rules]\n", "not valid TOML"),
    ],
)  # fmt: skip
def test_bad_policies_name_the_line(body: str, message: str) -> None:
    with pytest.raises(PolicyError, match=message.replace("[", r"\[")) as caught:
        parse_policy(GOOD_HEAD + body, name="p.toml")
    assert str(caught.value).startswith("p.toml")
    assert "\n" not in str(caught.value)


def test_missing_head_and_unknown_file() -> None:
    with pytest.raises(PolicyError, match="a \\[policy\\] table"):
        parse_policy('[[rules]]\nid = "a"\naction = "allow"\n')
    with pytest.raises(PolicyError, match="not a preset"):
        load_policy("no-such-policy")
