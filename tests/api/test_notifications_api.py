"""Notifications and markers through Mastodon.py against a running server."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from mastodon import MastodonNotFoundError

from tests.conftest import User
from tests.servers import Server


def kinds(items: list[dict[str, object]]) -> list[tuple[object, object]]:
    return [(item["type"], item["account"]["id"]) for item in items]  # type: ignore[index]


@pytest.fixture
def notified(make_user: Callable[..., User]) -> tuple[User, dict[str, User], dict[str, str]]:
    """``me`` mentioned, favourited, reposted and followed, by four accounts."""
    me = make_user("me")
    others = {name: make_user(name[:2]) for name in ("mentioner", "fan", "booster", "follower")}
    mine = me.api.status_post("something to react to")
    mention = others["mentioner"].api.status_post(f"@{me.username} hello there")
    others["fan"].api.status_favourite(mine["id"])
    others["booster"].api.status_reblog(mine["id"])
    others["follower"].api.account_follow(me.id)
    return me, others, {"mine": str(mine["id"]), "mention": str(mention["id"])}


def test_every_kind_is_listed_with_its_status(
    notified: tuple[User, dict[str, User], dict[str, str]],
) -> None:
    me, others, posts = notified
    items = me.api.notifications()
    assert kinds(items) == [
        ("follow", others["follower"].id),
        ("reblog", others["booster"].id),
        ("favourite", others["fan"].id),
        ("mention", others["mentioner"].id),
    ]
    by_type = {item["type"]: item for item in items}
    assert by_type["mention"]["status"]["id"] == posts["mention"]
    assert by_type["favourite"]["status"]["id"] == posts["mine"]
    assert by_type["reblog"]["status"]["id"] == posts["mine"]
    assert by_type["follow"].get("status") is None
    for item in items:
        assert item["group_key"] == f"ungrouped-{item['id']}"
        assert item["created_at"] is not None
    one = me.api.notifications(id=by_type["mention"]["id"])
    assert one["status"]["id"] == posts["mention"]


def test_types_exclude_types_and_account_id(
    notified: tuple[User, dict[str, User], dict[str, str]],
) -> None:
    me, others, _posts = notified
    assert kinds(me.api.notifications(types=["favourite", "reblog"])) == [
        ("reblog", others["booster"].id),
        ("favourite", others["fan"].id),
    ]
    assert kinds(me.api.notifications(exclude_types=["follow", "mention"])) == [
        ("reblog", others["booster"].id),
        ("favourite", others["fan"].id),
    ]
    assert kinds(me.api.notifications(mentions_only=True)) == [("mention", others["mentioner"].id)]
    assert kinds(me.api.notifications(account_id=others["fan"].id)) == [
        ("favourite", others["fan"].id)
    ]


def test_notifications_page_with_link_headers(
    notified: tuple[User, dict[str, User], dict[str, str]],
) -> None:
    me, _others, _posts = notified
    everything = [item["id"] for item in me.api.notifications()]
    first = me.api.notifications(limit=3)
    second = me.api.fetch_next(first)
    assert [item["id"] for item in first] + [item["id"] for item in second] == everything
    assert [item["id"] for item in me.api.fetch_previous(second)] == everything[:3]


def test_dismiss_and_clear(
    notified: tuple[User, dict[str, User], dict[str, str]], make_user: Callable[..., User]
) -> None:
    me, others, _posts = notified
    newest = me.api.notifications()[0]
    stranger = make_user("sg")
    with pytest.raises(MastodonNotFoundError):
        stranger.api.notifications_dismiss(newest["id"])
    with pytest.raises(MastodonNotFoundError):
        stranger.api.notifications(id=newest["id"])

    me.api.notifications_dismiss(newest["id"])
    remaining = me.api.notifications()
    assert newest["id"] not in [item["id"] for item in remaining]
    assert len(remaining) == 3
    with pytest.raises(MastodonNotFoundError):
        me.api.notifications(id=newest["id"])

    me.api.notifications_clear()
    assert me.api.notifications() == []
    del others


def test_blocking_hides_notifications_of_the_blocked(
    notified: tuple[User, dict[str, User], dict[str, str]],
) -> None:
    me, others, _posts = notified
    me.api.account_block(others["fan"].id)
    assert others["fan"].id not in [item["account"]["id"] for item in me.api.notifications()]
    me.api.account_unblock(others["fan"].id)
    assert others["fan"].id in [item["account"]["id"] for item in me.api.notifications()]


def test_markers_round_trip_and_unread_count(
    notified: tuple[User, dict[str, User], dict[str, str]],
) -> None:
    me, _others, posts = notified
    assert me.api.markers_get(["home", "notifications"]) == {}
    assert me.api.notifications_unread_count()["count"] == 4

    items = me.api.notifications()
    saved = me.api.markers_set(["home", "notifications"], [posts["mine"], items[1]["id"]])
    assert saved["home"]["last_read_id"] == posts["mine"]
    assert saved["notifications"]["last_read_id"] == items[1]["id"]
    assert saved["home"]["version"] == 0
    assert me.api.notifications_unread_count()["count"] == 1

    moved = me.api.markers_set("notifications", items[0]["id"])
    assert moved["notifications"]["version"] == 1
    assert set(moved) == {"notifications"}
    read = me.api.markers_get(["home", "notifications"])
    assert read["home"]["last_read_id"] == posts["mine"]
    assert read["notifications"]["last_read_id"] == items[0]["id"]
    assert read["notifications"]["version"] == 1
    assert read["notifications"]["updated_at"] is not None
    assert set(me.api.markers_get("home")) == {"home"}
    assert me.api.notifications_unread_count()["count"] == 0


def test_bad_marker_ids_and_missing_tokens_answer_with_mastodon_errors(
    server: Server, make_user: Callable[..., User]
) -> None:
    user = make_user("mk")
    headers = {"Authorization": f"Bearer {user.api.access_token}"}
    response = httpx.post(
        f"{server.url}/api/v1/markers", json={"home": {"last_read_id": "abc"}}, headers=headers
    )
    assert response.status_code == 422
    assert "error" in response.json()
    # a form body works as well as JSON
    response = httpx.post(
        f"{server.url}/api/v1/markers", data={"home[last_read_id]": "12345"}, headers=headers
    )
    assert response.status_code == 200
    assert response.json()["home"]["last_read_id"] == "12345"
    assert httpx.get(f"{server.url}/api/v1/notifications").status_code == 401
    assert httpx.get(f"{server.url}/api/v1/markers").status_code == 401
    not_found = httpx.get(f"{server.url}/api/v1/notifications/nonsense", headers=headers)
    assert not_found.status_code == 404
    assert not_found.json() == {"error": "Record not found"}


def test_unread_count_leaves_out_notifications_a_hide_filter_drops(
    make_user: Callable[..., User],
) -> None:
    me, fan = make_user("unr"), make_user("unf")
    fan.api.status_post(f"@{me.username} fresh durian at the market")
    fan.api.status_post(f"@{me.username} see you at the market")
    assert me.api.notifications_unread_count()["count"] == 2
    made = me.api.create_filter_v2(
        "no durian", ["notifications"], "hide",
        keywords_attributes=[{"keyword": "durian", "whole_word": True}],
    )  # fmt: skip
    assert len(me.api.notifications()) == 1
    assert me.api.notifications_unread_count()["count"] == 1
    me.api.delete_filter_v2(made["id"])
    assert len(me.api.notifications()) == 2
    assert me.api.notifications_unread_count()["count"] == 2
