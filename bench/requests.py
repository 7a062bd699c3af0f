"""Requests through the whole ASGI app in process, for counting what one costs.

Runs ``count`` requests to one endpoint (middleware, routing, authentication, the
handler, the JSON), after a warm-up of the same requests, against a copy of a database
kept by ``bench.timelines --keep`` (``--engine postgresql`` for a kept PostgreSQL one).
Under ``valgrind --tool=callgrind`` the difference between two counts divided by the
difference in requests is the instructions one request costs, which stays put on a
machine whose wall-clock rates move by a factor of four:

    valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        python -m bench.requests KEPT_DIR home 50
    python -m bench.requests KEPT_DIR home 2000 --profile   # where the time goes (cProfile)

No job worker runs, so ``post`` counts what a post costs in its request (the jobs
it queues are left queued); its warm-up builds the language detector.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.kept import copy_kept, drop_database

TARGETS = {
    "home": "/api/v1/timelines/home?limit=20",
    "healthz": "/healthz",
    "peers": "/api/v1/instance/peers",
    "post": "/api/v1/statuses",
}
# Endpoints that write, with the form body each request sends (numbered, so that no
# two posts are the same).
BODIES = {"post": "status=benchmark+post+number+{n}"}


def _scope(target: str, token: str | None, body: bytes | None = None) -> dict[str, Any]:
    path, _, query = target.partition("?")
    headers = [(b"host", b"127.0.0.1:8000"), (b"user-agent", b"bench")]
    if token is not None:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    if body is not None:
        headers.append((b"content-type", b"application/x-www-form-urlencoded"))
        headers.append((b"content-length", str(len(body)).encode()))
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET" if body is None else "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def _requests(
    app: Any, target: str, tokens: list[str], count: int, body: str | None = None
) -> int:
    """Sends ``count`` requests, rotating the readers' tokens; the bytes answered."""
    answered = 0
    sent = b""

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": sent, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal answered
        if message["type"] == "http.response.start" and message["status"] != 200:
            raise RuntimeError(f"status {message['status']}")
        if message["type"] == "http.response.body":
            answered += len(message.get("body", b""))

    for n in range(count):
        token = tokens[n % len(tokens)] if tokens else None
        sent = body.format(n=secrets.token_hex(4)).encode() if body is not None else b""
        await app(_scope(target, token, sent if body is not None else None), receive, send)
    return answered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("kept", type=Path, help="a folder kept by bench.timelines --keep")
    parser.add_argument("endpoint", choices=sorted(TARGETS))
    parser.add_argument("count", type=int)
    parser.add_argument("--profile", action="store_true", help="print cProfile's top entries")
    parser.add_argument("--warm-up", type=int, default=400, help="requests sent before counting")
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="townsquare-requests-"))
    kept = copy_kept(args.kept, args.engine, folder)
    if kept is None:
        shutil.rmtree(folder, ignore_errors=True)
        sys.exit(f"error: no {args.engine} database is kept in {args.kept}")
    url, tokens = kept
    os.environ.update(
        TOWNSQUARE_DATABASE_URL=url,
        TOWNSQUARE_DOMAIN="127.0.0.1:8000",
        TOWNSQUARE_SCHEME="http",
        TOWNSQUARE_RATE_LIMIT_PER_5MIN="100000000",
        TOWNSQUARE_IN_PROCESS_WORKER="false",
    )
    from townsquare.app import create_app  # after the environment is set

    app = create_app()
    target = TARGETS[args.endpoint]
    used = tokens if args.endpoint in ("home", "post") else []
    body = BODIES.get(args.endpoint)

    async def run() -> None:
        await _requests(app, target, used, args.warm_up, body)
        profiler = cProfile.Profile() if args.profile else None
        began, cpu = time.perf_counter(), time.process_time()
        if profiler is not None:
            profiler.enable()
        size = await _requests(app, target, used, args.count, body)
        if profiler is not None:
            profiler.disable()
        took, used_cpu = time.perf_counter() - began, time.process_time() - cpu
        print(f"{args.count} requests, {took / args.count * 1e6:.0f} µs each "
              f"({used_cpu / args.count * 1e6:.0f} µs of CPU), "
              f"{size // max(args.count, 1)} bytes each")  # fmt: skip
        if profiler is not None:
            pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "tottime")).print_stats(
                int(os.environ.get("BENCH_TOP", "40"))
            )
        await app.state.townsquare.db.dispose()

    try:
        asyncio.run(run())
    finally:
        asyncio.run(drop_database(url))
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
