"""Writes of moderation: choosing the active policy, and moderating a post.

The active policy's text is kept in ``instance_settings`` when an operator switches
at run time, so every process decides under the same version; otherwise the
setting TOWNSQUARE_MODERATION_POLICY (``Site.moderation_policy``) names it.
"""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import utcnow
from townsquare.core.ids import new_id
from townsquare.domain.moderation.audit import audit
from townsquare.domain.moderation.evaluate import Content, Decision, evaluate
from townsquare.domain.moderation.grounds import GROUND_ILLEGAL, GROUND_INCOMPATIBLE
from townsquare.domain.moderation.matcher import cached_matcher, matcher_for
from townsquare.domain.moderation.policy import Policy, load_policy, parse_policy
from townsquare.domain.moderation.registry import (
    VERSION_KEY,
    get_settings,
    list_entities,
    set_setting,
)
from townsquare.domain.moderation.sanctions import (
    COLUMN,
    SOURCE_VOLUNTARY,
    record_strike,
    set_account_state,
)
from townsquare.domain.moderation.stance import KeywordCueClassifier, resolve_stance
from townsquare.storage.schema import moderation_decisions, statuses

POLICY_KEY = "moderation.policy"
POLICY_SOURCE_KEY = "moderation.policy_source"
_parsed: dict[str, Policy] = {}
CLASSIFIER = KeywordCueClassifier()
# The policy's account-level actions, as the strike (Mastodon account warning) names them
POLICY_STRIKES = {"strike": "delete_statuses", "limit": "silence", "suspend": "suspend"}


async def use_policy(conn: AsyncConnection, reference: str, actor_id: int | None = None) -> Policy:
    """Make a preset or policy file the active policy from now on. The switch is
    audited; ``actor_id`` is None when the operator ran it from the command line."""
    policy = load_policy(reference)
    await set_setting(conn, POLICY_KEY, reference)
    await set_setting(conn, POLICY_SOURCE_KEY, policy.source)
    await audit(conn, actor_id, "policy.use", "policy", policy.id,
                reference=reference, version=policy.version)  # fmt: skip
    return policy


async def active_policy(conn: AsyncConnection, default: str) -> Policy:
    found = await get_settings(conn, (POLICY_SOURCE_KEY, POLICY_KEY))
    return _policy_of(found, default)


def _policy_of(found: dict[str, str], default: str) -> Policy:
    """The policy the settings ``found`` name, parsed once per process and text."""
    source = found.get(POLICY_SOURCE_KEY)
    if source is None:
        source = f"@{default}"
        if source not in _parsed:
            _parsed[source] = load_policy(default)
    elif source not in _parsed:
        _parsed[source] = parse_policy(source, name=found.get(POLICY_KEY) or "db")
    return _parsed[source]


async def moderate_post(
    conn: AsyncConnection,
    default_policy: str,
    status_id: int,
    text: str,
    language: str | None,
    declared_stance: str | None = None,
    *,
    new_post_by: int | None = None,
) -> Decision:
    """Evaluate a new or edited post under the active policy and record what it decided.

    A decision is recorded when the post refers to an entity, or a rule acts, or an
    earlier decision is being lifted; an unremarkable post costs no write. For a post
    being created, ``new_post_by`` is its author: it has no earlier outcome to read.
    The policy and the registry version come in one read."""
    found = await get_settings(conn, (POLICY_SOURCE_KEY, POLICY_KEY, VERSION_KEY))
    policy = _policy_of(found, default_policy)
    version = found.get(VERSION_KEY, "0")
    matcher = cached_matcher(version) or matcher_for(version, await list_entities(conn))
    matches = matcher.find(text)
    stance = (
        resolve_stance(declared_stance, text, language, matches, CLASSIFIER) if matches else None
    )
    decision = evaluate(
        policy, matches, stance.value if stance else None, Content(text, language), matcher.flags
    )
    if not matches and decision.action == "allow":
        if new_post_by is not None:
            return decision
        previous = await conn.scalar(
            select(statuses.c.moderation_action).where(statuses.c.id == status_id)
        )
        if previous is None:
            return decision
    now = utcnow()
    account_id = new_post_by
    if account_id is None:
        account_id = (
            await conn.execute(select(statuses.c.account_id).where(statuses.c.id == status_id))
        ).scalar_one()
    rule = next((r for r in policy.rules if r.id == decision.rule_id), None)
    legal_ground = rule.legal_ground if rule is not None else None
    record = {
        "decision_ground": GROUND_ILLEGAL if legal_ground else GROUND_INCOMPATIBLE,
        "legal_ground": legal_ground,
        "illegal_content_explanation": rule.illegal_content_explanation if rule else None,
        # the policy acts on every new post by itself: the service's own initiative
        "source_type": SOURCE_VOLUNTARY,
        "policy_id": policy.id,
        "policy_version": policy.version,
        "rule_id": decision.rule_id,
        "stance": stance.value if stance else None,
        "stance_source": stance.source if stance else None,
        "evidence_json": json.dumps([m.evidence() for m in decision.evidence or matches],
                                    ensure_ascii=False),
        "action": decision.action,
        "label": decision.label,
        "automated_detection": True,
        "automated_decision": stance is None or stance.automated,
        "moderator_id": None,
        "created_at": now,
    }  # fmt: skip
    decision_id = new_id()
    await conn.execute(
        moderation_decisions.insert().values(
            id=decision_id, subject_type="status", subject_id=status_id, **record
        )
    )
    if decision.action in POLICY_STRIKES:
        expires = now + timedelta(days=decision.duration_days) if decision.duration_days else None
        await conn.execute(
            moderation_decisions.insert().values(
                id=new_id(), subject_type="account", subject_id=account_id,
                **{**record, "expires_at": expires},
            )
        )  # fmt: skip
        # The strike names the post's decision: an approved appeal restores the post
        # and lifts the account action together.
        kind = POLICY_STRIKES[decision.action]
        if kind in COLUMN:
            await set_account_state(conn, account_id, kind, until=expires)
        await record_strike(
            conn, account_id, decision_id, kind, decision.rule_id, status_ids=[status_id]
        )
    await conn.execute(
        update(statuses)
        .where(statuses.c.id == status_id)
        .values(moderation_action=decision.post_state, moderation_label=decision.label)
    )
    return decision
