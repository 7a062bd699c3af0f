"""Mastodon-style snowflake ids: ``(unix_ms << 16) | sequence``.

Ids sort by creation time, so clients (Mastodon.py among them) can turn a date into
an id for pagination, and the database can order by primary key alone.
"""

from __future__ import annotations

import secrets
import threading
import time
from datetime import datetime, timedelta

_SEQUENCE_BITS = 16
_SEQUENCE_MASK = (1 << _SEQUENCE_BITS) - 1
# A process that has claimed a node number (``claim_id_node`` in storage) puts it in the
# top bits of the sequence, so no two live processes can make the same id; 10 bits
# leave each of them 1,024 ids per millisecond, far beyond what one process writes.
NODE_BITS = 6
NODES = 1 << NODE_BITS
_NODE_SEQUENCE_BITS = _SEQUENCE_BITS - NODE_BITS
_NODE_SEQUENCE_MASK = (1 << _NODE_SEQUENCE_BITS) - 1
# Without a node, each millisecond's sequence starts at random below this: two such
# processes writing in the same millisecond then rarely collide (1 in 32,768 per pair
# of ids), while the upper half stays free for a burst within one millisecond.
_START_SPREAD = 1 << (_SEQUENCE_BITS - 1)


class SnowflakeGenerator:
    """Hands out strictly increasing ids within one process.

    With a node number the sequence is the node's own range; without one (tests,
    one-off scripts) it starts at a random point each millisecond and the primary key
    catches the rare clash.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last_ms = 0
        self._sequence = 0
        self._node: int | None = None

    def use_node(self, node: int) -> None:
        if not 0 <= node < NODES:
            raise ValueError(f"node must be in 0..{NODES - 1}")
        with self._lock:
            self._node = node
            # ids already handed out this millisecond may lie above the node's range
            self._last_ms += 1

    def next_id(self, now_ms: int | None = None) -> int:
        with self._lock:
            ms = now_ms if now_ms is not None else int(time.time() * 1000)
            if ms < self._last_ms:
                ms = self._last_ms  # clock went backwards: keep ids monotonic
            if self._node is not None:
                return self._next_on_node(ms, self._node)
            if ms == self._last_ms:
                self._sequence += 1
                if self._sequence > _SEQUENCE_MASK:
                    ms += 1
                    self._sequence = secrets.randbelow(_START_SPREAD)
            else:
                self._sequence = secrets.randbelow(_START_SPREAD)
            self._last_ms = ms
            return (ms << _SEQUENCE_BITS) | self._sequence

    def _next_on_node(self, ms: int, node: int) -> int:
        if ms == self._last_ms:
            self._sequence += 1
            if self._sequence > _NODE_SEQUENCE_MASK:
                ms += 1
                self._sequence = 0
        else:
            self._sequence = 0
        self._last_ms = ms
        return (ms << _SEQUENCE_BITS) | (node << _NODE_SEQUENCE_BITS) | self._sequence


_generator = SnowflakeGenerator()


def new_id() -> int:
    return _generator.next_id()


def use_id_node(node: int) -> None:
    """Make this process's ids from now on in ``node``'s own range."""
    _generator.use_node(node)


def id_at(moment: datetime) -> int:
    """The smallest id a row created at ``moment`` can have."""
    return int(moment.timestamp() * 1000) << _SEQUENCE_BITS


def id_span(delta: timedelta) -> int:
    """How far apart the ids of two moments ``delta`` apart are."""
    return int(delta.total_seconds() * 1000) << _SEQUENCE_BITS


def time_of(snowflake: int) -> float:
    """Unix time (seconds) encoded in an id."""
    return (snowflake >> _SEQUENCE_BITS) / 1000.0


def parse_id(value: object) -> int | None:
    """A client-supplied id as an int, or None when it is not a valid id."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value < (1 << 63) else None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        number = int(value)
        return number if 0 < number < (1 << 63) else None
    return None
