"""Formatting shared by Mastodon entities."""

from __future__ import annotations

from datetime import datetime


def iso(moment: datetime | None) -> str | None:
    """Mastodon's timestamp form: UTC, milliseconds, a trailing Z."""
    if moment is None:
        return None
    # isoformat is several times cheaper than strftime; moments are UTC here (as_utc),
    # so the first 23 characters are the date and time to the millisecond.
    return moment.isoformat(timespec="milliseconds")[:23] + "Z"


def iso_date(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%d") if moment else None
