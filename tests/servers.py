"""A real townsquare server in a subprocess on a free loopback port."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.databases import REDIS_URL, create_database, drop_database

STARTUP_SECONDS = 90


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    url: str
    domain: str
    env: dict[str, str]
    process: subprocess.Popen[bytes]
    log_path: Path

    def cli(self, *args: str, input_text: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "townsquare.cli", *args],
            env=self.env,
            capture_output=True,
            text=True,
            input=input_text,
            timeout=120,
            check=False,
        )

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def start_server(database_url: str, log_dir: Path, extra_env: Mapping[str, str] = ()) -> Server:  # type: ignore[assignment]
    port = free_port()
    domain = f"127.0.0.1:{port}"
    env = {
        **os.environ,
        "TOWNSQUARE_DATABASE_URL": database_url,
        "TOWNSQUARE_DOMAIN": domain,
        "TOWNSQUARE_SCHEME": "http",
        "TOWNSQUARE_RATE_LIMIT_PER_5MIN": "1000000",
        "TOWNSQUARE_LOGIN_ATTEMPTS_PER_5MIN": "1000000",
        "TOWNSQUARE_REGISTRATIONS_PER_5MIN_PER_IP": "1000000",
        "TOWNSQUARE_WEB_FORMS_PER_5MIN": "1000000",
        # uploads go to the run's own directory, never the working tree
        "TOWNSQUARE_MEDIA_DIR": str(log_dir / "media"),
        **dict(extra_env),
    }
    migrate = subprocess.run(
        [sys.executable, "-m", "townsquare.cli", "migrate"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    if migrate.returncode != 0:
        raise RuntimeError(f"migrate failed: {migrate.stderr}")
    log_path = log_dir / f"server-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "townsquare.cli", "serve", "--host", "127.0.0.1",
             "--port", str(port)],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    server = Server(f"http://{domain}", domain, env, process, log_path)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log_path.read_text()}")
        try:
            if httpx.get(f"{server.url}/api/v1/instance", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"server did not start in {STARTUP_SECONDS}s: {log_path.read_text()}")


def own_server(
    tmp_path_factory: pytest.TempPathFactory,
    label: str,
    settings: Mapping[str, str] | None = None,
    *,
    policy: str | None = None,
    shared_redis: bool = False,
) -> Iterator[Server]:
    """For a module-scoped fixture: a server of its own on a database of its own, with
    these settings; stopped and its database dropped afterwards. ``policy`` is the text
    of the moderation policy file it runs under; ``shared_redis`` gives it the run's
    Redis where the run has one (the PostgreSQL run)."""
    directory: Path = tmp_path_factory.mktemp(label)
    env = dict(settings or {})
    if policy is not None:
        policy_file = directory / f"{label}-policy.toml"
        policy_file.write_text(policy, encoding="utf-8")
        env["TOWNSQUARE_MODERATION_POLICY"] = str(policy_file)
    if shared_redis and REDIS_URL:
        env["TOWNSQUARE_REDIS_URL"] = REDIS_URL
    url = asyncio.run(create_database(label, directory))
    running = start_server(url, directory, env)
    yield running
    running.stop()
    asyncio.run(drop_database(url))
