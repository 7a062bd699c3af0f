"""Statuses and interactions through Mastodon.py against a running server."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from mastodon import Mastodon, MastodonAPIError, MastodonNotFoundError

from tests.conftest import ClientApp, User
from tests.servers import Server

MakeUser = Callable[..., User]
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # one grapheme


def status_code(error: MastodonAPIError) -> int:
    return int(error.args[1])


def raw(server: Server, user: User | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {user.api.access_token}"} if user else {}
    return httpx.Client(base_url=server.url, headers=headers, timeout=30)


def scoped_client(server: Server, app: ClientApp, user: User, scopes: list[str]) -> Mastodon:
    api = Mastodon(client_id=app.client_id, client_secret=app.client_secret,
                   api_base_url=server.url)  # fmt: skip
    api.log_in(user.username, user.password, scopes=scopes, allow_http=True)
    return api


def all_pages(api: Mastodon, first: Any) -> list[Any]:
    items = list(first)
    page = first
    for _ in range(20):  # bounded: a broken Link header must not loop forever
        page = api.fetch_next(page) if page else None
        if not page:
            break
        items.extend(page)
    return items


def test_post_and_read_it_back(make_user: MakeUser, anonymous: Mastodon) -> None:
    alice = make_user("a")
    posted = alice.api.status_post("Hello, square", language="en")
    assert posted["content"] == "<p>Hello, square</p>"
    assert posted["visibility"] == "public"
    assert posted["language"] == "en"
    assert posted["account"]["id"] == alice.id
    assert posted["application"]["name"] == "townsquare tests"
    assert posted["favourited"] is False and posted["reblogged"] is False

    seen = anonymous.status(posted["id"])  # a public post needs no token
    assert seen["id"] == posted["id"] and seen["content"] == posted["content"]
    assert seen["url"].endswith(f"/@{alice.username}/{posted['id']}")


def test_defaults_come_from_the_account_settings(server: Server, make_user: MakeUser) -> None:
    alice = make_user("a")
    alice.api.account_update_credentials(
        default_privacy="unlisted", default_sensitive=True, default_language="ur"
    )
    posted = alice.api.status_post("سلام")
    assert posted["visibility"] == "unlisted"
    assert posted["language"] == "ur"
    with raw(server, alice) as client:  # Mastodon.py always sends sensitive
        assert client.post("/api/v1/statuses", json={"status": "x"}).json()["sensitive"] is True
    chosen = alice.api.status_post("hello", visibility="public", language="en")
    assert (chosen["visibility"], chosen["language"]) == ("public", "en")
    assert chosen["sensitive"] is False
    repost = alice.api.status_reblog(chosen["id"])
    assert repost["visibility"] == "unlisted"  # reposts too take the default


def test_a_thread_five_deep_and_its_context(make_user: MakeUser, anonymous: Mastodon) -> None:
    alice, bob = make_user("a"), make_user("b")
    root = alice.api.status_post("root of the thread")
    chain = []
    parent = root
    for depth in range(5):
        speaker = bob if depth % 2 == 0 else alice
        parent = speaker.api.status_post(f"reply {depth}", in_reply_to_id=parent["id"])
        chain.append(parent)
    assert chain[0]["in_reply_to_id"] == root["id"]
    assert chain[0]["in_reply_to_account_id"] == alice.id
    assert chain[0]["mentions"][0]["id"] == alice.id  # replying speaks to the author

    context = anonymous.status_context(root["id"])
    assert context["ancestors"] == []
    assert [s["id"] for s in context["descendants"]] == [s["id"] for s in chain]
    middle = alice.api.status_context(chain[2]["id"])
    assert [s["id"] for s in middle["ancestors"]] == [root["id"], chain[0]["id"], chain[1]["id"]]
    assert [s["id"] for s in middle["descendants"]] == [chain[3]["id"], chain[4]["id"]]
    assert alice.api.status(root["id"])["replies_count"] == 1


def test_quote_a_post(make_user: MakeUser, anonymous: Mastodon) -> None:
    alice, bob = make_user("a"), make_user("b")
    original = alice.api.status_post("worth quoting")
    quote = bob.api.status_post("so true", quoted_status_id=original["id"])
    assert quote["quote"]["state"] == "accepted"
    assert quote["quote"]["quoted_status"]["id"] == original["id"]
    assert "so true" in quote["content"]
    # clients that know nothing of quotes still see what is quoted
    assert original["url"] in quote["content"]

    assert alice.api.status(original["id"])["quotes_count"] == 1
    assert [s["id"] for s in anonymous.status_quotes(original["id"])] == [quote["id"]]

    bob.api.status_delete(quote["id"])
    assert alice.api.status(original["id"])["quotes_count"] == 0
    assert anonymous.status_quotes(original["id"]) == []


def test_repost_and_undo(make_user: MakeUser, anonymous: Mastodon) -> None:
    alice, bob = make_user("a"), make_user("b")
    post = alice.api.status_post("share me")
    repost = bob.api.status_reblog(post["id"], visibility="unlisted")
    assert repost["reblog"]["id"] == post["id"]
    assert repost["id"] != post["id"] and repost["visibility"] == "unlisted"
    assert repost["account"]["id"] == bob.id
    assert repost["reblog"]["reblogged"] is True
    assert repost["reblog"]["reblogs_count"] == 1
    assert [a["id"] for a in anonymous.status_reblogged_by(post["id"])] == [bob.id]
    assert bob.api.status_reblog(post["id"])["id"] == repost["id"]  # again: the same repost

    undone = bob.api.status_unreblog(post["id"])
    assert undone["id"] == post["id"]
    assert undone["reblogged"] is False and undone["reblogs_count"] == 0
    assert anonymous.status_reblogged_by(post["id"]) == []
    with pytest.raises(MastodonNotFoundError):
        anonymous.status(repost["id"])


def test_favourite_and_unfavourite_with_counts(make_user: MakeUser, anonymous: Mastodon) -> None:
    alice, bob, carol = make_user("a"), make_user("b"), make_user("c")
    post = alice.api.status_post("like me")
    assert bob.api.status_favourite(post["id"])["favourites_count"] == 1
    again = bob.api.status_favourite(post["id"])
    assert again["favourites_count"] == 1 and again["favourited"] is True
    assert carol.api.status_favourite(post["id"])["favourites_count"] == 2
    assert [a["id"] for a in anonymous.status_favourited_by(post["id"])] == [carol.id, bob.id]

    undone = bob.api.status_unfavourite(post["id"])
    assert undone["favourites_count"] == 1 and undone["favourited"] is False
    assert alice.api.status(post["id"])["favourites_count"] == 1
    assert [s["id"] for s in carol.api.favourites()] == [post["id"]]
    assert bob.api.favourites() == []


def test_bookmark_lists_page_with_fetch_next(make_user: MakeUser) -> None:
    alice, bob = make_user("a"), make_user("b")
    posts = [alice.api.status_post(f"note {i}") for i in range(5)]
    order = [posts[3], posts[0], posts[4], posts[1], posts[2]]
    for post in order:
        assert bob.api.status_bookmark(post["id"])["bookmarked"] is True

    listed = all_pages(bob.api, bob.api.bookmarks(limit=2))
    assert [s["id"] for s in listed] == [p["id"] for p in reversed(order)]
    assert all(s["bookmarked"] for s in listed)
    assert alice.api.bookmarks() == []

    assert bob.api.status_unbookmark(posts[4]["id"])["bookmarked"] is False
    left = all_pages(bob.api, bob.api.bookmarks(limit=3))
    assert [s["id"] for s in left] == [p["id"] for p in reversed(order) if p != posts[4]]


def test_favourites_list_pages_by_when_favourited(make_user: MakeUser) -> None:
    alice, bob = make_user("a"), make_user("b")
    posts = [alice.api.status_post(f"fav {i}") for i in range(3)]
    for post in reversed(posts):
        bob.api.status_favourite(post["id"])
    listed = all_pages(bob.api, bob.api.favourites(limit=1))
    assert [s["id"] for s in listed] == [p["id"] for p in posts]


def test_pin_unpin_and_the_five_pin_limit(
    server: Server, client_app: ClientApp, make_user: MakeUser
) -> None:
    alice, bob = make_user("a"), make_user("b")
    posts = [alice.api.status_post(f"pin {i}") for i in range(6)]
    for post in posts[:5]:
        assert alice.api.status_pin(post["id"])["pinned"] is True
    with pytest.raises(MastodonAPIError) as refused:
        alice.api.status_pin(posts[5]["id"])
    assert status_code(refused.value) == 422

    assert alice.api.status_unpin(posts[0]["id"])["pinned"] is False
    assert alice.api.status_pin(posts[5]["id"])["pinned"] is True
    with pytest.raises(MastodonAPIError) as not_own:
        bob.api.status_pin(posts[1]["id"])
    assert status_code(not_own.value) == 422

    # pinning needs write:accounts, as on Mastodon
    limited = scoped_client(server, client_app, alice, ["read", "write:statuses"])
    with pytest.raises(MastodonAPIError) as forbidden:
        limited.status_unpin(posts[5]["id"])
    assert status_code(forbidden.value) == 403


def test_edit_with_history_and_source(make_user: MakeUser, anonymous: Mastodon) -> None:
    alice, bob = make_user("a"), make_user("b")
    post = alice.api.status_post("first version")
    assert post["edited_at"] is None
    edited = alice.api.status_update(post["id"], "second version #edit", spoiler_text="cw")
    assert edited["id"] == post["id"]
    assert edited["edited_at"] is not None
    assert "second version" in edited["content"] and edited["spoiler_text"] == "cw"
    assert edited["sensitive"] is True
    assert [t["name"] for t in edited["tags"]] == ["edit"]

    history = anonymous.status_history(post["id"])
    assert len(history) == 2
    assert history[0]["content"] == "<p>first version</p>" and history[0]["spoiler_text"] == ""
    assert "second version" in history[1]["content"] and history[1]["spoiler_text"] == "cw"
    assert history[1]["account"]["id"] == alice.id
    assert history[0]["media_attachments"] == [] and history[0]["emojis"] == []

    source = alice.api.status_source(post["id"])
    assert source["id"] == post["id"]
    assert (source["text"], source["spoiler_text"]) == ("second version #edit", "cw")
    with pytest.raises(MastodonNotFoundError):
        bob.api.status_update(post["id"], "not mine")


def test_delete_returns_the_source_and_the_parent_loses_a_reply(make_user: MakeUser) -> None:
    alice, bob = make_user("a"), make_user("b")
    parent = alice.api.status_post("parent")
    reply = bob.api.status_post("a reply to delete", in_reply_to_id=parent["id"])
    assert alice.api.status(parent["id"])["replies_count"] == 1

    with pytest.raises(MastodonNotFoundError):
        alice.api.status_delete(reply["id"])  # not hers
    deleted = bob.api.status_delete(reply["id"])
    assert deleted["id"] == reply["id"]
    assert deleted["text"] == "a reply to delete"  # for delete-and-redraft
    assert alice.api.status(parent["id"])["replies_count"] == 0
    with pytest.raises(MastodonNotFoundError):
        alice.api.status(reply["id"])
    with pytest.raises(MastodonNotFoundError):
        bob.api.status_delete(reply["id"])
    assert bob.api.account_verify_credentials()["statuses_count"] == 0


def test_an_idempotency_key_makes_one_post(make_user: MakeUser) -> None:
    alice = make_user("a")
    first = alice.api.status_post("only once", idempotency_key="retry-123")
    second = alice.api.status_post("only once", idempotency_key="retry-123")
    assert first["id"] == second["id"]
    assert alice.api.account_verify_credentials()["statuses_count"] == 1
    other = alice.api.status_post("only once", idempotency_key="retry-456")
    assert other["id"] != first["id"]


def test_urdu_hashtags_and_graphemes(make_user: MakeUser) -> None:
    alice = make_user("a")
    post = alice.api.status_post("پاکستان زندہ باد #پاکستان")
    assert [t["name"] for t in post["tags"]] == ["پاکستان"]
    assert 'class="mention hashtag"' in post["content"]

    text = ("پاکستان" + FAMILY) * 62 + "زندہ"  # 62 * 8 + 4 = 500 graphemes
    assert alice.api.status_post(text)["content"].startswith("<p>پاکستان")
    with pytest.raises(MastodonAPIError) as too_long:
        alice.api.status_post(text + FAMILY)
    assert status_code(too_long.value) == 422


def test_html_in_a_post_is_escaped(make_user: MakeUser) -> None:
    alice = make_user("a")
    post = alice.api.status_post("<script>alert('x')</script> <b>bold</b> & co")
    content = post["content"]
    assert "<script" not in content and "<b>" not in content
    assert "&lt;script&gt;" in content and "&amp; co" in content


def test_private_and_direct_posts_reach_only_their_audience(
    make_user: MakeUser, anonymous: Mastodon
) -> None:
    alice, bob, carol = make_user("a"), make_user("b"), make_user("c")
    private = alice.api.status_post("followers only", visibility="private")
    direct = alice.api.status_post(f"@{carol.username} just us", visibility="direct")
    public = alice.api.status_post("everyone")

    for reader in (bob.api, anonymous):
        for hidden in (private, direct):
            with pytest.raises(MastodonNotFoundError):
                reader.status(hidden["id"])
            with pytest.raises(MastodonNotFoundError):
                reader.status_context(hidden["id"])
    with pytest.raises(MastodonNotFoundError):
        bob.api.status_favourite(direct["id"])
    assert carol.api.status(direct["id"])["visibility"] == "direct"
    with pytest.raises(MastodonNotFoundError):
        carol.api.status(private["id"])  # she does not follow alice

    batch = bob.api.statuses([private["id"], direct["id"], public["id"]])
    assert [s["id"] for s in batch] == [public["id"]]


def test_bad_input_answers_4xx_and_writes_nothing(server: Server, make_user: MakeUser) -> None:
    alice = make_user("a")
    original = alice.api.status_post("an existing post")
    with raw(server, alice) as client:
        malformed = client.post(
            "/api/v1/statuses", content=b'{"status": "x"',
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        assert malformed.status_code == 400 and "error" in malformed.json()
        wrong_types: list[dict[str, Any]] = [
            {"status": ["a list"]},
            {"status": "fine", "sensitive": "maybe"},
            {"status": {"text": "nested"}},
            {"status": "fine", "visibility": "galaxy"},
            {"status": "fine", "media_ids": ["not-an-id"]},
            {"status": ""},
            {"status": "   "},
            {"status": "later", "scheduled_at": "2099-01-01T00:00:00Z"},
            {"status": "pick one", "poll": {"options": ["a", "b"], "expires_in": 3600}},
        ]
        for body in wrong_types:
            answer = client.post("/api/v1/statuses", json=body)
            assert answer.status_code == 422, body
            assert answer.json()["error"]
        scheduled = client.post("/api/v1/statuses", json={"status": "x", "scheduled_at": "2099"})
        assert "not supported" in scheduled.json()["error"]
        for reference in ({"in_reply_to_id": "1234"}, {"quoted_status_id": "nope"}):
            answer = client.post("/api/v1/statuses", json={"status": "x", **reference})
            assert answer.status_code == 404, reference
        for path in ("/api/v1/statuses/abc", "/api/v1/statuses/1234", "/api/v1/statuses/-1"):
            assert client.get(path).status_code == 404
        edit = client.put(f"/api/v1/statuses/{original['id']}", json={"status": "x" * 501})
        assert edit.status_code == 422
    assert alice.api.account_verify_credentials()["statuses_count"] == 1
    assert alice.api.status_source(original["id"])["text"] == "an existing post"
    assert len(alice.api.status_history(original["id"])) == 1


def test_scopes_are_enforced(
    server: Server, client_app: ClientApp, make_user: MakeUser, anonymous: Mastodon
) -> None:
    alice, bob = make_user("a"), make_user("b")
    post = alice.api.status_post("scoped")
    reader = scoped_client(server, client_app, bob, ["read"])
    assert reader.status(post["id"])["id"] == post["id"]
    for attempt in (
        lambda: reader.status_post("no"),
        lambda: reader.status_favourite(post["id"]),
        lambda: scoped_client(server, client_app, bob, ["read", "write:statuses"]).status_bookmark(
            post["id"]
        ),
    ):
        with pytest.raises(MastodonAPIError) as refused:
            attempt()
        assert status_code(refused.value) == 403
    with pytest.raises(MastodonAPIError) as visitor:
        anonymous.status_post("who am I")
    assert status_code(visitor.value) == 401
