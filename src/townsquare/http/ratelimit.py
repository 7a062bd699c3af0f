"""Fixed-window rate limits, kept in process memory (one server process) or Redis.

Mastodon clients read ``X-RateLimit-Limit``, ``-Remaining`` and ``-Reset``; we send
them on every API answer and refuse with 429 when a window is spent.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from redis.asyncio import Redis

# Bound the memory the in-process store can take under a flood of distinct keys.
_MAX_KEYS = 100_000


@dataclass(frozen=True, slots=True)
class Allowance:
    limit: int
    remaining: int
    reset_at: float

    @property
    def allowed(self) -> bool:
        return self.remaining >= 0

    def header_pairs(self) -> list[tuple[bytes, bytes]]:
        """``headers()`` as ASGI header pairs (what every API answer adds)."""
        return [
            (b"X-RateLimit-Limit", str(self.limit).encode()),
            (b"X-RateLimit-Remaining", str(max(self.remaining, 0)).encode()),
            (b"X-RateLimit-Reset", _reset_header(self.reset_at).encode()),
        ]

    def headers(self) -> dict[str, str]:
        reset = _reset_header(self.reset_at)
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(self.remaining, 0)),
            "X-RateLimit-Reset": reset,
        }


@lru_cache(maxsize=8)
def _reset_header(reset_at: float) -> str:
    # a window's end is the same for every request in it
    return datetime.fromtimestamp(reset_at, UTC).isoformat().replace("+00:00", "Z")


class RateLimiter:
    def __init__(self, redis_url: str | None = None) -> None:
        self._windows: dict[str, tuple[int, int]] = {}
        self._redis: Redis | None = Redis.from_url(redis_url) if redis_url else None

    async def hit(self, key: str, limit: int, period: int = 300) -> Allowance:
        now = time.time()
        window = int(now // period)
        reset_at = float((window + 1) * period)
        if self._redis is not None:
            redis_key = f"townsquare:rl:{key}:{window}"
            pipe = self._redis.pipeline()
            pipe.incr(redis_key)
            pipe.expire(redis_key, period + 5)
            count = int((await pipe.execute())[0])
        else:
            current_window, count = self._windows.get(key, (window, 0))
            count = count + 1 if current_window == window else 1
            if len(self._windows) >= _MAX_KEYS and key not in self._windows:
                self._windows.clear()
            self._windows[key] = (window, count)
        return Allowance(limit, limit - count, reset_at)

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()
