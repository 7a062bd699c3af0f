"""Formatting shared by Mastodon entities."""

from __future__ import annotations

from datetime import datetime


def iso(moment: datetime | None) -> str | None:
    """Mastodon's timestamp form: UTC, milliseconds, a trailing Z."""
    if moment is None:
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def iso_date(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%d") if moment else None
