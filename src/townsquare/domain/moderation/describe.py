"""A policy in plain language, for the public policy page: one sentence per rule.

Pure: it reads a parsed ``Policy`` (and the comments of its source, where presets cite
what they are drawn from) and returns sentences; the page only renders them. The
sentences are English unless the caller passes the ``Wording`` of another language
(the web passes its gettext catalogue in: this module knows nothing of requests).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from townsquare.domain.moderation.policy import Policy, Rule


def N_(message: str) -> str:
    """A phrase marked for translation; ``Wording.gettext`` translates it later."""
    return message


# Each stance with the preposition that reads after it, as one phrase to translate.
_STANCE_PHRASES = {
    "praise": N_("praise of"),
    "support": N_("support for"),
    "representation": N_("speaking on behalf of"),
    "unclear": N_("an unclear reference to"),
    "news_reporting": N_("news reporting on"),
    "neutral_discussion": N_("neutral discussion of"),
    "condemnation": N_("condemnation of"),
}
_SIGNAL_PHRASES = {
    "targets_civilians": N_("targets civilians"),
    "engages_in_violence": N_("engages in violence"),
    "hate_based": N_("is hate-based"),
    "state_actor": N_("is a state actor"),
    "elected_representatives": N_("has elected representatives"),
    "reformed": N_("has reformed"),
    "peace_process": N_("is in a peace process"),
}


def _same(text: str) -> str:
    return text


def _english_or(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} or {words[-1]}"


def _english_plural(singular: str, plural: str, number: int) -> str:
    return singular if number == 1 else plural


@dataclass(frozen=True, slots=True)
class Wording:
    """How sentences are phrased in a reader's language. Each sentence is built from
    whole phrase templates (``"A post linking to %(domains)s"``) passed through
    ``gettext`` and filled with the rule's own values, so a translation may reorder
    them; lists join as that language joins them. The default is the English written
    here, with the policy's values (language codes, labels) as they are."""

    gettext: Callable[[str], str] = _same
    ngettext: Callable[[str, str, int], str] = _english_plural
    join_or: Callable[[list[str]], str] = _english_or
    language_name: Callable[[str], str] = _same
    label_name: Callable[[str], str] = _same


ENGLISH = Wording()

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


def _entity(rule: Rule, w: Wording) -> str:
    _ = w.gettext
    tiers = sorted(rule.tiers or ())
    if tiers:
        named = [_("Tier %(number)s") % {"number": tier} for tier in tiers]
        thing = _("a %(tiers)s entity") % {"tiers": w.join_or(named)}
    else:
        thing = _("a designated entity")
    if rule.signals:
        signals = w.join_or([_(_SIGNAL_PHRASES[s]) for s in sorted(rule.signals)])
        thing = _("%(entity)s that %(signals)s") % {"entity": thing, "signals": signals}
    return thing


def _subject(rule: Rule, w: Wording) -> str:
    _ = w.gettext
    if rule.keywords:
        words = w.join_or([f"“{word}”" for word in rule.keywords])
        subject = (
            _("A post with the word %(words)s")
            if len(rule.keywords) == 1
            else _("A post with any of the words %(words)s")
        ) % {"words": words}
        if rule.languages:
            languages = w.join_or([w.language_name(code) for code in sorted(rule.languages)])
            subject = _("%(subject)s (in posts in %(languages)s)") % {
                "subject": subject,
                "languages": languages,
            }
        return subject
    if rule.domains:
        return _("A post linking to %(domains)s") % {"domains": w.join_or(list(rule.domains))}
    entity = _entity(rule, w)
    if not rule.stances:
        return _("Any post referring to %(entity)s") % {"entity": entity}
    stances = sorted(rule.stances, key=list(_STANCE_PHRASES).index)
    phrase = _("%(stances)s %(entity)s") % {
        "stances": w.join_or([_(_STANCE_PHRASES[s]) for s in stances]),
        "entity": entity,
    }
    return f"{phrase[0].upper()}{phrase[1:]}"


def _outcome(rule: Rule, w: Wording) -> str:
    _ = w.gettext
    match rule.action:
        case "allow":
            return _("is allowed")
        case "label":
            return _("is shown with the label “%(label)s”") % {
                "label": w.label_name(rule.label or "")
            }
        case "warn":
            return _("is shown behind a warning")
        case "downrank":
            return _("stays up but is kept out of public timelines, search and trends")
        case "hold":
            return _("is held until a moderator reviews it")
        case "remove":
            return _("is removed")
        case "strike":
            return _("is removed, and the author's account gets a strike")
        case "limit":
            return _("is removed, and the author's account is limited")
        case "suspend":
            if rule.duration_days:
                return w.ngettext(
                    "is removed, and the author's account is suspended for %(num)s day",
                    "is removed, and the author's account is suspended for %(num)s days",
                    rule.duration_days,
                ) % {"num": rule.duration_days}
            return _("is removed, and the author's account is suspended")
    return _("gets the action “%(action)s”") % {"action": rule.action}


def rule_sentence(rule: Rule, wording: Wording = ENGLISH) -> RuleSentence:
    _ = wording.gettext
    parts = {"subject": _subject(rule, wording), "outcome": _outcome(rule, wording)}
    if rule.label and rule.action != "label":
        parts["label"] = wording.label_name(rule.label)
        sentence = _("%(subject)s %(outcome)s, with the label “%(label)s”.") % parts
    else:
        sentence = _("%(subject)s %(outcome)s.") % parts
    if rule.exception:
        sentence = _("Exception: %(sentence)s") % {"sentence": sentence}
    return RuleSentence(
        rule_id=rule.id,
        sentence=sentence,
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


def describe_policy(policy: Policy, wording: Wording = ENGLISH) -> PolicyDescription:
    sentences = [(rule, rule_sentence(rule, wording)) for rule in policy.rules]
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
