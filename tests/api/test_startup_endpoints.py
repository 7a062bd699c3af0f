"""What Mastodon apps call when they start, through Mastodon.py."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from mastodon import Mastodon, MastodonNotFoundError, MastodonUnauthorizedError

from tests.conftest import ClientApp, User
from tests.servers import Server

# (path, scope a token needs) for the endpoints that answer an empty list for now
EMPTY_LISTS = [
    ("/api/v1/announcements", None),
    ("/api/v1/filters", "read:filters"),
    ("/api/v2/filters", "read:filters"),
    ("/api/v1/lists", "read:lists"),
    ("/api/v1/conversations", "read:statuses"),
    ("/api/v1/followed_tags", "read:follows"),
    ("/api/v1/suggestions", "read"),
    ("/api/v2/suggestions", "read"),
    ("/api/v1/featured_tags", "read:accounts"),
    ("/api/v1/endorsements", "read:accounts"),
    ("/api/v1/domain_blocks", "read:blocks"),
    ("/api/v1/scheduled_statuses", "read:statuses"),
]
OPEN_LISTS = ["/api/v1/custom_emojis"]
# open to visitors too, and lists, empty or not (tests/api/test_trends_api.py fills them)
TRENDS = [
    "/api/v1/trends",
    "/api/v1/trends/tags",
    "/api/v1/trends/statuses",
    "/api/v1/trends/links",
]


def token_with(server: Server, client_app: ClientApp, user: User, scopes: list[str]) -> str:
    """A password-grant token holding only ``scopes``."""
    response = httpx.post(
        f"{server.url}/oauth/token",
        data={
            "grant_type": "password",
            "client_id": client_app.client_id,
            "client_secret": client_app.client_secret,
            "username": user.username,
            "password": user.password,
            "scope": " ".join(scopes),
        },
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_every_start_up_call_through_mastodon_py(make_user: Callable[..., User]) -> None:
    api = make_user("su").api
    assert api.custom_emojis() == []
    assert api.announcements() == []
    assert api.filters() == []
    assert api.filters_v2() == []
    assert api.lists() == []
    assert api.conversations() == []
    assert api.followed_tags() == []
    assert isinstance(api.trending_tags(), list)
    assert isinstance(api.trending_statuses(), list)
    assert isinstance(api.trending_links(), list)
    assert api.suggestions() == []
    assert api.featured_tags() == []
    assert api.endorsements() == []
    assert api.domain_blocks() == []
    assert api.scheduled_statuses() == []
    with pytest.raises(MastodonNotFoundError, match="Record not found"):
        api.push_subscription()


def test_preferences_follow_the_account_settings(make_user: Callable[..., User]) -> None:
    user = make_user("pr")
    assert user.api.preferences() == {
        "posting:default:visibility": "public",
        "posting:default:sensitive": False,
        "posting:default:language": None,
        "reading:expand:media": "default",
        "reading:expand:spoilers": False,
    }
    user.api.account_update_credentials(
        default_privacy="private", default_sensitive=True, default_language="ur"
    )
    preferences = user.api.preferences()
    assert preferences["posting:default:visibility"] == "private"
    assert preferences["posting:default:sensitive"] is True
    assert preferences["posting:default:language"] == "ur"


def test_visitors_get_the_open_endpoints_only(server: Server, anonymous: Mastodon) -> None:
    assert anonymous.custom_emojis() == []
    assert isinstance(anonymous.trending_tags(), list)
    for path in OPEN_LISTS:
        response = httpx.get(f"{server.url}{path}")
        assert response.status_code == 200, path
        assert response.json() == []
    for path in TRENDS:
        response = httpx.get(f"{server.url}{path}")
        assert response.status_code == 200, path
        assert isinstance(response.json(), list)
    for path, _scope in [*EMPTY_LISTS, ("/api/v1/preferences", None)]:
        response = httpx.get(f"{server.url}{path}")
        assert response.status_code == 401, path
        assert "error" in response.json()
    with pytest.raises(MastodonUnauthorizedError):
        anonymous.preferences()


def test_each_endpoint_wants_its_scope(
    server: Server, client_app: ClientApp, make_user: Callable[..., User]
) -> None:
    user = make_user("sc")

    def get(path: str, scopes: list[str]) -> httpx.Response:
        token = token_with(server, client_app, user, scopes)
        return httpx.get(f"{server.url}{path}", headers=bearer(token))

    for path, scope in EMPTY_LISTS:
        response = get(path, ["write"])
        if scope is None:  # announcements: any token of a signed-in user
            assert response.status_code == 200, path
            continue
        assert response.status_code == 403, path
        assert response.json() == {"error": "This action is outside the authorized scopes"}
        allowed = get(path, [scope])
        assert allowed.status_code == 200, path
        assert allowed.json() == []
    # the legacy follow scope grants reading blocks, as in Mastodon
    assert get("/api/v1/domain_blocks", ["follow"]).status_code == 200
    assert get("/api/v1/push/subscription", ["read"]).status_code == 403
    assert get("/api/v1/push/subscription", ["push"]).status_code == 404
    assert get("/api/v1/preferences", ["read:accounts"]).status_code == 200
    assert get("/api/v1/preferences", ["read:statuses"]).status_code == 403


def test_tag_entity(server: Server, make_user: Callable[..., User], anonymous: Mastodon) -> None:
    user = make_user("tg")
    user.api.status_post("#پاکستان_زندہ_باد")
    tag = user.api.tag("پاكستان_زندہ_باد")  # the Arabic kaf: the same tag
    assert tag["name"] == "پاکستان_زندہ_باد"
    assert tag["history"] == []
    assert tag["following"] is False
    assert tag["url"].startswith(server.url)
    seen_by_visitor = anonymous.tag("پاکستان_زندہ_باد")
    assert seen_by_visitor["id"] == tag["id"]
    raw = httpx.get(f"{server.url}/api/v1/tags/{tag['name']}").json()
    assert "following" not in raw  # only a signed-in user follows or not
    with pytest.raises(MastodonNotFoundError):
        anonymous.tag("no_such_tag_anywhere_" + user.username)
