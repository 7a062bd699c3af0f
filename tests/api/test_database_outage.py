"""A server whose PostgreSQL goes away: connections that die while hot cost no request,
and while the database cannot be reached every surface says so (503, Mastodon's error
body and ``Retry-After`` on the API, a readable page on the web, in the reader's
language), never a 500; once it is back the server answers again without a restart.

The server reaches PostgreSQL through a relay on loopback that the test cuts
(``tests.relay``), so the shared database server is never touched. It runs in both
test runs, as PostgreSQL is the engine whose connections can be lost.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from mastodon import Mastodon
from mastodon.errors import MastodonServiceUnavailableError
from sqlalchemy.engine import make_url

from tests.conftest import ClientApp, User, _user_factory
from tests.databases import create_database, drop_database, postgres_reachable
from tests.relay import Relay, relay_to
from tests.servers import Server, start_server

pytestmark = pytest.mark.skipif(
    not asyncio.run(postgres_reachable()), reason="needs PostgreSQL on 127.0.0.1:5432 to cut"
)


@pytest.fixture(scope="module")
def relayed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Relay]]:
    directory: Path = tmp_path_factory.mktemp("outage")
    url = asyncio.run(create_database("outage", directory, engine="postgresql"))
    address = make_url(url)
    with relay_to(address.host or "127.0.0.1", address.port or 5432) as relay:
        relayed_url = address.set(host="127.0.0.1", port=relay.port)
        server = start_server(relayed_url.render_as_string(hide_password=False), directory)
        try:
            yield server, relay
        finally:
            server.stop()
    asyncio.run(drop_database(url))


@pytest.fixture(scope="module")
def user(relayed: tuple[Server, Relay]) -> User:
    server, _ = relayed
    client_id, client_secret = Mastodon.create_app(
        "outage tests", scopes=["read", "write", "follow", "push"], api_base_url=server.url
    )
    return _user_factory(server, ClientApp(client_id, client_secret))("outage")


def test_connections_lost_while_hot_cost_no_request(
    relayed: tuple[Server, Relay], user: User
) -> None:
    server, relay = relayed
    for round_ in range(3):
        user.api.status_post(f"warm {round_}")
        user.api.timeline_home()
    relay.cut_links()  # every pooled connection's server end is gone at once
    posted = user.api.status_post("after the cut")  # the write began again on a fresh one
    assert user.api.timeline_home()[0]["id"] == posted["id"]
    assert user.api.account_verify_credentials()["statuses_count"] == 4
    assert user.api.status(posted["id"])["content"] == "<p>after the cut</p>"
    assert httpx.get(f"{server.url}/@{user.username}", timeout=10).status_code == 200


def test_while_the_database_is_down_every_surface_says_so_and_recovers(
    relayed: tuple[Server, Relay], user: User
) -> None:
    server, relay = relayed
    user.api.status_post("before the outage")
    relay.refuse()
    try:
        with pytest.raises(MastodonServiceUnavailableError):
            user.api.status_post("during the outage")
        with pytest.raises(MastodonServiceUnavailableError):
            user.api.timeline_home()
        headers = {"Authorization": f"Bearer {user.api.access_token}"}
        for method, path in (
            ("GET", "/api/v1/timelines/home"),
            ("GET", "/api/v1/accounts/verify_credentials"),
            ("POST", "/api/v1/statuses"),
            ("GET", "/healthz"),
        ):
            answer = httpx.request(
                method, f"{server.url}{path}", headers=headers, data={"status": "x"}, timeout=30
            )
            assert answer.status_code == 503, (path, answer.text)
            assert answer.json() == {"error": "Service Unavailable"}
            assert int(answer.headers["retry-after"]) > 0
        page = httpx.get(f"{server.url}/public", headers={"Accept-Language": "ur"}, timeout=30)
        assert page.status_code == 503
        assert "text/html" in page.headers["content-type"]
        assert "ڈیٹا بیس تک نہیں پہنچ" in page.text
        assert 'dir="rtl"' in page.text
    finally:
        relay.restore()
    posted = user.api.status_post("after the outage")
    assert user.api.timeline_home()[0]["id"] == posted["id"]
    statuses = user.api.account_statuses(user.id)
    assert "during the outage" not in {s["content"] for s in statuses}
    assert httpx.get(f"{server.url}/healthz", timeout=10).status_code == 200
