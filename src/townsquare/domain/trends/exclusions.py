"""What the moderation policy keeps out of trends, beyond what it does to posts.

A tag is kept out when the policy lists it under ``[trends] exclude_tags``, or when a
keyword rule whose action reduces reach (downrank or stronger) matches the tag's
words; a link when a ``domains`` or keyword rule of that strength matches it. Posts
are kept out by their own moderation state (``in_public_reach``).
"""

from __future__ import annotations

from townsquare.core.normalize import match_key
from townsquare.domain.moderation.evaluate import Content, evaluate
from townsquare.domain.moderation.policy import RANK, Policy

_REDUCES_REACH = RANK["downrank"]


def _reduces_reach(policy: Policy, text: str) -> bool:
    # No entity matches: entity rules need a post's context (stance, evidence) that a
    # bare tag or address does not have.
    return RANK[evaluate(policy, [], None, Content(text)).action] >= _REDUCES_REACH


def tag_excluded(policy: Policy, name: str) -> bool:
    return match_key(name) in policy.trend_excluded_tags or _reduces_reach(policy, f"#{name}")


def link_excluded(policy: Policy, url: str) -> bool:
    return _reduces_reach(policy, url)
