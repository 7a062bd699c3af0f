"""A policy in plain language, for the public policy page: one sentence per rule.

Pure: it reads a parsed ``Policy`` (and the comments of its source, where presets cite
what they are drawn from) and returns sentences; the page only renders them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from townsquare.domain.moderation.policy import Policy, Rule

_STANCE_NOUNS = {
    "praise": "praise",
    "support": "support",
    "representation": "speaking on behalf",
    "unclear": "an unclear reference",
    "news_reporting": "news reporting",
    "neutral_discussion": "neutral discussion",
    "condemnation": "condemnation",
}
# Which preposition reads right after each stance noun.
_STANCE_LINKS = {
    "praise": "of",
    "support": "for",
    "representation": "of",
    "unclear": "to",
    "news_reporting": "on",
    "neutral_discussion": "of",
    "condemnation": "of",
}
_SIGNAL_WORDS = {
    "targets_civilians": "targets civilians",
    "engages_in_violence": "engages in violence",
    "hate_based": "is hate-based",
    "state_actor": "is a state actor",
    "elected_representatives": "has elected representatives",
    "reformed": "has reformed",
    "peace_process": "is in a peace process",
}
_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True, slots=True)
class RuleSentence:
    rule_id: str
    sentence: str
    exception: bool
    action: str
    label: str | None
    # the policy author's own explanation, when the rule has one
    note: str


@dataclass(frozen=True, slots=True)
class Source:
    text: str
    url: str


@dataclass(frozen=True, slots=True)
class PolicyDescription:
    id: str
    version: str
    title: str
    sources: tuple[Source, ...]
    rules: tuple[RuleSentence, ...]
    exceptions: tuple[RuleSentence, ...]
    # rules about words and links, summarised apart from those about entities
    keyword_rules: tuple[RuleSentence, ...]
    domain_rules: tuple[RuleSentence, ...]


def _join(words: list[str], last: str = "or") -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def _entity(rule: Rule) -> str:
    tiers = sorted(rule.tiers or ())
    thing = (
        f"a {_join([f'Tier {tier}' for tier in tiers])} entity" if tiers else "a designated entity"
    )
    if rule.signals:
        thing += f" that {_join([_SIGNAL_WORDS[s] for s in sorted(rule.signals)])}"
    return thing


def _subject(rule: Rule) -> str:
    if rule.keywords:
        words = _join([f"“{word}”" for word in rule.keywords])
        subject = (
            f"A post with the word {words}"
            if len(rule.keywords) == 1
            else (f"A post with any of the words {words}")
        )
        if rule.languages:
            subject += f" (in posts in {_join(sorted(rule.languages))})"
        return subject
    if rule.domains:
        return f"A post linking to {_join(list(rule.domains))}"
    entity = _entity(rule)
    if not rule.stances:
        return f"Any post referring to {entity}"
    stances = sorted(rule.stances, key=list(_STANCE_NOUNS).index)
    parts = [f"{_STANCE_NOUNS[s]} {_STANCE_LINKS[s]}" for s in stances]
    phrase = _join(parts)
    return f"{phrase[0].upper()}{phrase[1:]} {entity}"


def _outcome(rule: Rule) -> str:
    match rule.action:
        case "allow":
            return "is allowed"
        case "label":
            return f"is shown with the label “{rule.label}”"
        case "warn":
            return "is shown behind a warning"
        case "downrank":
            return "stays up but is kept out of public timelines, search and trends"
        case "hold":
            return "is held until a moderator reviews it"
        case "remove":
            return "is removed"
        case "strike":
            return "is removed, and the author's account gets a strike"
        case "limit":
            return "is removed, and the author's account is limited"
        case "suspend":
            if rule.duration_days:
                return (
                    f"is removed, and the author's account is suspended for "
                    f"{rule.duration_days} days"
                )
            return "is removed, and the author's account is suspended"
    return f"gets the action “{rule.action}”"


def rule_sentence(rule: Rule) -> RuleSentence:
    sentence = f"{_subject(rule)} {_outcome(rule)}"
    if rule.label and rule.action != "label":
        sentence += f", with the label “{rule.label}”"
    prefix = "Exception: " if rule.exception else ""
    return RuleSentence(
        rule_id=rule.id,
        sentence=f"{prefix}{sentence}.",
        exception=rule.exception,
        action=rule.action,
        label=rule.label,
        note=rule.description,
    )


def _header_comments(source: str) -> list[str]:
    """The comment lines before the first table: where presets cite their sources."""
    lines = []
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            break
        if stripped.startswith("#"):
            lines.append(stripped.lstrip("#").strip())
    return lines


def cited_sources(source: str) -> tuple[Source, ...]:
    """Each cited item (a "Source:" line or a "- " bullet, with its continuation
    lines) of the header comments that holds a web address."""
    items: list[str] = []
    for line in _header_comments(source):
        if not line:
            items.append("")
        elif line.startswith(("- ", "Source:", "Sources:")) or not items:
            items.append(line.removeprefix("- "))
        else:
            items[-1] = f"{items[-1]} {line}".strip()
    found = []
    for item in items:
        url = _URL.search(item)
        if url is None:
            continue
        text = item.replace(url.group(0), "").removeprefix("Sources:").removeprefix("Source:")
        text = re.sub(r"\s+", " ", text)
        # the address was cut out of "Title", https://..., (note): mend the commas
        text = re.sub(r"\s*,\s*:", ":", text).replace(", (", " (").strip(" ,:;(")
        text = text or url.group(0)
        found.append(Source(text=text, url=url.group(0).rstrip(").,;")))
    return tuple(found)


def describe_policy(policy: Policy) -> PolicyDescription:
    sentences = [(rule, rule_sentence(rule)) for rule in policy.rules]
    return PolicyDescription(
        id=policy.id,
        version=policy.version,
        title=policy.title,
        sources=cited_sources(policy.source),
        rules=tuple(s for rule, s in sentences if rule.about_entities and not rule.exception),
        exceptions=tuple(s for rule, s in sentences if rule.exception),
        keyword_rules=tuple(s for rule, s in sentences if rule.keywords and not rule.exception),
        domain_rules=tuple(
            s for rule, s in sentences if rule.domains and not rule.keywords and not rule.exception
        ),
    )
