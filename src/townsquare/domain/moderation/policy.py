"""Policies as data: TOML files of rules mapping (tier, stance, signals) to actions.

A file has a ``[policy]`` table (id, version, title) and ``[[rules]]``. A rule applies
when all of its conditions hold: ``tiers`` (the matched entity's tier), ``stances``
(the post's stance), ``signals`` (any of the entity's criteria flags), ``keywords``
(whole words, optionally per ``languages``), ``domains`` (links in the post). A rule
with ``exception = true`` is an exception: when any applies, the most restrictive
applicable exception decides; otherwise the most restrictive ordinary rule does;
with none, the post is allowed. See ADR 0012.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from townsquare.core.errors import ValidationFailed
from townsquare.core.normalize import match_key
from townsquare.domain.moderation.entities import FLAGS, TIERS

# Least to most restrictive: the order "most restrictive wins" uses.
ACTIONS = (
    "allow",
    "label",
    "warn",
    "downrank",
    "hold",
    "remove",
    "strike",
    "limit",
    "suspend",
)
RANK = {action: rank for rank, action in enumerate(ACTIONS)}
# What each action leaves on the post (statuses.moderation_action); the account
# actions also take the post down.
POST_STATE = {
    "allow": None,
    "label": "labelled",
    "warn": "warned",
    "downrank": "downranked",
    "hold": "held",
    "remove": "removed",
    "strike": "removed",
    "limit": "removed",
    "suspend": "removed",
}
STANCES = (
    "praise",
    "support",
    "representation",
    "unclear",
    "news_reporting",
    "neutral_discussion",
    "condemnation",
)
PRESETS = ("open", "dangerous-orgs", "dangerous-orgs-2021")
_RULE_KEYS = {
    "id", "description", "exception", "tiers", "stances", "signals", "keywords",
    "languages", "domains", "action", "label", "duration_days",
    "legal_ground", "illegal_content_explanation",
}  # fmt: skip
# The DSA Transparency Database's limits for these two statement fields.
LEGAL_GROUND_MAX = 500
ILLEGAL_EXPLANATION_MAX = 2000
_POLICY_KEYS = {"id", "version", "title", "source"}
_TRENDS_KEYS = {"exclude_tags"}
_LABEL = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    action: str
    exception: bool = False
    tiers: frozenset[int] | None = None
    stances: frozenset[str] | None = None
    signals: frozenset[str] | None = None
    keywords: tuple[str, ...] = ()
    languages: frozenset[str] | None = None
    domains: tuple[str, ...] = ()
    label: str | None = None
    duration_days: int | None = None
    description: str = ""
    # the law a post under this rule breaks (DSA "illegal content"), and why; None for
    # a rule of the instance's own terms
    legal_ground: str | None = None
    illegal_content_explanation: str | None = None

    @property
    def about_entities(self) -> bool:
        return not self.keywords and not self.domains


@dataclass(frozen=True, slots=True)
class Policy:
    id: str
    version: str
    title: str
    rules: tuple[Rule, ...]
    source: str = ""
    # ``[trends] exclude_tags``, as match keys: tags never shown as trending
    trend_excluded_tags: frozenset[str] = frozenset()


class PolicyError(ValidationFailed):
    """A policy file is wrong; the message names the file and line."""


def _line_of(source: str, table: str, index: int, key: str | None) -> int:
    """The line of ``key`` in the ``index``-th ``table`` block (tomllib gives none)."""
    header = re.compile(rf"^\s*\[\[?\s*{re.escape(table)}\s*\]\]?\s*(#.*)?$")
    any_header = re.compile(r"^\s*\[")
    key_line = re.compile(rf"^\s*[\"']?{re.escape(key or '')}[\"']?\s*=") if key else None
    seen = -1
    inside = False
    header_line = 1
    for number, line in enumerate(source.splitlines(), 1):
        if header.match(line):
            seen += 1
            inside = seen == index
            if inside:
                header_line = number
            continue
        if any_header.match(line):
            inside = False
        elif inside and key_line is not None and key_line.match(line):
            return number
    return header_line


def _strings(value: object) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


def _rule(raw: dict[str, Any], fail: Any) -> Rule:
    unknown = sorted(set(raw) - _RULE_KEYS)
    if unknown:
        fail(unknown[0], f"unknown key {unknown[0]!r}")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        fail("id", "every rule needs an id")
    action = raw.get("action")
    if action not in RANK:
        fail("action", f"unknown action {action!r} (expected one of {', '.join(ACTIONS)})")
    values: dict[str, Any] = {"id": rule_id, "action": action}
    if "exception" in raw:
        if not isinstance(raw["exception"], bool):
            fail("exception", "'exception' must be true or false")
        values["exception"] = raw["exception"]
    if "tiers" in raw:
        tiers = raw["tiers"]
        if not isinstance(tiers, list) or not tiers:
            fail("tiers", "'tiers' must be a list like [1, 2]")
        for tier in tiers:
            if isinstance(tier, bool) or tier not in TIERS:
                fail("tiers", f"unknown tier {tier!r} (expected 1, 2 or 3)")
        values["tiers"] = frozenset(tiers)
    for key, allowed in (("stances", STANCES), ("signals", FLAGS)):
        if key in raw:
            items = _strings(raw[key])
            if not items:
                fail(key, f"'{key}' must be a non-empty list of strings")
            for item in items or ():
                if item not in allowed:
                    fail(key, f"unknown {key[:-1]} {item!r} (expected one of {', '.join(allowed)})")
            values[key] = frozenset(items or ())
    for key in ("keywords", "domains", "languages"):
        if key in raw:
            items = _strings(raw[key])
            if not items:
                fail(key, f"'{key}' must be a non-empty list of strings")
            if key == "keywords":
                values[key] = tuple(match_key(k) for k in items or ())
            elif key == "domains":
                values[key] = tuple(d.lower().lstrip(".") for d in items or ())
            else:
                values[key] = frozenset(items or ())
    if "languages" in raw and "keywords" not in raw:
        fail("languages", "'languages' only narrows 'keywords'")
    label = raw.get("label")
    if label is not None and (not isinstance(label, str) or not _LABEL.match(label)):
        fail("label", "'label' must be lowercase letters, digits, - or _")
    if action == "label" and label is None:
        fail("action", "a 'label' rule needs a label value")
    values["label"] = label
    if "duration_days" in raw:
        days = raw["duration_days"]
        if action != "suspend":
            fail("duration_days", "'duration_days' is only for suspend")
        if isinstance(days, bool) or not isinstance(days, int) or days < 1:
            fail("duration_days", "'duration_days' must be a whole number of days, 1 or more")
        values["duration_days"] = days
    description = raw.get("description", "")
    if not isinstance(description, str):
        fail("description", "'description' must be a string")
    values["description"] = description
    for key, limit in (
        ("legal_ground", LEGAL_GROUND_MAX),
        ("illegal_content_explanation", ILLEGAL_EXPLANATION_MAX),
    ):
        if key in raw:
            given = raw[key]
            if not isinstance(given, str) or not given.strip():
                fail(key, f"'{key}' must be a non-empty string")
            if len(given.strip()) > limit:
                fail(key, f"'{key}' is at most {limit} characters")
            values[key] = given.strip()
    if ("legal_ground" in values) != ("illegal_content_explanation" in values):
        missing = "illegal_content_explanation" if "legal_ground" in values else "legal_ground"
        present = "legal_ground" if missing != "legal_ground" else "illegal_content_explanation"
        fail(present, f"'{present}' needs '{missing}' too (a DSA statement carries both)")
    return Rule(**values)


def parse_policy(source: str, *, name: str = "policy") -> Policy:
    """A policy from TOML text, or a PolicyError naming ``name`` and the line."""
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{name}: not valid TOML: {exc}") from exc

    def fail_at(table: str, index: int) -> Any:
        def fail(key: str | None, message: str) -> None:
            raise PolicyError(f"{name}:{_line_of(source, table, index, key)}: {message}")

        return fail

    top = fail_at("policy", 0)
    for key in sorted(set(data) - {"policy", "rules", "trends"}):
        raise PolicyError(f"{name}:1: unknown table or key {key!r}")
    head = data.get("policy")
    if not isinstance(head, dict):
        raise PolicyError(f"{name}:1: a [policy] table with id and version is required")
    for key in sorted(set(head) - _POLICY_KEYS):
        top(key, f"unknown key {key!r} in [policy]")
    for key in ("id", "version"):
        if not isinstance(head.get(key), str) or not head[key]:
            top(key if key in head else None, f"[policy] needs a string {key!r}")
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list):
        raise PolicyError(f"{name}:1: 'rules' must be [[rules]] tables")
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_rules):
        fail = fail_at("rules", index)
        rule = _rule(raw, fail)
        if rule.id in seen:
            fail("id", f"duplicate rule id {rule.id!r}")
        seen.add(rule.id)
        rules.append(rule)
    return Policy(
        id=head["id"],
        version=head["version"],
        title=str(head.get("title", head["id"])),
        rules=tuple(rules),
        source=source,
        trend_excluded_tags=_trends(data.get("trends", {}), fail_at("trends", 0), name),
    )


def _trends(raw: object, fail: Any, name: str) -> frozenset[str]:
    """The ``[trends]`` table: ``exclude_tags``, a list of hashtags (with or without #)."""
    if not isinstance(raw, dict):
        raise PolicyError(f"{name}:1: 'trends' must be a [trends] table")
    for key in sorted(set(raw) - _TRENDS_KEYS):
        fail(key, f"unknown key {key!r} in [trends]")
    if "exclude_tags" not in raw:
        return frozenset()
    tags = _strings(raw["exclude_tags"])
    if tags is None:
        fail("exclude_tags", "'exclude_tags' must be a list of hashtags")
    keys = set()
    for tag in tags or ():
        key = match_key(tag.strip().removeprefix("#"))
        if not key:
            fail("exclude_tags", f"{tag!r} is not a hashtag")
        keys.add(key)
    return frozenset(keys)


def preset_source(preset: str) -> str:
    return (
        resources.files("townsquare.domain.moderation")
        .joinpath("presets", f"{preset}.toml")
        .read_text(encoding="utf-8")
    )


def load_policy(reference: str) -> Policy:
    """A preset by name, or a policy file by path."""
    if reference in PRESETS:
        return parse_policy(preset_source(reference), name=f"{reference}.toml")
    path = Path(reference)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(
            f"{reference}: not a preset ({', '.join(PRESETS)}) and cannot be read"
        ) from exc
    return parse_policy(source, name=str(path))
