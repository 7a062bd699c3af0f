"""Read positions: the last item a person has seen in a timeline, shared across apps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

TIMELINES = ("home", "notifications")


@dataclass(frozen=True, slots=True)
class Marker:
    timeline: str
    last_read_id: int
    # goes up by one on every change, so apps can tell a stale write from a fresh one
    version: int
    updated_at: datetime
