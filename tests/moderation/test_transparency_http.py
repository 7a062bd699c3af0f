"""The transparency report and the DSA endpoint on a real server, through Mastodon.py
and httpx (the pages are in tests/web/test_transparency_pages.py)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable

import httpx
import pytest
from mastodon import Mastodon

from tests.conftest import ClientApp, User, unique_name
from tests.moderation.corpus import ENTITIES, POSTS
from tests.moderation.dsa_schema import validate_statement
from tests.servers import Server


@pytest.fixture(scope="module")
def scene(
    server: Server, tmp_path_factory: pytest.TempPathFactory,
    make_user_module: Callable[..., User],
) -> dict[str, str]:  # fmt: skip
    """Entities imported, praise posted (downranked under the default open policy),
    and a moderator's credentials."""
    entities = tmp_path_factory.mktemp("entities") / "entities.json"
    entities.write_text(json.dumps(ENTITIES, ensure_ascii=False), encoding="utf-8")
    imported = server.cli("entities", "import", str(entities))
    assert imported.returncode == 0, imported.stderr
    writer = make_user_module("tr")
    praise = writer.api.status_post(POSTS["praise"][0])
    name = unique_name("mod")
    password = secrets.token_urlsafe(12)
    made = server.cli(
        "admin", "create-user", name, f"{name}@example.org", "--role", "moderator",
        "--password", password,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    return {"praise": str(praise["id"]), "moderator": name, "password": password}


def _staff_api(server: Server, scene: dict[str, str], scopes: list[str]) -> Mastodon:
    client_id, client_secret = Mastodon.create_app(
        "transparency tests", scopes=scopes, redirect_uris="urn:ietf:wg:oauth:2.0:oob",
        api_base_url=server.url,
    )  # fmt: skip
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=server.url)
    api.log_in(scene["moderator"], scene["password"], scopes=scopes, allow_http=True)
    return api


def test_the_public_report_counts_the_downranked_praise(
    server: Server, scene: dict[str, str]
) -> None:
    answer = httpx.get(f"{server.url}/api/v1/instance/transparency", timeout=30)
    assert answer.status_code == 200
    months = answer.json()["months"]
    assert months and all(len(m["month"]) == 7 for m in months)
    latest = months[0]
    assert latest["by_rule"]["praise-restricted-reach"] >= 1
    assert latest["by_action"]["downrank"] >= 1
    assert latest["decisions"] == latest["automated"] + latest["not_automated"]
    assert "evidence" not in answer.text and POSTS["praise"][0] not in answer.text


def test_dsa_statements_for_staff_paged_and_valid(server: Server, scene: dict[str, str]) -> None:
    api = _staff_api(server, scene, ["read", "admin:read"])
    headers = {"Authorization": f"Bearer {api.access_token}"}
    statements: list[dict[str, object]] = []
    url: str | None = f"{server.url}/api/v1/admin/transparency/dsa?limit=1"
    for _ in range(50):  # bounded: a broken Link header must not loop forever
        if url is None:
            break
        answer = httpx.get(url, headers=headers, timeout=30)
        assert answer.status_code == 200, answer.text
        assert len(answer.json()) <= 1
        statements.extend(answer.json())
        url = answer.links.get("next", {}).get("url")
    assert url is None
    assert statements
    for statement in statements:
        assert validate_statement(statement) == [], statement
    assert len({s["puid"] for s in statements}) == len(statements)
    assert any(
        s.get("decision_visibility") == ["DECISION_VISIBILITY_CONTENT_DEMOTED"] for s in statements
    )


def test_dsa_endpoint_refuses_others(
    server: Server, scene: dict[str, str], client_app: ClientApp, make_user: Callable[..., User]
) -> None:
    url = f"{server.url}/api/v1/admin/transparency/dsa"
    anonymous = httpx.get(url, timeout=30)
    assert anonymous.status_code == 401 and "error" in anonymous.json()
    # an ordinary user's token without admin scopes, then one with them
    user = make_user("trx")
    plain = httpx.get(url, headers={"Authorization": f"Bearer {user.api.access_token}"})
    assert plain.status_code == 403 and "error" in plain.json()
    client_id, client_secret = Mastodon.create_app(
        "trx", scopes=["read", "admin:read"], redirect_uris="urn:ietf:wg:oauth:2.0:oob",
        api_base_url=server.url,
    )  # fmt: skip
    scoped = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=server.url)
    scoped.log_in(user.username, user.password, scopes=["read", "admin:read"], allow_http=True)
    by_role = httpx.get(url, headers={"Authorization": f"Bearer {scoped.access_token}"})
    assert by_role.status_code == 403 and by_role.json() == {"error": "This action is not allowed"}
    staff = _staff_api(server, scene, ["read", "admin:read"])
    bad = httpx.get(
        url, params={"limit": "lots"}, headers={"Authorization": f"Bearer {staff.access_token}"}
    )
    assert bad.status_code == 422 and "limit" in bad.json()["error"]
