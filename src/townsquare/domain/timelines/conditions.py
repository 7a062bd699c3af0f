"""Conditions on posts that more than one timeline applies."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_

from townsquare.storage.schema import statuses


def not_a_reply_to_others() -> ColumnElement[bool]:
    """Mastodon's ``without_replies``: top-level posts and replies to oneself."""
    return or_(
        statuses.c.in_reply_to_account_id.is_(None),
        statuses.c.in_reply_to_account_id == statuses.c.account_id,
    )
