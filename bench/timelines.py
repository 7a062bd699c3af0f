"""Home-timeline reads and post creations per second through the API.

Fills a fresh database (10,000 accounts, 200,000 posts, a heavy-tailed follower graph
by default), starts a real server on loopback and drives it with wrk, then prints a
table with each endpoint's rate and its ratio to two yardsticks measured in the same
run on the same server: a trivial JSON endpoint and a bare SQL-backed one (/healthz).
It also gives the server's own CPU time per request (all its processes, read from
/proc around each run), which moves less than the rates when other work shares the
machine, and wrk's, which shares the two cores with the server.

    python -m bench.timelines --engine sqlite
    python -m bench.timelines --engine postgresql --accounts 10000 --posts 200000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.kept import copy_kept, drop_database, keep, make_database
from bench.seed import seed
from townsquare.domain.common.site import Site
from townsquare.storage.database import Database
from townsquare.storage.migrate import migrate

STARTUP_SECONDS = 300


@dataclass
class Result:
    name: str
    rate: float
    p50_ms: float
    p99_ms: float
    errors: int
    timeouts: int
    server_cpu_us: float = float("nan")
    wrk_cpu_us: float = float("nan")
    database_cpu_us: float = float("nan")


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _postgres_cpu_seconds() -> float:
    """User and system time of every PostgreSQL process on the machine (its backends
    serve the server's connections), from /proc; 0 where there is none."""
    total = 0.0
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            head, _, rest = (entry / "stat").read_text().rpartition(")")
        except OSError:
            continue
        if head.endswith("(postgres"):
            fields = rest.split()
            total += (int(fields[11]) + int(fields[12])) / _TICK
    return total


def _cpu_seconds(root: int) -> float:
    """User and system time of ``root`` and every process under it (the server's
    supervisor and its workers), from /proc; 0 where /proc is not there."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # after the command: state, ppid, ... utime (12th), stime (13th)
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / _TICK
    total, wanted = 0.0, [root]
    seen: set[int] = set()
    while wanted:
        pid = wanted.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += times.get(pid, 0.0)
        wanted.extend(child for child, parent in parents.items() if parent == pid)
    return total


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _lua(path: Path, method: str, target: str, tokens: list[str], body: str = "") -> Path:
    quoted = ",".join(f'"{t}"' for t in tokens)
    script = f"""
tokens = {{{quoted}}}
counter = 0
request = function()
  counter = counter + 1
  local headers = {{}}
  if #tokens > 0 then headers["Authorization"] = "Bearer " .. tokens[(counter % #tokens) + 1] end
  local body = nil
  if "{method}" == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    body = "{body}" .. counter .. "+" .. math.random(1000000)
  end
  return wrk.format("{method}", "{target}", headers, body)
end
"""
    path.write_text(script)
    return path


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(value: str) -> float:
    match = re.match(r"([\d.]+)(us|ms|s)", value)
    return float(match.group(1)) * _UNITS[match.group(2)] if match else float("nan")


def _wrk(url: str, script: Path, duration: int, connections: int, server: int) -> Result:
    server_before, wrk_before = _cpu_seconds(server), _children_cpu()
    database_before = _postgres_cpu_seconds()
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(script), url],
        capture_output=True, text=True, timeout=duration + 60, check=True,
    ).stdout  # fmt: skip
    server_cpu, wrk_cpu = _cpu_seconds(server) - server_before, _children_cpu() - wrk_before
    database_cpu = _postgres_cpu_seconds() - database_before
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    # line-anchored: a thread's "+/- Stdev" column (e.g. 89.99%) must not pass for p99
    p50 = re.search(r"^\s*50(?:\.000)?%\s+(\S+)", out, re.MULTILINE)
    p99 = re.search(r"^\s*99(?:\.000)?%\s+(\S+)", out, re.MULTILINE)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    failed = int(errors.group(1)) if errors else 0
    timeouts = sum(int(g) for g in socket_errors.groups()) if socket_errors else 0
    p50_ms = _ms(p50.group(1)) if p50 else 0.0
    p99_ms = _ms(p99.group(1)) if p99 else 0.0
    total = re.search(r"(\d+) requests in", out)
    count = int(total.group(1)) if total else 0
    per = 1e6 / count if count else float("nan")
    return Result(
        "", rate, p50_ms, p99_ms, failed, timeouts, server_cpu * per, wrk_cpu * per,
        database_cpu * per,
    )  # fmt: skip


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument(
        "--startup",
        type=int,
        default=STARTUP_SECONDS,
        help="seconds the server may take to answer (each process builds the language "
        "detector first, which on a busy shared machine took more than five minutes)",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        help="seed once and keep the database (SQLite: the file in this folder; "
        "PostgreSQL: a template database named there); later runs start from a copy",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("error: wrk is not installed (apt-get install wrk)")

    directory = Path(tempfile.mkdtemp(prefix="townsquare-bench-"))
    kept = copy_kept(args.keep, args.engine, directory) if args.keep else None
    url = kept[0] if kept else asyncio.run(make_database(args.engine, directory))
    port = _free_port()
    site = Site(base_url=f"http://127.0.0.1:{port}", domain=f"127.0.0.1:{port}")
    server: subprocess.Popen[bytes] | None = None
    try:

        async def prepare() -> list[str]:
            db = Database(url)
            try:
                await migrate(db)
                began = time.monotonic()
                seeded = await seed(db, site, n_accounts=args.accounts, n_posts=args.posts)
                print(
                    f"seeded {seeded.accounts} accounts, {seeded.posts} posts, "
                    f"{seeded.follows} follows in {time.monotonic() - began:.0f}s"
                )
                return seeded.reader_tokens
            finally:
                await db.dispose()

        tokens = kept[1] if kept else asyncio.run(prepare())
        if args.keep and not kept:
            keep(args.keep, url, tokens)
        env = {
            **os.environ,
            "TOWNSQUARE_DATABASE_URL": url,
            "TOWNSQUARE_DOMAIN": site.domain,
            "TOWNSQUARE_SCHEME": "http",
            "TOWNSQUARE_RATE_LIMIT_PER_5MIN": "100000000",
        }
        log = (directory / "server.log").open("wb")
        server = subprocess.Popen(
            [sys.executable, "-m", "townsquare.cli", "serve", "--port", str(port),
             "--workers", str(args.workers)],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        # each server process builds the language detector before it answers, which
        # takes a minute or more on a busy machine
        deadline = time.monotonic() + args.startup
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{site.base_url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        else:
            log_text = (directory / "server.log").read_text(errors="replace")
            sys.exit(f"error: the server did not start in {args.startup}s:\n{log_text}")

        runs = [
            ("trivial JSON (/api/v1/instance/peers)", "GET", "/api/v1/instance/peers", [], ""),
            ("bare SQL JSON (/healthz)", "GET", "/healthz", [], ""),
            ("home timeline, 20 posts", "GET", "/api/v1/timelines/home?limit=20", tokens, ""),
            ("create post", "POST", "/api/v1/statuses", tokens, "status=benchmark+post+"),
        ]
        results = []
        for name, method, target, run_tokens, body in runs:
            script = _lua(directory / f"{len(results)}.lua", method, target, run_tokens, body)
            result = _wrk(site.base_url, script, args.duration, args.connections, server.pid)
            result.name = name
            results.append(result)

        trivial, bare = results[0].rate, results[1].rate
        postgres = args.engine == "postgresql"
        print()
        print(f"engine: {args.engine}; {args.accounts} accounts, {args.posts} posts; "
              f"{args.workers} server processes, wrk {args.connections} connections, "
              f"{args.duration}s each")  # fmt: skip
        print(
            f"| {'endpoint':<40} | {'req/s':>8} | {'p50 ms':>7} | {'p99 ms':>7} | "
            f"{'non-2xx':>7} | {'sock err':>8} | {'vs trivial':>10} | {'vs bare SQL':>11} | "
            f"{'server µs':>9} | {'wrk µs':>6} |" + (" db µs |" if postgres else "")
        )
        print(
            f"|{'-' * 42}|{'-' * 10}|{'-' * 9}|{'-' * 9}|{'-' * 9}|{'-' * 10}|{'-' * 12}|"
            f"{'-' * 13}|{'-' * 11}|{'-' * 8}|" + ("-------|" if postgres else "")
        )
        for r in results:
            print(
                f"| {r.name:<40} | {r.rate:>8.0f} | {r.p50_ms:>7.1f} | {r.p99_ms:>7.1f} | "
                f"{r.errors:>7} | {r.timeouts:>8} | {r.rate / trivial:>10.2f} | "
                f"{r.rate / bare:>11.2f} | {r.server_cpu_us:>9.0f} | {r.wrk_cpu_us:>6.0f} |"
                + (f" {r.database_cpu_us:>5.0f} |" if postgres else "")
            )
        print(
            "server µs, wrk µs: CPU time per request of the server's processes and of wrk"
            + ("; db µs: of PostgreSQL's processes" if postgres else "")
        )
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=30)
        asyncio.run(drop_database(url))
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
