"""Lists through Mastodon.py: the lists themselves, their members, the list timeline,
exclusive lists on home, and the answers to bad input."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from mastodon import MastodonAPIError, MastodonNotFoundError

from tests.api.test_spec_schemas import conforms
from tests.api.test_startup_endpoints import bearer as bearer_token
from tests.api.test_startup_endpoints import token_with
from tests.conftest import ClientApp, User
from tests.servers import Server

MakeUser = Callable[..., User]


def status_of(error: MastodonAPIError) -> int:
    return int(error.args[1])


def bearer(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {user.api.access_token}"}


def ids_of(items: list[Any]) -> list[str]:
    return [str(item["id"]) for item in items]


def test_create_show_rename_and_delete_a_list(server: Server, make_user: MakeUser) -> None:
    alice = make_user()
    created = alice.api.list_create("Friends")
    assert created["title"] == "Friends"
    assert created["replies_policy"] == "list" and created["exclusive"] is False
    raw = httpx.get(f"{server.url}/api/v1/lists/{created['id']}", headers=bearer(alice))
    conforms("List", raw.json())
    renamed = alice.api.list_update(created["id"], "دوست", replies_policy="followed")
    assert renamed["title"] == "دوست" and renamed["replies_policy"] == "followed"
    assert ids_of(alice.api.lists()) == [str(created["id"])]
    assert alice.api.list(created["id"])["title"] == "دوست"
    for listed in httpx.get(f"{server.url}/api/v1/lists", headers=bearer(alice)).json():
        conforms("List", listed)
    alice.api.list_delete(created["id"])
    assert alice.api.lists() == []
    with pytest.raises(MastodonNotFoundError):
        alice.api.list(created["id"])


def test_someone_elses_list_is_not_found(server: Server, make_user: MakeUser) -> None:
    alice, mallory, bob = make_user(), make_user(), make_user()
    mallory.api.account_follow(bob.id)
    chosen = alice.api.list_create("Mine")
    for attempt in (
        lambda: mallory.api.list(chosen["id"]),
        lambda: mallory.api.list_update(chosen["id"], "Taken"),
        lambda: mallory.api.list_delete(chosen["id"]),
        lambda: mallory.api.list_accounts(chosen["id"]),
        lambda: mallory.api.list_accounts_add(chosen["id"], [bob.id]),
        lambda: mallory.api.timeline_list(chosen["id"]),
    ):
        with pytest.raises(MastodonNotFoundError):
            attempt()
    raw = httpx.get(f"{server.url}/api/v1/lists/{chosen['id']}", headers=bearer(mallory))
    assert raw.status_code == 404 and raw.json() == {"error": "Record not found"}
    assert alice.api.list(chosen["id"])["title"] == "Mine"


def test_bad_list_input(server: Server, make_user: MakeUser) -> None:
    alice = make_user()
    url = f"{server.url}/api/v1/lists"
    missing = httpx.post(url, data={}, headers=bearer(alice))
    assert missing.status_code == 422
    assert missing.json()["error"] == "Validation failed: Title can't be blank"
    blank = httpx.post(url, data={"title": "   "}, headers=bearer(alice))
    assert blank.status_code == 422
    wrong = httpx.post(url, data={"title": "x", "replies_policy": "all"}, headers=bearer(alice))
    assert wrong.status_code == 422 and "Replies policy" in wrong.json()["error"]
    long = httpx.post(url, data={"title": "x" * 256}, headers=bearer(alice))
    assert long.status_code == 422
    not_an_id = httpx.get(f"{url}/not-a-number", headers=bearer(alice))
    assert not_an_id.status_code == 404
    assert alice.api.lists() == []


def test_members_must_be_followed(server: Server, make_user: MakeUser) -> None:
    alice, bob, carol = make_user(), make_user(), make_user()
    alice.api.account_follow(bob.id)
    chosen = alice.api.list_create("Close")
    with pytest.raises(MastodonAPIError) as refused:
        alice.api.list_accounts_add(chosen["id"], [bob.id, carol.id])
    assert status_of(refused.value) == 422
    # nothing of a refused request is kept
    assert alice.api.list_accounts(chosen["id"]) == []
    alice.api.list_accounts_add(chosen["id"], [bob.id])
    with pytest.raises(MastodonAPIError) as twice:
        alice.api.list_accounts_add(chosen["id"], [bob.id])
    assert status_of(twice.value) == 422
    unknown = httpx.post(
        f"{server.url}/api/v1/lists/{chosen['id']}/accounts",
        data={"account_ids[]": "123456789"},
        headers=bearer(alice),
    )
    assert unknown.status_code == 404
    assert ids_of(alice.api.list_accounts(chosen["id"])) == [bob.id]
    assert ids_of(alice.api.account_lists(bob.id)) == [str(chosen["id"])]
    assert alice.api.account_lists(carol.id) == []
    with pytest.raises(MastodonNotFoundError):
        alice.api.account_lists(987654321)


def test_members_page_and_leave(server: Server, make_user: MakeUser) -> None:
    alice = make_user()
    others = [make_user() for _ in range(3)]
    for other in others:
        alice.api.account_follow(other.id)
    chosen = alice.api.list_create("Three")
    alice.api.list_accounts_add(chosen["id"], [other.id for other in others])
    first = httpx.get(
        f"{server.url}/api/v1/lists/{chosen['id']}/accounts",
        params={"limit": 2},
        headers=bearer(alice),
    )
    assert first.status_code == 200 and len(first.json()) == 2
    assert 'rel="next"' in first.headers["link"]
    everyone = httpx.get(
        f"{server.url}/api/v1/lists/{chosen['id']}/accounts",
        params={"limit": 0},
        headers=bearer(alice),
    )
    assert sorted(ids_of(everyone.json())) == sorted(other.id for other in others)
    for account in everyone.json():
        conforms("Account", account)
    page = alice.api.list_accounts(chosen["id"], limit=2)
    rest = alice.api.fetch_next(page)
    assert len(page) == 2 and rest is not None and len(rest) == 1
    alice.api.list_accounts_delete(chosen["id"], [others[0].id])
    assert others[0].id not in ids_of(alice.api.list_accounts(chosen["id"]))
    # unfollowing and blocking take accounts out of the owner's lists
    alice.api.account_unfollow(others[1].id)
    alice.api.account_block(others[2].id)
    assert alice.api.list_accounts(chosen["id"]) == []


def test_being_blocked_by_a_member_removes_them(make_user: MakeUser) -> None:
    alice, bob = make_user(), make_user()
    alice.api.account_follow(bob.id)
    chosen = alice.api.list_create("Soon empty")
    alice.api.list_accounts_add(chosen["id"], [bob.id])
    bob.api.account_block(alice.id)
    assert alice.api.list_accounts(chosen["id"]) == []


def test_list_timeline(server: Server, make_user: MakeUser) -> None:
    alice, bob, carol, dave = make_user(), make_user(), make_user(), make_user()
    for other in (bob, carol, dave):
        alice.api.account_follow(other.id)
    chosen = alice.api.list_create("Bob and Carol")
    alice.api.list_accounts_add(chosen["id"], [bob.id, carol.id])
    top = bob.api.status_post("from bob")
    to_carol = bob.api.status_post(
        f"@{carol.username} to carol", in_reply_to_id=carol.api.status_post("carol here")["id"]
    )
    to_dave = bob.api.status_post("to dave", in_reply_to_id=dave.api.status_post("dave here")["id"])
    repost = carol.api.status_reblog(dave.api.status_post("dave again")["id"])
    dave.api.status_post("dave is not listed")

    shown = ids_of(alice.api.timeline_list(chosen["id"]))
    assert str(top["id"]) in shown and str(to_carol["id"]) in shown
    assert str(repost["id"]) in shown
    assert str(to_dave["id"]) not in shown  # "list": replies to members only
    assert all(
        str(post["account"]["id"]) in (bob.id, carol.id)
        for post in alice.api.timeline_list(chosen["id"])
    )
    alice.api.list_update(chosen["id"], "Bob and Carol", replies_policy="followed")
    assert str(to_dave["id"]) in ids_of(alice.api.timeline_list(chosen["id"]))
    alice.api.list_update(chosen["id"], "Bob and Carol", replies_policy="none")
    none = ids_of(alice.api.timeline_list(chosen["id"]))
    assert str(to_dave["id"]) not in none and str(to_carol["id"]) not in none

    raw = httpx.get(
        f"{server.url}/api/v1/timelines/list/{chosen['id']}",
        params={"limit": 2},
        headers=bearer(alice),
    )
    assert raw.status_code == 200 and len(raw.json()) == 2
    assert 'rel="next"' in raw.headers["link"]
    for post in raw.json():
        conforms("Status", post)
    # newest first, and pages do not overlap
    first = alice.api.timeline_list(chosen["id"], limit=2)
    second = alice.api.fetch_next(first)
    assert second is not None
    assert not set(ids_of(first)) & set(ids_of(second))
    assert ids_of(first) == sorted(ids_of(first), key=int, reverse=True)


def test_list_timeline_respects_mutes_and_privacy(make_user: MakeUser) -> None:
    alice, bob, carol, eve = make_user(), make_user(), make_user(), make_user()
    for other in (bob, carol):
        alice.api.account_follow(other.id)
    chosen = alice.api.list_create("Mixed")
    alice.api.list_accounts_add(chosen["id"], [bob.id, carol.id])
    private = bob.api.status_post("followers only", visibility="private")
    direct = bob.api.status_post(f"@{eve.username} only for eve", visibility="direct")
    carol_post = carol.api.status_post("carol speaks")
    eve_post = eve.api.status_post("eve's post")
    boosted = bob.api.status_reblog(eve_post["id"])
    shown = ids_of(alice.api.timeline_list(chosen["id"]))
    assert str(private["id"]) in shown and str(direct["id"]) not in shown
    assert str(boosted["id"]) in shown
    alice.api.account_mute(carol.id)
    alice.api.account_block(eve.id)
    shown = ids_of(alice.api.timeline_list(chosen["id"]))
    assert str(carol_post["id"]) not in shown
    assert str(boosted["id"]) not in shown


def test_exclusive_list_members_leave_home(make_user: MakeUser) -> None:
    alice, bob, carol = make_user(), make_user(), make_user()
    alice.api.account_follow(bob.id)
    alice.api.account_follow(carol.id)
    before = bob.api.status_post("bob before")
    chosen = alice.api.list_create("Apart", exclusive=True)
    assert chosen["exclusive"] is True
    alice.api.list_accounts_add(chosen["id"], [bob.id])
    after = bob.api.status_post("bob after")
    kept = carol.api.status_post("carol on home")
    home = ids_of(alice.api.timeline_home())
    assert str(kept["id"]) in home
    assert str(before["id"]) not in home and str(after["id"]) not in home
    assert str(after["id"]) in ids_of(alice.api.timeline_list(chosen["id"]))
    # no longer exclusive: bob is back on home, old posts and new
    alice.api.list_update(chosen["id"], "Apart", exclusive=False)
    home = ids_of(alice.api.timeline_home())
    assert str(before["id"]) in home and str(after["id"]) in home
    alice.api.list_update(chosen["id"], "Apart", exclusive=True)
    assert str(after["id"]) not in ids_of(alice.api.timeline_home())
    alice.api.list_delete(chosen["id"])
    assert str(after["id"]) in ids_of(alice.api.timeline_home())


def test_lists_need_their_scopes(
    server: Server, client_app: ClientApp, make_user: MakeUser
) -> None:
    alice = make_user()
    chosen = alice.api.list_create("Scoped")
    reading = bearer_token(token_with(server, client_app, alice, ["read:lists"]))
    other = bearer_token(token_with(server, client_app, alice, ["read:statuses"]))
    url = f"{server.url}/api/v1/lists"
    assert httpx.get(f"{url}/{chosen['id']}", headers=reading).status_code == 200
    assert httpx.get(f"{url}/{chosen['id']}", headers=other).status_code == 403
    assert httpx.post(url, data={"title": "no"}, headers=reading).status_code == 403
    timeline = f"{server.url}/api/v1/timelines/list/{chosen['id']}"
    assert httpx.get(timeline, headers=other).status_code == 403
    assert httpx.get(timeline, headers=reading).status_code == 200
    assert httpx.get(url).status_code == 401
