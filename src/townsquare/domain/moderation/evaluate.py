"""Evaluation: (policy, matches, stance, signals) -> decision, with no I/O."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import regex

from townsquare.domain.moderation.matcher import Match, normalise_with_offsets
from townsquare.domain.moderation.policy import POST_STATE, RANK, Policy, Rule

DEFAULT_RULE = "default-allow"
_URL = regex.compile(r"https?://[^\s<>\"']+", regex.IGNORECASE)
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}_]")


@dataclass(frozen=True, slots=True)
class Decision:
    rule_id: str
    action: str
    label: str | None = None
    duration_days: int | None = None
    # the matches the deciding rule rests on
    evidence: tuple[Match, ...] = field(default=())

    @property
    def post_state(self) -> str | None:
        return POST_STATE[self.action]


@dataclass(frozen=True, slots=True)
class Content:
    """What the rules look at in a post besides its entity matches."""

    text: str
    language: str | None = None

    def link_hosts(self) -> set[str]:
        hosts = set()
        for url in _URL.findall(self.text):
            host = urlsplit(url.rstrip(".,;:!?)")).hostname
            if host:
                hosts.add(host.lower())
        return hosts

    def has_word(self, keys: Iterable[str]) -> bool:
        normalised, _, _ = normalise_with_offsets(self.text)
        for key in keys:
            start = normalised.find(key)
            while start != -1:
                end = start + len(key)
                before = start == 0 or not _WORD.match(normalised[start - 1])
                after = end == len(normalised) or not _WORD.match(normalised[end])
                if before and after:
                    return True
                start = normalised.find(key, start + 1)
        return False


def _applies(rule: Rule, matches: list[Match], flags: dict[int, frozenset[str]],
             stance: str | None, content: Content) -> tuple[bool, tuple[Match, ...]]:  # fmt: skip
    if rule.stances is not None and stance not in rule.stances:
        return False, ()
    if rule.keywords:
        if rule.languages is not None and content.language not in rule.languages:
            return False, ()
        if not content.has_word(rule.keywords):
            return False, ()
    if rule.domains:
        hosts = content.link_hosts()
        if not any(h == d or h.endswith("." + d) for h in hosts for d in rule.domains):
            return False, ()
    if not rule.about_entities and rule.tiers is None and rule.signals is None:
        return True, ()
    relevant = tuple(
        m
        for m in matches
        if (rule.tiers is None or m.tier in rule.tiers)
        and (rule.signals is None or bool(rule.signals & flags.get(m.entity_id, frozenset())))
    )
    return bool(relevant), relevant


def evaluate(
    policy: Policy,
    matches: list[Match],
    stance: str | None,
    content: Content,
    flags: dict[int, frozenset[str]] | None = None,
) -> Decision:
    """The policy's decision: the most restrictive applicable exception if any applies,
    otherwise the most restrictive applicable rule, otherwise allow. Ties go to the
    rule written first."""
    flags = flags or {}
    best: dict[bool, tuple[Rule, tuple[Match, ...]]] = {}
    for rule in policy.rules:
        applies, evidence = _applies(rule, matches, flags, stance, content)
        if not applies:
            continue
        current = best.get(rule.exception)
        if current is None or RANK[rule.action] > RANK[current[0].action]:
            best[rule.exception] = (rule, evidence)
    chosen = best.get(True) or best.get(False)
    if chosen is None:
        return Decision(DEFAULT_RULE, "allow")
    rule, evidence = chosen
    return Decision(rule.id, rule.action, rule.label, rule.duration_days, evidence)
