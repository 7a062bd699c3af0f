"""Fixed-window rate limits, kept in process memory (one server process) or Redis.

Mastodon clients read ``X-RateLimit-Limit``, ``-Remaining`` and ``-Reset``; we send
them on every API answer and refuse with 429 when a window is spent.

Redis holds only these counts, so a Redis that fails (down, restarting, unreachable)
must not fail the requests it counts: each process then counts in its own memory, as a
server without Redis does, and tries Redis again a few seconds later. Limits are
looser meanwhile (one window per process instead of one shared), never absent.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger("townsquare.http")

# Bound the memory the in-process store can take under a flood of distinct keys.
_MAX_KEYS = 100_000
# Seconds a request may wait on Redis (a host dropping packets must not hold it up),
# and seconds of counting in process after Redis failed before trying it again.
REDIS_TIMEOUT = 0.5
REDIS_RETRY_AFTER = 5.0


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
        self._redis: Redis | None = None
        if redis_url:
            self._redis = Redis.from_url(
                redis_url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
            )
        # until when counts stay in process after Redis failed
        self._redis_failed_until = 0.0

    async def hit(self, key: str, limit: int, period: int = 300) -> Allowance:
        now = time.time()
        window = int(now // period)
        reset_at = float((window + 1) * period)
        if self._redis is not None and now >= self._redis_failed_until:
            try:
                count = await self._count_in_redis(self._redis, key, window, period)
            except (RedisError, OSError) as error:
                self._redis_failed_until = now + REDIS_RETRY_AFTER
                log.warning(
                    "Redis failed (%s); rate limits are counted in this process for %gs",
                    error or type(error).__name__,
                    REDIS_RETRY_AFTER,
                )
                count = self._count_here(key, window)
        else:
            count = self._count_here(key, window)
        return Allowance(limit, limit - count, reset_at)

    @staticmethod
    async def _count_in_redis(redis: Redis, key: str, window: int, period: int) -> int:
        redis_key = f"townsquare:rl:{key}:{window}"
        pipe = redis.pipeline()
        pipe.incr(redis_key)
        pipe.expire(redis_key, period + 5)
        return int((await pipe.execute())[0])

    def _count_here(self, key: str, window: int) -> int:
        current_window, count = self._windows.get(key, (window, 0))
        count = count + 1 if current_window == window else 1
        if len(self._windows) >= _MAX_KEYS and key not in self._windows:
            self._windows.clear()
        self._windows[key] = (window, count)
        return count

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()
