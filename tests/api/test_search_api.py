"""Search through Mastodon.py against a running server."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable

import httpx
import pytest
from mastodon import Mastodon, MastodonUnauthorizedError

from tests.conftest import User
from tests.servers import Server


def ids(items: list[dict[str, object]]) -> list[object]:
    return [item["id"] for item in items]


def indexed(user: User, q: str, expected: int, **options: object) -> list[object]:
    """The ids of posts found for ``q`` once the index jobs (run by the server's worker
    after each write) have caught up: the search is retried until ``expected`` posts are
    found, for at most half a minute (a wait for the worker, not a test of its speed)."""
    deadline = time.monotonic() + 30
    while True:
        found = ids(user.api.search_v2(q, result_type="statuses", **options)["statuses"])
        if len(found) >= expected or time.monotonic() > deadline:
            return found
        time.sleep(0.02)


def token() -> str:
    """A word no other test's data contains."""
    return "w" + secrets.token_hex(5)


def test_accounts_by_username_prefix_and_display_name(
    make_user: Callable[..., User], anonymous: Mastodon
) -> None:
    surname = token()
    aisha = make_user("ai", display_name=f"عائشہ {surname}")
    bilal = make_user("bi", display_name=f"Bilal {surname.upper()}")
    searcher = make_user("se")

    found = searcher.api.search_v2(surname, result_type="accounts")
    assert set(ids(found["accounts"])) == {aisha.id, bilal.id}
    assert found["statuses"] == [] and found["hashtags"] == []
    by_name = searcher.api.search_v2(aisha.username[:-2], result_type="accounts")
    assert aisha.id in ids(by_name["accounts"])
    exact = searcher.api.search_v2(f"@{bilal.username}", result_type="accounts")
    assert ids(exact["accounts"])[0] == bilal.id
    # visitors may search accounts too (without resolving)
    assert set(ids(anonymous.search_v2(surname, resolve=False)["accounts"])) == {
        aisha.id,
        bilal.id,
    }
    # paging with offset
    first = searcher.api.search_v2(surname, result_type="accounts", limit=1)
    second = searcher.api.search_v2(surname, result_type="accounts", limit=1, offset=1)
    assert {*ids(first["accounts"]), *ids(second["accounts"])} == {aisha.id, bilal.id}

    searcher.api.account_block(bilal.id)
    assert ids(searcher.api.search_v2(surname, result_type="accounts")["accounts"]) == [aisha.id]


def test_following_only(server: Server, make_user: Callable[..., User]) -> None:
    surname = token()
    friend = make_user("fr", display_name=f"Friend {surname}")
    make_user("st", display_name=f"Stranger {surname}")
    me = make_user("me")
    me.api.account_follow(friend.id)
    response = httpx.get(
        f"{server.url}/api/v2/search",
        params={"q": surname, "type": "accounts", "following": "true"},
        headers={"Authorization": f"Bearer {me.api.access_token}"},
    )
    assert response.status_code == 200
    assert ids(response.json()["accounts"]) == [friend.id]


def test_hashtags_match_by_prefix_across_spellings(
    make_user: Callable[..., User], anonymous: Mastodon
) -> None:
    suffix = secrets.token_hex(3)
    author = make_user("ht")
    author.api.status_post(f"#کتاب{suffix} and #کتابیں{suffix}x")
    latin = token()
    author.api.status_post(f"#{latin}_news #{latin}")

    # the Arabic kaf finds the Urdu keheh spelling
    found = anonymous.search_v2(f"#كتاب{suffix}", resolve=False, result_type="hashtags")
    assert [tag["name"] for tag in found["hashtags"]] == [f"کتاب{suffix}"]
    found = anonymous.search_v2(latin.upper(), resolve=False)
    assert [tag["name"] for tag in found["hashtags"]] == [latin, f"{latin}_news"]
    tag = found["hashtags"][0]
    assert tag["url"].endswith(f"/tags/{latin}")
    assert tag["history"] == []
    # LIKE wildcards are taken literally
    assert anonymous.search_v2(f"{latin[:3]}%", resolve=False)["hashtags"] == []


def test_statuses_for_signed_in_people_only(
    make_user: Callable[..., User], anonymous: Mastodon
) -> None:
    word = token()
    author, reader = make_user("au"), make_user("rd")
    sure = author.api.status_post(f"{word} I am 100% SURE")
    unsure = author.api.status_post(f"{word} I am 1000 sure")
    author.api.status_post(f"{word} 100% private", visibility="private")
    mine = reader.api.status_post(f"{word} says the reader")

    assert indexed(reader, word, 3) == [mine["id"], unsure["id"], sure["id"]]
    assert ids(reader.api.search_v2(f"{word} i am 100% sure")["statuses"]) == [sure["id"]]
    # punctuation separates words; LIKE and FTS syntax characters are no wildcards
    assert ids(reader.api.search_v2(f"{word} I am 100_")["statuses"]) == [sure["id"]]
    assert reader.api.search_v2(f"{word} I am 10%")["statuses"] == []
    assert reader.api.search_v2(f"{word} I am 10*")["statuses"] == []
    assert ids(reader.api.search_v2(word, account_id=author.id)["statuses"]) == [
        unsure["id"],
        sure["id"],
    ]
    paged = reader.api.search_v2(word, result_type="statuses", limit=1, offset=1)
    assert ids(paged["statuses"]) == [unsure["id"]]
    assert anonymous.search_v2(word, resolve=False)["statuses"] == []
    with pytest.raises(MastodonUnauthorizedError):
        anonymous.search_v2(word, resolve=True)


def test_resolving_a_post_address(make_user: Callable[..., User]) -> None:
    author, reader = make_user("ra"), make_user("rr")
    posted = author.api.status_post("find me by my address")
    found = reader.api.search_v2(posted["url"], resolve=True)
    assert ids(found["statuses"]) == [posted["id"]]
    found = reader.api.search_v2(posted["uri"], resolve=True, result_type="statuses")
    assert ids(found["statuses"]) == [posted["id"]]


def test_empty_or_odd_queries_find_nothing(server: Server, make_user: Callable[..., User]) -> None:
    user = make_user("eq")
    headers = {"Authorization": f"Bearer {user.api.access_token}"}
    for params in ({"q": ""}, {"q": "   "}, {}, {"q": "x", "type": "unknown"}):
        response = httpx.get(f"{server.url}/api/v2/search", params=params, headers=headers)
        assert response.status_code == 200, params
        assert response.json() == {"accounts": [], "statuses": [], "hashtags": []}
    bad = httpx.get(f"{server.url}/api/v2/search", params={"q": "x", "limit": "lots"})
    assert bad.status_code == 422
