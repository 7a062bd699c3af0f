"""No leaks: viewer x visibility x surface, through the API as a client sees it.

The author A posts one top-level post and one reply (to a public post of theirs) in
each visibility, every one mentioning M. F follows A, N does not, A blocks X. Each
viewer then looks at every surface; a post must show exactly where its viewer may see
it, and nowhere else.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from mastodon import Mastodon, MastodonNotFoundError

from tests.conftest import User

VISIBILITIES = ("public", "unlisted", "private", "direct")
VIEWERS = ("anonymous", "author", "follower", "stranger", "mentioned", "blocked")


@dataclass
class Square:
    clients: dict[str, Mastodon]
    author_id: str
    posts: dict[str, str]
    replies: dict[str, str]
    root_id: str
    before_id: int
    tag: str
    word: str


def may_see(viewer: str, visibility: str) -> bool:
    if viewer == "blocked":
        return False
    if viewer in ("author", "mentioned"):
        return True
    if visibility in ("public", "unlisted"):
        return True
    return visibility == "private" and viewer == "follower"


@pytest.fixture(scope="module")
def square(make_user_module: Callable[..., User], anonymous_module: Mastodon) -> Square:
    author = make_user_module("a")
    follower = make_user_module("f")
    stranger = make_user_module("n")
    mentioned = make_user_module("m")
    blocked = make_user_module("x")
    follower.api.account_follow(author.id)
    blocked.api.account_follow(author.id)
    author.api.account_block(blocked.id)

    tag = f"matrix{secrets.token_hex(4)}"
    word = f"zq{secrets.token_hex(5)}"
    root = author.api.status_post(f"root of the thread {word}root")
    posts = {}
    replies = {}
    for visibility in VISIBILITIES:
        text = f"@{mentioned.username} {visibility} post {word} #{tag}"
        posts[visibility] = str(author.api.status_post(text, visibility=visibility)["id"])
        replies[visibility] = str(
            author.api.status_post(
                f"@{mentioned.username} {visibility} reply", visibility=visibility,
                in_reply_to_id=root["id"],
            )["id"]
        )  # fmt: skip
    clients = {
        "anonymous": anonymous_module,
        "author": author.api,
        "follower": follower.api,
        "stranger": stranger.api,
        "mentioned": mentioned.api,
        "blocked": blocked.api,
    }
    return Square(clients, author.id, posts, replies, str(root["id"]), int(root["id"]) - 1,
                  tag, word)  # fmt: skip


def ids(items: list[dict[str, object]]) -> set[str]:
    found = set()
    for item in items:
        found.add(str(item["id"]))
        reblog = item.get("reblog")
        if isinstance(reblog, dict):
            found.add(str(reblog["id"]))
    return found


@pytest.mark.parametrize("viewer", VIEWERS)
def test_single_status_and_its_context(square: Square, viewer: str) -> None:
    api = square.clients[viewer]
    for visibility, post_id in square.posts.items():
        if may_see(viewer, visibility):
            assert str(api.status(post_id)["id"]) == post_id
            assert api.status_context(post_id) is not None
        else:
            with pytest.raises(MastodonNotFoundError):
                api.status(post_id)
            with pytest.raises(MastodonNotFoundError):
                api.status_context(post_id)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_thread_descendants(square: Square, viewer: str) -> None:
    api = square.clients[viewer]
    if viewer == "blocked":
        with pytest.raises(MastodonNotFoundError):
            api.status_context(square.root_id)
        return
    seen = ids(api.status_context(square.root_id)["descendants"])
    expected = {r for v, r in square.replies.items() if may_see(viewer, v)}
    assert seen & set(square.replies.values()) == expected


@pytest.mark.parametrize("viewer", VIEWERS)
def test_public_and_tag_timelines(square: Square, viewer: str) -> None:
    api = square.clients[viewer]
    mine = set(square.posts.values())
    public = ids(api.timeline_public(local=True, min_id=square.before_id, limit=40)) & mine
    tagged = ids(api.timeline_hashtag(square.tag, limit=40)) & mine
    expected = {square.posts["public"]} if viewer != "blocked" else set()
    assert public == expected
    assert tagged == expected


@pytest.mark.parametrize("viewer", VIEWERS)
def test_profile(square: Square, viewer: str) -> None:
    api = square.clients[viewer]
    mine = set(square.posts.values())
    if viewer == "blocked":
        statuses: list[dict[str, object]] = []
        with contextlib.suppress(MastodonNotFoundError):
            statuses = api.account_statuses(square.author_id, limit=40)
        assert ids(statuses) & mine == set()
        return
    seen = ids(api.account_statuses(square.author_id, limit=40)) & mine
    assert seen == {p for v, p in square.posts.items() if may_see(viewer, v)}


@pytest.mark.parametrize("viewer", [v for v in VIEWERS if v != "anonymous"])
def test_home_timeline(square: Square, viewer: str) -> None:
    api = square.clients[viewer]
    mine = set(square.posts.values())
    seen = ids(api.timeline_home(min_id=square.before_id, limit=40)) & mine
    on_home = viewer in ("author", "follower")
    assert seen == {p for v, p in square.posts.items() if on_home and may_see(viewer, v)}


@pytest.mark.parametrize("viewer", [v for v in VIEWERS if v != "anonymous"])
def test_search(square: Square, viewer: str) -> None:
    api = square.clients[viewer]
    mine = set(square.posts.values())
    found = ids(api.search_v2(square.word, result_type="statuses")["statuses"]) & mine
    assert found == {p for v, p in square.posts.items() if may_see(viewer, v)}


def test_search_as_visitor_finds_no_posts(square: Square) -> None:
    found = square.clients["anonymous"].search_v2(
        square.word, result_type="statuses", resolve=False
    )
    assert ids(found["statuses"]) & set(square.posts.values()) == set()


@pytest.mark.parametrize("viewer", [v for v in VIEWERS if v != "anonymous"])
def test_notifications(square: Square, viewer: str) -> None:
    api = square.clients[viewer]
    about_mine = {
        str(n["status"]["id"])
        for n in api.notifications(limit=40)
        if n.get("status") and str(n["status"]["id"]) in set(square.posts.values())
    }
    expected = set(square.posts.values()) if viewer == "mentioned" else set()
    assert about_mine == expected
