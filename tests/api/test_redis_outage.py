"""A server whose Redis (it holds the rate-limit counts) goes away keeps answering:
each process counts in its own memory, the X-RateLimit headers still come, a spent
window is still refused, and the counts go back to Redis once it answers again.

The server reaches Redis through a relay on loopback that the test cuts
(``tests.relay``), so the machine's Redis is never touched.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from redis import Redis

from tests.databases import create_database, drop_database
from tests.relay import Relay, relay_to
from tests.servers import Server, start_server

REDIS = ("127.0.0.1", 6379)


def _redis_reachable() -> bool:
    try:
        socket.create_connection(REDIS, timeout=2).close()
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(not _redis_reachable(), reason="needs Redis on 127.0.0.1:6379")

LIMIT = 40


@pytest.fixture(scope="module")
def relayed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Relay]]:
    directory: Path = tmp_path_factory.mktemp("redis-outage")
    url = asyncio.run(create_database("redis_outage", directory))
    with relay_to(*REDIS) as relay:
        # a database number of its own, so no other test's counts mix in
        env = {
            "TOWNSQUARE_REDIS_URL": f"redis://127.0.0.1:{relay.port}/7",
            "TOWNSQUARE_RATE_LIMIT_PER_5MIN": str(LIMIT),
        }
        server = start_server(url, directory, env)
        try:
            yield server, relay
        finally:
            server.stop()
    asyncio.run(drop_database(url))


def _remaining(server: Server, token: str) -> int:
    answer = httpx.get(
        f"{server.url}/api/v1/timelines/public",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert answer.status_code in (200, 401, 429), answer.text
    return int(answer.headers["x-ratelimit-remaining"])


def _counted_in_redis(token: str) -> bool:
    keys = Redis(*REDIS, db=7).keys(f"townsquare:rl:t:{token[-24:]}:*")
    return bool(keys)


def test_limits_hold_while_redis_is_away_and_return_to_it(relayed: tuple[Server, Relay]) -> None:
    server, relay = relayed
    before = "redis-outage-before-000000000000"
    first = _remaining(server, before)
    assert _remaining(server, before) == first - 1
    assert _counted_in_redis(before)

    relay.refuse()
    try:
        during = "redis-outage-during-000000000000"
        seen = [_remaining(server, during) for _ in range(LIMIT + 2)]
        # one server process counts it (tests run one): the window is spent and refused
        assert seen[0] == LIMIT - 1
        assert seen[-1] == 0
        refused = httpx.get(
            f"{server.url}/api/v1/timelines/public",
            headers={"Authorization": f"Bearer {during}"},
            timeout=30,
        )
        assert refused.status_code == 429
        assert refused.json() == {"error": "Too many requests"}
        assert not _counted_in_redis(during)
    finally:
        relay.restore()

    after = "redis-outage-after-0000000000000"
    for _ in range(100):  # Redis is tried again a few seconds after it failed
        _remaining(server, after)
        if _counted_in_redis(after):
            break
        time.sleep(0.2)
    assert _counted_in_redis(after)
