"""Timelines through Mastodon.py against a running server, pages and all."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from mastodon import Mastodon, MastodonAPIError, MastodonUnauthorizedError

from tests.conftest import User
from tests.servers import Server

POSTS = 45


def ids(page: Any) -> list[str]:
    return [str(item["id"]) for item in page]


def page_through(api: Mastodon, first: Any, pages: int) -> list[list[str]]:
    """``pages`` pages from ``first`` on, following the ``next`` links."""
    result = [ids(first)]
    current = first
    for _ in range(pages - 1):
        current = api.fetch_next(current)
        assert current is not None
        result.append(ids(current))
    return result


@pytest.fixture(scope="module")
def author_with_posts(make_user_module: Callable[..., User]) -> tuple[User, str, list[str]]:
    """An account with 45 public posts sharing a tag no other test uses (made once)."""
    user = make_user_module("tl")
    tag = f"pages{secrets.token_hex(4)}"
    posted = [str(user.api.status_post(f"post {i} #{tag}")["id"]) for i in range(POSTS)]
    return user, tag, list(reversed(posted))


def test_home_pages_forward_and_back_without_gaps(
    author_with_posts: tuple[User, str, list[str]],
) -> None:
    user, _tag, newest_first = author_with_posts
    api = user.api
    first = api.timeline_home(limit=20)
    pages = page_through(api, first, 3)
    assert [len(page) for page in pages] == [20, 20, 5]
    assert [item for page in pages for item in page] == newest_first
    # past the end: an empty page, and Mastodon.py stops there
    last = api.fetch_next(api.fetch_next(first))
    assert ids(last) == newest_first[40:]
    assert api.fetch_next(last) == []
    # and back again, page by page
    back = api.fetch_previous(last)
    assert ids(back) == newest_first[20:40]
    assert ids(api.fetch_previous(back)) == newest_first[:20]


def test_public_and_tag_timelines_page_through_the_same_posts(
    author_with_posts: tuple[User, str, list[str]], anonymous: Mastodon
) -> None:
    user, tag, newest_first = author_with_posts
    tagged = page_through(anonymous, anonymous.timeline_hashtag(tag, limit=20), 3)
    assert [item for page in tagged for item in page] == newest_first

    # the local timeline also holds other tests' posts, older than ours or newer
    public = anonymous.timeline_public(local=True, limit=40, max_id=int(newest_first[0]) + 1)
    public_pages = page_through(anonymous, public, 2)
    flat = [item for page in public_pages for item in page]
    assert flat[:POSTS] == newest_first
    assert len(flat) == len(set(flat))
    assert ids(anonymous.fetch_previous(anonymous.fetch_next(public))) == ids(public)
    del user


def test_limit_is_capped_at_40(author_with_posts: tuple[User, str, list[str]]) -> None:
    user, tag, newest_first = author_with_posts
    assert len(user.api.timeline_hashtag(tag, limit=100)) == 40
    assert ids(user.api.timeline_hashtag(tag)) == newest_first[:20]


def test_account_statuses_pages_and_filters(
    author_with_posts: tuple[User, str, list[str]], make_user: Callable[..., User]
) -> None:
    user, _tag, newest_first = author_with_posts
    reader = make_user("rd")
    first = reader.api.account_statuses(user.id, limit=20)
    pages = page_through(reader.api, first, 3)
    assert [item for page in pages for item in page] == newest_first

    other = make_user("ot")
    theirs = other.api.status_post("a post to answer and share")
    top = other.api.status_post("thread start")
    self_reply = other.api.status_post("thread continues", in_reply_to_id=top["id"])
    reply = other.api.status_post("an answer", in_reply_to_id=newest_first[0])
    boosted = other.api.status_reblog(theirs["id"])
    other.api.status_pin(top["id"])

    everything = reader.api.account_statuses(other.id)
    assert ids(everything) == [
        boosted["id"],
        reply["id"],
        self_reply["id"],
        top["id"],
        theirs["id"],
    ]
    assert everything[0]["reblog"]["id"] == theirs["id"]
    no_replies = reader.api.account_statuses(other.id, exclude_replies=True)
    assert ids(no_replies) == [boosted["id"], self_reply["id"], top["id"], theirs["id"]]
    no_boosts = reader.api.account_statuses(other.id, exclude_reblogs=True)
    assert boosted["id"] not in ids(no_boosts)
    pinned = reader.api.account_statuses(other.id, pinned=True)
    assert ids(pinned) == [top["id"]]
    assert reader.api.account_statuses(user.id, tagged=_tag, limit=1)[0]["id"] == newest_first[0]


def test_home_shows_followed_accounts_and_respects_reblog_choice(
    make_user: Callable[..., User],
) -> None:
    me, friend, stranger = make_user("me"), make_user("fr"), make_user("st")
    me.api.account_follow(friend.id, reblogs=False)
    private = friend.api.status_post("for my followers", visibility="private")
    strangers = stranger.api.status_post("hello world")
    friend.api.status_reblog(strangers["id"])

    home = ids(me.api.timeline_home())
    assert private["id"] in home
    assert strangers["id"] not in home
    assert len(home) == 1  # the repost is hidden: reblogs=False

    me.api.account_follow(friend.id, reblogs=True)
    home = me.api.timeline_home()
    assert home[0]["reblog"]["id"] == strangers["id"]

    me.api.account_mute(stranger.id)
    assert ids(me.api.timeline_home()) == [private["id"]]


def test_private_posts_stay_out_of_public_timelines(make_user: Callable[..., User]) -> None:
    author = make_user("pv")
    tag = f"quiet{secrets.token_hex(4)}"
    shown = author.api.status_post(f"out loud #{tag}")
    author.api.status_post(f"among friends #{tag}", visibility="private")
    author.api.status_post(f"unlisted #{tag}", visibility="unlisted")
    author.api.status_post(f"@{author.username} note to self #{tag}", visibility="direct")
    assert ids(author.api.timeline_hashtag(tag)) == [shown["id"]]
    local = ids(author.api.timeline_public(local=True, limit=40))
    assert local[0] == shown["id"]


def test_tag_timeline_any_all_none_over_http(
    server: Server, make_user: Callable[..., User]
) -> None:
    author = make_user("tg")
    one, two = f"a{secrets.token_hex(4)}", f"b{secrets.token_hex(4)}"
    both = author.api.status_post(f"#{one} #{two}")
    only_one = author.api.status_post(f"#{one}")
    only_two = author.api.status_post(f"#{two}")

    def query(params: list[tuple[str, str]]) -> list[str]:
        response = httpx.get(f"{server.url}/api/v1/timelines/tag/{one}", params=params)
        assert response.status_code == 200
        return ids(response.json())

    assert query([]) == [only_one["id"], both["id"]]
    assert query([("any[]", two)]) == [only_two["id"], only_one["id"], both["id"]]
    assert query([("all[]", two)]) == [both["id"]]
    assert query([("none[]", two)]) == [only_one["id"]]


def test_home_needs_a_user_and_bad_ids_are_not_found(
    anonymous: Mastodon, server: Server, make_user: Callable[..., User]
) -> None:
    with pytest.raises(MastodonUnauthorizedError):
        anonymous.timeline_home()
    response = httpx.get(f"{server.url}/api/v1/accounts/not-an-id/statuses")
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}
    response = httpx.get(f"{server.url}/api/v1/accounts/42/statuses")
    assert response.status_code == 404
    bad_limit = httpx.get(f"{server.url}/api/v1/timelines/public", params={"limit": "many"})
    assert bad_limit.status_code == 422
    assert "limit" in bad_limit.json()["error"]
    user = make_user("bl")
    with pytest.raises(MastodonAPIError):
        user.api.account_statuses("0")


def test_urdu_hashtag_timeline_pages_with_either_spelling(make_user: Callable[..., User]) -> None:
    author = make_user("ur")
    suffix = secrets.token_hex(3)
    posted = [author.api.status_post(f"خبر {i} #کتاب{suffix}")["id"] for i in range(3)]
    # the Arabic kaf finds the Urdu keheh spelling; the Link header carries the path encoded
    first = author.api.timeline_hashtag(f"كتاب{suffix}", limit=2)
    rest = author.api.fetch_next(first)
    assert ids(first) + ids(rest) == list(reversed(posted))


def test_public_and_tag_timelines_filter_by_language(
    server: Server, make_user: Callable[..., User]
) -> None:
    user = make_user("lingo")
    tag = f"lingo{secrets.token_hex(3)}"
    urdu = user.api.status_post(f"آج موسم بہت اچھا ہے #{tag}", language="ur")
    english = user.api.status_post(f"The weather is lovely today #{tag}", language="en")

    def page(path: str, **query: str) -> httpx.Response:
        return httpx.get(f"{server.url}{path}", params={"limit": "40", **query})

    public_ur = [s["id"] for s in page("/api/v1/timelines/public", lang="ur").json()]
    assert str(urdu["id"]) in public_ur and str(english["id"]) not in public_ur
    tagged = page(f"/api/v1/timelines/tag/{tag}", lang="EN").json()
    assert [s["id"] for s in tagged] == [str(english["id"])]
    assert {s["id"] for s in page(f"/api/v1/timelines/tag/{tag}").json()} == {
        str(urdu["id"]),
        str(english["id"]),
    }
    bad = page("/api/v1/timelines/public", lang="ur-PK!")
    assert bad.status_code == 422 and "lang" in bad.json()["error"]
