"""Decisions as EU DSA statements of reasons (Article 17 and 24(5) DSA).

The field names and enumerated values are those of the European Commission's DSA
Transparency Database API ("API and Schema", https://transparency.dsa.ec.europa.eu/
page/api-documentation, and its attribute explanations on /page/documentation). Only
decisions that restrict something become statements: a plain allow (including the
allow that lifts an earlier decision) is not a restriction. A statement's ``puid``
is unique per decision and never reused, as the schema requires.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import as_utc
from townsquare.storage.schema import accounts, moderation_decisions, statuses

# How each of our actions maps onto the schema's restriction fields, per subject.
# Source: the DECISION_VISIBILITY_*, DECISION_ACCOUNT_* and DECISION_PROVISION_*
# values of the Transparency Database API schema (see the module docstring).
# A strike only counts towards later account actions: on its own it restricts
# nothing, so an account-level strike makes no statement (the post it came with
# is removed, and that removal does).
RESTRICTIONS: dict[tuple[str, str], tuple[str, str]] = {
    ("status", "label"): ("decision_visibility", "DECISION_VISIBILITY_CONTENT_LABELLED"),
    ("status", "warn"): ("decision_visibility", "DECISION_VISIBILITY_OTHER"),
    ("status", "downrank"): ("decision_visibility", "DECISION_VISIBILITY_CONTENT_DEMOTED"),
    ("status", "hold"): ("decision_visibility", "DECISION_VISIBILITY_CONTENT_DISABLED"),
    ("status", "remove"): ("decision_visibility", "DECISION_VISIBILITY_CONTENT_REMOVED"),
    ("status", "strike"): ("decision_visibility", "DECISION_VISIBILITY_CONTENT_REMOVED"),
    ("status", "limit"): ("decision_visibility", "DECISION_VISIBILITY_CONTENT_REMOVED"),
    ("status", "suspend"): ("decision_visibility", "DECISION_VISIBILITY_CONTENT_REMOVED"),
    ("account", "limit"): ("decision_provision", "DECISION_PROVISION_PARTIAL_SUSPENSION"),
    # a frozen account keeps its posts up but may no longer use the service (ADR 20)
    ("account", "freeze"): ("decision_provision", "DECISION_PROVISION_TOTAL_SUSPENSION"),
    # every picture of a sensitive account is shown behind a sensitive-media label
    ("account", "sensitive"): ("decision_visibility", "DECISION_VISIBILITY_CONTENT_LABELLED"),
    ("account", "suspend"): ("decision_account", "DECISION_ACCOUNT_SUSPENDED"),
}
# DECISION_VISIBILITY_OTHER needs decision_visibility_other (max 500 characters).
WARN_DESCRIPTION = "Shown only behind a click-through content warning"
# Designated dangerous entities fall under the schema's "Risk for public security"
# category, keyword "Illegal organizations"; keyword and link-domain rules are the
# instance's own terms of service ("Scope of platform service", keyword "Other").
ENTITY_CATEGORY = ("STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY", "KEYWORD_ILLEGAL_ORGANIZATIONS")
TERMS_CATEGORY = ("STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE", "KEYWORD_OTHER")
# The decision applies on the whole service, so in every EU member state.
EU_MEMBER_STATES = (
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
)  # fmt: skip
_STANCE_WORDS = {
    "praise": "praises",
    "support": "supports",
    "representation": "speaks for",
    "unclear": "refers to",
    "news_reporting": "reports on",
    "neutral_discussion": "discusses",
    "condemnation": "condemns",
}
_STANCE_SOURCES = {
    "author": "as its author declared",
    "classifier": "as an automated classifier judged",
    "moderator": "as a moderator judged",
}
PAGE_LIMIT = 200


@dataclass(frozen=True, slots=True)
class StatementPage:
    statements: list[dict[str, Any]]
    # the id to pass as ``after`` for the next page, None at the end
    next_after: int | None


def _day(value: datetime) -> str:
    return as_utc(value).strftime("%Y-%m-%d")


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def statement_of(
    row: Any, content_created_at: datetime, content_language: str | None, domain: str
) -> dict[str, Any] | None:
    """A ``moderation_decisions`` row as a statement of reasons, or None when the
    decision restricts nothing. ``content_created_at`` is when the post (or account)
    the decision is about was made."""
    restriction = RESTRICTIONS.get((row.subject_type, row.action))
    if restriction is None:
        return None
    field, value = restriction
    evidence = json.loads(row.evidence_json or "[]")
    category, keyword = ENTITY_CATEGORY if evidence else TERMS_CATEGORY
    statement: dict[str, Any] = {field: [value] if field == "decision_visibility" else value}
    if value == "DECISION_VISIBILITY_OTHER":
        statement["decision_visibility_other"] = WARN_DESCRIPTION
    if row.expires_at is not None:
        end_field = {
            "decision_visibility": "end_date_visibility_restriction",
            "decision_provision": "end_date_service_restriction",
            "decision_account": "end_date_account_restriction",
        }[field]
        statement[end_field] = _day(row.expires_at)
    statement |= _ground(row, evidence)
    statement |= {
        "category": category,
        "category_specification": [keyword],
        "content_type": ["CONTENT_TYPE_TEXT"] if row.subject_type == "status" else
                        ["CONTENT_TYPE_OTHER"],
        "territorial_scope": list(EU_MEMBER_STATES),
        "content_date": _day(content_created_at),
        "application_date": _day(row.created_at),
        "decision_facts": _shorten(_facts(row, evidence), 5000),
        "source_type": row.source_type or "SOURCE_VOLUNTARY",
        "automated_detection": "Yes" if row.automated_detection else "No",
        "automated_decision": _automation(row),
        "puid": f"{domain}:moderation-decision:{row.id}",
    }  # fmt: skip
    if row.subject_type == "account":
        statement["content_type_other"] = "Account"
    if keyword == "KEYWORD_OTHER":
        statement["category_specification_other"] = "Keyword or link-domain rule of the policy"
    if content_language and len(content_language) == 2:
        statement["content_language"] = content_language.upper()
    return statement


def _ground(row: Any, evidence: list[dict[str, Any]]) -> dict[str, str]:
    """Illegal content when the deciding rule named the law it rests on (and why the
    content breaks it); otherwise incompatible with the instance's terms."""
    if row.decision_ground == "DECISION_GROUND_ILLEGAL_CONTENT" and row.legal_ground:
        explanation = row.illegal_content_explanation or _explanation(row, evidence)
        return {
            "decision_ground": "DECISION_GROUND_ILLEGAL_CONTENT",
            "illegal_content_legal_ground": _shorten(row.legal_ground, 500),
            "illegal_content_explanation": _shorten(explanation, 2000),
        }
    ground = f"{row.policy_id} policy, version {row.policy_version}, rule {row.rule_id}"
    return {
        "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
        "incompatible_content_ground": _shorten(ground, 500),
        "incompatible_content_explanation": _shorten(_explanation(row, evidence), 2000),
    }


def _automation(row: Any) -> str:
    if row.moderator_id is not None:
        return "AUTOMATED_DECISION_NOT_AUTOMATED"
    # Without a moderator the policy decided by itself; it decided on a stance the
    # author declared (partly automated) or a classifier guessed (fully automated).
    return "AUTOMATED_DECISION_FULLY" if row.automated_decision else "AUTOMATED_DECISION_PARTIALLY"


def _explanation(row: Any, evidence: list[dict[str, Any]]) -> str:
    what = "The post" if row.subject_type == "status" else "The account's post"
    if evidence and row.stance:
        entities = ", ".join(sorted({str(e.get("entity", "")) for e in evidence}))
        return (
            f"{what} {_STANCE_WORDS.get(row.stance, 'refers to')} {entities}, designated by "
            f"this instance as a dangerous entity; under rule {row.rule_id} that leads to: "
            f"{row.action}."
        )
    if row.moderator_id is not None and row.policy_id == "moderator":
        return (
            f"A moderator found that the {row.subject_type.replace('status', 'post')} broke "
            f"the instance's terms of service and took the action {row.action} (rule "
            f"{row.rule_id})."
        )
    return (
        f"{what} matched rule {row.rule_id} of the instance policy, which leads to: {row.action}."
    )


def _facts(row: Any, evidence: list[dict[str, Any]]) -> str:
    parts = []
    finder = "Automated matching" if row.automated_detection else "A moderator"
    for item in evidence:
        parts.append(
            f"{finder} found {item.get('alias')!r} (designated entity "
            f"{item.get('entity')}) at characters {item.get('start')}-{item.get('end')}."
        )
    if row.stance:
        source = _STANCE_SOURCES.get(row.stance_source or "", "")
        parts.append(
            f"Stance towards it: {row.stance.replace('_', ' ')}, {source}.".replace(", .", ".")
        )
    who = "a moderator" if row.moderator_id is not None else "the policy, automatically"
    parts.append(
        f"Decided by {who} under {row.policy_id} {row.policy_version}, rule {row.rule_id}: "
        f"{row.action}{f' ({row.label})' if row.label else ''}."
    )
    return " ".join(parts)


async def statements_of_reasons(
    conn: AsyncConnection, domain: str, *, after: int = 0, limit: int = PAGE_LIMIT
) -> StatementPage:
    """Statements for the restricting decisions with ids above ``after``, oldest first."""
    limit = max(1, min(limit, PAGE_LIMIT))
    d = moderation_decisions
    content_created = select(statuses.c.created_at).where(statuses.c.id == d.c.subject_id)
    account_created = select(accounts.c.created_at).where(accounts.c.id == d.c.subject_id)
    post_language = select(statuses.c.language).where(statuses.c.id == d.c.subject_id)
    restricting = sorted({action for _, action in RESTRICTIONS})
    rows = (
        await conn.execute(
            select(
                d,
                content_created.scalar_subquery().label("status_created_at"),
                account_created.scalar_subquery().label("account_created_at"),
                post_language.scalar_subquery().label("content_language"),
            )
            .where(d.c.id > after, d.c.action.in_(restricting))
            .order_by(d.c.id)
            .limit(limit)
        )
    ).all()
    statements = []
    for row in rows:
        created = row.status_created_at if row.subject_type == "status" else row.account_created_at
        if created is None:  # the post or account was deleted for good
            created = row.created_at
        language = row.content_language if row.subject_type == "status" else None
        statement = statement_of(row, created, language, domain)
        if statement is not None:
            statements.append(statement)
    next_after = rows[-1].id if len(rows) == limit else None
    return StatementPage(statements, next_after)
