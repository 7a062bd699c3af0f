"""Shared fixtures: real databases (SQLite or PostgreSQL), a real server, real clients."""

from __future__ import annotations

import itertools
import os
import secrets
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass

import pytest
from mastodon import Mastodon
from sqlalchemy import delete

from tests.databases import ENGINE, REDIS_URL, create_database, drop_database
from tests.servers import Server, own_server
from townsquare.domain.common.site import Site
from townsquare.storage.database import Database
from townsquare.storage.migrate import migrate
from townsquare.storage.schema import metadata

SITE = Site(base_url="http://test.invalid", domain="test.invalid")


@pytest.fixture(scope="session")
def site() -> Site:
    return SITE


@pytest.fixture(scope="session")
async def _domain_database(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Database]:
    url = await create_database("domain", tmp_path_factory.mktemp("db"))
    database = Database(url)
    await migrate(database)
    yield database
    await database.dispose()
    await drop_database(url)


@pytest.fixture
async def db(_domain_database: Database) -> AsyncIterator[Database]:
    """The migrated test database, emptied before each test."""
    async with _domain_database.write() as conn:
        for table in reversed(metadata.sorted_tables):
            await conn.execute(delete(table))
    yield _domain_database


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A townsquare server on loopback, with a database of its own."""
    yield from own_server(tmp_path_factory, "server", shared_redis=True)


_names = itertools.count()


def unique_name(prefix: str = "u") -> str:
    return f"{prefix}{next(_names)}_{secrets.token_hex(3)}"[:30]


@dataclass
class ClientApp:
    client_id: str
    client_secret: str


@pytest.fixture(scope="session")
def client_app(server: Server) -> ClientApp:
    client_id, client_secret = Mastodon.create_app(
        "townsquare tests",
        scopes=["read", "write", "follow", "push"],
        redirect_uris="urn:ietf:wg:oauth:2.0:oob",
        api_base_url=server.url,
    )
    return ClientApp(client_id, client_secret)


@dataclass
class User:
    username: str
    email: str
    password: str
    api: Mastodon
    id: str


def _client(server: Server, app: ClientApp, token: str | None = None) -> Mastodon:
    return Mastodon(
        client_id=app.client_id,
        client_secret=app.client_secret,
        access_token=token,
        api_base_url=server.url,
        ratelimit_method="throw",
    )


@pytest.fixture
def anonymous(server: Server, client_app: ClientApp) -> Mastodon:
    return _client(server, client_app)


def _user_factory(server: Server, app: ClientApp) -> Callable[..., User]:
    def make(prefix: str = "u", **profile: object) -> User:
        username = unique_name(prefix)
        email = f"{username}@example.org"
        password = secrets.token_urlsafe(12)
        api = _client(server, app)
        token = api.create_account(username, password, email, agreement=True)
        api = _client(server, app, token)
        if profile:
            api.account_update_credentials(**profile)
        me = api.account_verify_credentials()
        return User(username, email, password, api, str(me["id"]))

    return make


@pytest.fixture
def make_user(server: Server, client_app: ClientApp) -> Callable[..., User]:
    """Sign up a new account through the API and return a client logged in as it."""
    return _user_factory(server, client_app)


def pytest_report_header() -> list[str]:
    return [f"townsquare test database: {ENGINE}" + (" + redis" if REDIS_URL else "")]


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("TOWNSQUARE_TEST_DATABASE", ENGINE)
    del config


@pytest.fixture(scope="module")
def anonymous_module(server: Server, client_app: ClientApp) -> Mastodon:
    return _client(server, client_app)


@pytest.fixture(scope="module")
def make_user_module(server: Server, client_app: ClientApp) -> Callable[..., User]:
    """``make_user`` for module-scoped fixtures that build a shared scene."""
    return _user_factory(server, client_app)
