"""Schemathesis against the app in-process: whatever a client sends, never a 500.

Two passes: our own /openapi.json as the app describes itself, and the same routes
with the parameters and bodies Mastodon documents for them, since our handlers read
their parameters themselves and so describe few of them.
"""

from __future__ import annotations

import asyncio
import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.python.asgi import shutdown_lifespans

from tests.databases import MASTODON_SPEC, create_database, drop_database
from townsquare.app import create_app
from townsquare.config import Settings
from townsquare.domain.accounts.actions import NewAccount, register
from townsquare.domain.auth.actions import create_app as register_app
from townsquare.domain.auth.actions import issue_token
from townsquare.http.errors import install_error_handlers
from townsquare.storage.database import Database
from townsquare.storage.migrate import migrate

SPEC_PATH = MASTODON_SPEC
# Bounded so the module runs in well under a minute; most of the time goes to
# generating Mastodon's larger request bodies, not to the app.
EXAMPLES = {GenerationMode.POSITIVE: 3, GenerationMode.NEGATIVE: 2}
FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@dataclass
class Target:
    app: FastAPI
    headers: dict[str, str]


async def _seed(url: str) -> str:
    """A migrated database with one person and a token for them."""
    db = Database(url)
    try:
        await migrate(db)
        async with db.write() as conn:
            client = await register_app(
                conn,
                name="fuzz",
                redirect_uris="urn:ietf:wg:oauth:2.0:oob",
                scopes="read write follow push profile",
                website=None,
            )
            account = await register(
                conn,
                NewAccount(
                    username="fuzzer", email="fuzzer@example.org", password="correct horse battery"
                ),
            )
            issued = await issue_token(
                conn, client.id, account.id, ["read", "write", "follow", "push", "profile"]
            )
        return issued.token
    finally:
        await db.dispose()


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    directory = tmp_path_factory.mktemp("fuzz")
    url = asyncio.run(create_database("fuzz", directory))
    token = asyncio.run(_seed(url))
    app = create_app(
        Settings(
            database_url=url,
            domain="testserver",
            scheme="http",
            rate_limit_per_5min=10**6,
            login_attempts_per_5min=10**6,
            registrations_per_5min_per_ip=10**6,
        )
    )
    yield Target(app, {"Authorization": f"Bearer {token}"})
    shutdown_lifespans()
    asyncio.run(drop_database(url))


@pytest.fixture(scope="module")
def own_schema(target: Target) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", target.app)


def _generic(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def _with_mastodon_parameters(ours: dict[str, Any], mastodon: dict[str, Any]) -> dict[str, Any]:
    """Our routes, each given the query parameters and body Mastodon documents for it."""
    merged = copy.deepcopy(ours)
    documented = {_generic(path): operations for path, operations in mastodon["paths"].items()}
    for path, operations in merged["paths"].items():
        theirs = documented.get(_generic(path), {})
        for method, operation in operations.items():
            spec_operation = theirs.get(method)
            if not spec_operation:
                continue
            extra = [
                p
                for p in [*theirs.get("parameters", []), *spec_operation.get("parameters", [])]
                if p.get("in") in ("query", "header") and p.get("name") != "Authorization"
            ]
            operation["parameters"] = [*operation.get("parameters", []), *extra]
            if "requestBody" in spec_operation:
                operation["requestBody"] = spec_operation["requestBody"]
    components = merged.setdefault("components", {})
    for kind, items in mastodon.get("components", {}).items():
        if kind in ("securitySchemes",):
            continue
        components.setdefault(kind, {}).update(items)
    return merged


@pytest.fixture(scope="module")
def mastodon_shaped_schema(target: Target) -> Any:
    if not SPEC_PATH.exists():
        pytest.skip(f"no Mastodon OpenAPI description at {SPEC_PATH}")
    ours = schemathesis.openapi.from_asgi("/openapi.json", target.app).raw_schema
    merged = _with_mastodon_parameters(ours, json.loads(SPEC_PATH.read_text(encoding="utf-8")))
    schema = schemathesis.openapi.from_dict(merged)
    schema.app = target.app
    return schema


def fuzz(
    schema: Any, headers: dict[str, str], modes: tuple[GenerationMode, ...], *, at_least: int = 20
) -> list[str]:
    """Run every operation in each mode (valid or invalid data); describe each server error.

    Driven by hand rather than by schemathesis' pytest plugin, whose fixture-based
    loader does not work with the pytest we use.
    """
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            continue  # a part of Mastodon's description schemathesis cannot use
        operation = result.ok()
        operations += 1
        for mode in modes:

            @settings(FUZZ, max_examples=EXAMPLES[mode])
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case: Any) -> None:
                case.call_and_validate(headers=dict(headers), checks=[not_a_server_error])

            try:
                run()
            except Unsatisfiable:
                continue  # nothing to make invalid: no parameters, or only free text
            except Exception as exc:  # every failure is collected, then reported together
                first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
                failures.append(
                    f"{operation.method.upper()} {operation.path} ({mode.value}): "
                    f"{first_line[:300]}"
                )
    assert operations >= at_least, f"only {operations} operations found"
    return failures


def test_our_schema_never_gets_a_server_error(own_schema: Any, target: Target) -> None:
    # Our own description has little but path parameters: valid data is what there is.
    failures = fuzz(own_schema, target.headers, (GenerationMode.POSITIVE,))
    assert not failures, "\n".join(failures)


def test_mastodon_shaped_requests_never_get_a_server_error(
    mastodon_shaped_schema: Any, target: Target
) -> None:
    modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    failures = fuzz(mastodon_shaped_schema, target.headers, modes)
    assert not failures, "\n".join(failures)


def test_the_fuzzer_reports_a_server_error() -> None:
    """Guard the guard: a route that fails must show up as a failure."""
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/broken/{value}")
    async def broken(value: str) -> dict[str, str]:
        raise RuntimeError(value)

    failures = fuzz(
        schemathesis.openapi.from_asgi("/openapi.json", app),
        {},
        (GenerationMode.POSITIVE,),
        at_least=1,
    )
    assert len(failures) == 1
    assert failures[0].startswith("GET /broken/{value}")
