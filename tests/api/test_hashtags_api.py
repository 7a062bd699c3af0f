"""Followed and featured hashtags through Mastodon.py, with the answers checked
against Mastodon's entities."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from mastodon import MastodonAPIError, MastodonNotFoundError

from tests.api.test_spec_schemas import conforms
from tests.conftest import User, unique_name
from tests.servers import Server

MakeUser = Callable[..., User]


def bearer(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {user.api.access_token}"}


def ids_of(items: list[Any]) -> list[str]:
    return [str(item["id"]) for item in items]


def tag_name(prefix: str = "t") -> str:
    return unique_name(prefix).replace("_", "")


def test_follow_and_unfollow_a_tag(server: Server, make_user: MakeUser) -> None:
    alice = make_user()
    name = tag_name()
    followed = alice.api.tag_follow(name)
    assert followed["name"] == name and followed["following"] is True
    assert alice.api.tag(name)["following"] is True
    raw = httpx.get(f"{server.url}/api/v1/tags/{name}", headers=bearer(alice))
    conforms("Tag", raw.json())
    assert [tag["name"] for tag in alice.api.followed_tags()] == [name]
    conforms(
        "Tag", httpx.get(f"{server.url}/api/v1/followed_tags", headers=bearer(alice)).json()[0]
    )
    # a visitor sees no following at all; another user sees false
    assert "following" not in httpx.get(f"{server.url}/api/v1/tags/{name}").json()
    assert make_user().api.tag(name)["following"] is False
    unfollowed = alice.api.tag_unfollow(name)
    assert unfollowed["following"] is False
    assert alice.api.followed_tags() == []


def test_followed_tags_page(server: Server, make_user: MakeUser) -> None:
    alice = make_user()
    names = [tag_name() for _ in range(3)]
    for name in names:
        alice.api.tag_follow(name)
    first = alice.api.followed_tags(limit=2)
    assert [tag["name"] for tag in first] == [names[2], names[1]]
    rest = alice.api.fetch_next(first)
    assert rest is not None and [tag["name"] for tag in rest] == [names[0]]
    raw = httpx.get(
        f"{server.url}/api/v1/followed_tags", params={"limit": 1}, headers=bearer(alice)
    )
    assert 'rel="next"' in raw.headers["link"]


def test_urdu_spellings_are_one_tag(make_user: MakeUser) -> None:
    alice, carol = make_user(), make_user()
    # Arabic kaf and yeh against Urdu keheh and yeh: one tag
    alice.api.tag_follow("پاکستانی")
    tagged = carol.api.status_post("سلام #پاكستاني")
    assert alice.api.tag("پاكستاني")["following"] is True
    assert str(tagged["id"]) in ids_of(alice.api.timeline_home())


def test_public_posts_with_a_followed_tag_reach_home(make_user: MakeUser) -> None:
    alice, bob, carol = make_user(), make_user(), make_user()
    name = tag_name("home")
    alice.api.tag_follow(name)
    public = bob.api.status_post(f"about #{name}")
    unlisted = bob.api.status_post(f"quietly #{name}", visibility="unlisted")
    private = bob.api.status_post(f"friends #{name}", visibility="private")
    other = bob.api.status_post("no tag here")
    home = ids_of(alice.api.timeline_home())
    assert str(public["id"]) in home
    assert not {str(unlisted["id"]), str(private["id"]), str(other["id"])} & set(home)
    # mutes and blocks hold for hashtags too
    alice.api.account_mute(bob.id)
    assert str(public["id"]) not in ids_of(alice.api.timeline_home())
    blocked = carol.api.status_post(f"carol on #{name}")
    assert str(blocked["id"]) in ids_of(alice.api.timeline_home())
    carol.api.account_block(alice.id)
    assert str(blocked["id"]) not in ids_of(alice.api.timeline_home())
    # unfollowing the tag takes its posts off home
    later = make_user().api.status_post(f"later #{name}")
    assert str(later["id"]) in ids_of(alice.api.timeline_home())
    alice.api.tag_unfollow(name)
    assert str(later["id"]) not in ids_of(alice.api.timeline_home())


def test_bad_tag_names(server: Server, make_user: MakeUser) -> None:
    alice = make_user()
    for bad in ("123", "no%20spaces", "a-b"):
        response = httpx.post(f"{server.url}/api/v1/tags/{bad}/follow", headers=bearer(alice))
        assert response.status_code == 404, bad
        assert response.json() == {"error": "Record not found"}
    with pytest.raises(MastodonNotFoundError):
        alice.api.tag_unfollow(tag_name("never"))
    assert alice.api.followed_tags() == []
    assert httpx.post(f"{server.url}/api/v1/tags/x/follow").status_code == 401


def test_featured_tags(server: Server, make_user: MakeUser) -> None:
    alice, bob = make_user(), make_user()
    name = tag_name("feat")
    first = alice.api.status_post(f"one #{name}")
    alice.api.status_post(f"two #{name}")
    alice.api.status_post(f"hidden #{name}", visibility="private")
    alice.api.status_delete(first["id"])
    used = tag_name("used")
    alice.api.status_post(f"#{used}")

    suggested = [tag["name"] for tag in alice.api.featured_tag_suggestions()]
    assert name in suggested and used in suggested
    raw = httpx.get(f"{server.url}/api/v1/featured_tags/suggestions", headers=bearer(alice))
    for tag in raw.json():
        conforms("Tag", tag)

    featured = alice.api.featured_tag_create(name)
    assert featured["name"] == name
    assert str(featured["statuses_count"]) == "1"
    assert featured["last_status_at"] is not None
    assert name not in [tag["name"] for tag in alice.api.featured_tag_suggestions()]
    assert alice.api.tag(name)["featuring"] is True
    # featuring again answers the same featured tag
    assert alice.api.featured_tag_create(f"#{name}")["id"] == featured["id"]
    unused = alice.api.featured_tag_create(tag_name("unused"))
    assert str(unused["statuses_count"]) == "0" and unused["last_status_at"] is None

    mine = httpx.get(f"{server.url}/api/v1/featured_tags", headers=bearer(alice)).json()
    assert [tag["name"] for tag in mine][:1] == [name]
    for tag in mine:
        conforms("FeaturedTag", tag)
    public = httpx.get(f"{server.url}/api/v1/accounts/{alice.id}/featured_tags").json()
    assert [tag["name"] for tag in public] == [tag["name"] for tag in mine]
    for tag in public:
        conforms("FeaturedTag", tag)

    with pytest.raises(MastodonNotFoundError):
        bob.api.featured_tag_delete(featured["id"])
    alice.api.featured_tag_delete(featured["id"])
    assert name not in [tag["name"] for tag in alice.api.featured_tags()]
    with pytest.raises(MastodonNotFoundError):
        alice.api.featured_tag_delete(featured["id"])


def test_bad_featured_tags(server: Server, make_user: MakeUser) -> None:
    alice = make_user()
    url = f"{server.url}/api/v1/featured_tags"
    for data in ({}, {"name": ""}, {"name": "12"}, {"name": "two words"}):
        response = httpx.post(url, data=data, headers=bearer(alice))
        assert response.status_code == 422, data
        assert response.json()["error"] == "Validation failed: Tag is invalid"
    for number in range(10):
        alice.api.featured_tag_create(f"limit{number}")
    with pytest.raises(MastodonAPIError) as refused:
        alice.api.featured_tag_create("limit10")
    assert int(refused.value.args[1]) == 422
    assert len(alice.api.featured_tags()) == 10
    missing = httpx.get(f"{server.url}/api/v1/accounts/987654321/featured_tags")
    assert missing.status_code == 404


def test_search_shows_which_tags_are_followed(make_user: MakeUser) -> None:
    alice, bob = make_user(), make_user()
    name = tag_name("found")
    bob.api.status_post(f"#{name}")
    alice.api.tag_follow(name)
    [found] = [tag for tag in alice.api.search_v2(name, result_type="hashtags")["hashtags"]
               if tag["name"] == name]  # fmt: skip
    assert found["following"] is True
    [seen_by_bob] = [tag for tag in bob.api.search_v2(name, result_type="hashtags")["hashtags"]
                     if tag["name"] == name]  # fmt: skip
    assert seen_by_bob["following"] is False
