"""Follows, follow requests, blocks, mutes and relationships through Mastodon.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from mastodon import Mastodon, MastodonAPIError, MastodonNotFoundError

from tests.conftest import ClientApp, User
from tests.servers import Server

MakeUser = Callable[..., User]


def status_of(error: MastodonAPIError) -> int:
    return int(error.args[1])


def bearer(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {user.api.access_token}"}


def counts(viewer: User, account: User) -> tuple[int, int]:
    shown = viewer.api.account(account.id)
    return shown["followers_count"], shown["following_count"]


def ids_of(accounts: list[Any]) -> list[str]:
    return [str(account["id"]) for account in accounts]


def test_follow_an_open_account(make_user: MakeUser) -> None:
    alice, bob = make_user(), make_user()
    relation = alice.api.account_follow(bob.id)
    assert str(relation["id"]) == bob.id
    assert relation["following"] and relation["showing_reblogs"] and not relation["requested"]
    assert relation["note"] == "" and not relation["domain_blocking"]
    assert counts(alice, bob) == (1, 0)
    assert counts(alice, alice) == (0, 1)
    [seen_by_bob] = bob.api.account_relationships(alice.id)
    assert seen_by_bob["followed_by"] and not seen_by_bob["following"]
    assert ids_of(bob.api.account_followers(bob.id)) == [alice.id]
    assert ids_of(alice.api.account_following(alice.id)) == [bob.id]

    undone = alice.api.account_unfollow(bob.id)
    assert not undone["following"]
    assert counts(alice, bob) == (0, 0)
    assert bob.api.account_followers(bob.id) == []


def test_follow_options_are_kept_and_updated(server: Server, make_user: MakeUser) -> None:
    alice, bob = make_user(), make_user()
    url = f"{server.url}/api/v1/accounts/{bob.id}/follow"
    first = httpx.post(url, json={"reblogs": False, "notify": True, "languages": ["ur", "EN"]},
                       headers=bearer(alice))  # fmt: skip
    assert first.status_code == 200
    assert first.json()["showing_reblogs"] is False
    assert first.json()["notifying"] is True
    assert first.json()["languages"] == ["ur", "en"]
    # following again changes only what is sent, and counts once
    again = alice.api.account_follow(bob.id, reblogs=True, notify=None)
    assert again["showing_reblogs"] and again["notifying"] and again["languages"] == ["ur", "en"]
    assert counts(alice, bob) == (1, 0)

    bad = httpx.post(url, json={"languages": ["not a language"]}, headers=bearer(alice))
    assert bad.status_code == 422 and "error" in bad.json()


def test_a_follows_languages_keep_other_languages_off_home(make_user: MakeUser) -> None:
    reader, author = make_user(), make_user()
    # Mastodon.py's account_follow has no languages; its request helper sends a list as
    # ``languages[]``, as its own methods do
    relation = reader.api._Mastodon__api_request(  # type: ignore[attr-defined]
        "POST", f"/api/v1/accounts/{author.id}/follow", {"languages[]": ["ur"]}
    )
    assert relation["following"] and relation["languages"] == ["ur"]
    english = author.api.status_post("market day", language="en")
    urdu = author.api.status_post("آج بازار کا دن ہے", language="ur")
    unknown = author.api.status_post("123 456")
    assert unknown["language"] is None
    home = [str(status["id"]) for status in reader.api.timeline_home()]
    assert home == [str(unknown["id"]), str(urdu["id"])]
    assert str(english["id"]) not in home
    [shown] = reader.api.account_relationships(author.id)
    assert shown["languages"] == ["ur"]


def test_locked_account_authorises_a_request(make_user: MakeUser) -> None:
    alice, carol = make_user(), make_user(locked=True)
    asked = alice.api.account_follow(carol.id)
    assert asked["requested"] and not asked["following"]
    assert counts(carol, carol) == (0, 0)
    assert ids_of(carol.api.follow_requests()) == [alice.id]
    [pending] = carol.api.account_relationships(alice.id)
    assert pending["requested_by"]

    accepted = carol.api.follow_request_authorize(alice.id)
    assert str(accepted["id"]) == alice.id
    assert accepted["followed_by"] and not accepted["requested_by"]
    assert carol.api.follow_requests() == []
    assert ids_of(carol.api.account_followers(carol.id)) == [alice.id]
    assert ids_of(alice.api.account_following(alice.id)) == [carol.id]
    assert counts(alice, carol) == (1, 0)
    assert counts(alice, alice) == (0, 1)
    [mine] = alice.api.account_relationships(carol.id)
    assert mine["following"] and not mine["requested"]


def test_locked_account_rejects_a_request(make_user: MakeUser) -> None:
    alice, carol = make_user(), make_user(locked=True)
    alice.api.account_follow(carol.id)
    rejected = carol.api.follow_request_reject(alice.id)
    assert not rejected["requested_by"] and not rejected["followed_by"]
    assert carol.api.follow_requests() == []
    [mine] = alice.api.account_relationships(carol.id)
    assert not mine["requested"] and not mine["following"]
    assert counts(alice, carol) == (0, 0)
    with pytest.raises(MastodonNotFoundError):
        carol.api.follow_request_authorize(alice.id)


def test_block_ends_follows_both_ways(make_user: MakeUser) -> None:
    alice, bob = make_user(), make_user()
    alice.api.account_follow(bob.id)
    bob.api.account_follow(alice.id)
    assert counts(alice, alice) == (1, 1)

    blocked = alice.api.account_block(bob.id)
    assert blocked["blocking"] and not blocked["following"] and not blocked["followed_by"]
    assert counts(alice, alice) == (0, 0)
    assert counts(alice, bob) == (0, 0)
    [seen_by_bob] = bob.api.account_relationships(alice.id)
    assert seen_by_bob["blocked_by"] and not seen_by_bob["following"]
    assert ids_of(alice.api.blocks()) == [bob.id]

    for follower, target in ((bob, alice), (alice, bob)):
        with pytest.raises(MastodonAPIError) as refused:
            follower.api.account_follow(target.id)
        assert status_of(refused.value) == 403

    assert not alice.api.account_unblock(bob.id)["blocking"]
    assert alice.api.blocks() == []
    assert bob.api.account_follow(alice.id)["following"]


def test_mute_with_duration(make_user: MakeUser) -> None:
    alice, bob, carol = make_user(), make_user(), make_user()
    before = datetime.now(UTC)
    muted = alice.api.account_mute(bob.id, notifications=False, duration=3600)
    assert muted["muting"] and not muted["muting_notifications"]
    expires = muted["muting_expires_at"]
    assert expires is not None
    assert before + timedelta(minutes=59) < expires < before + timedelta(minutes=61)
    forever = alice.api.account_mute(carol.id)
    assert forever["muting"] and forever["muting_notifications"]
    assert forever["muting_expires_at"] is None

    listed = {str(a["id"]): a for a in alice.api.mutes()}
    assert set(listed) == {bob.id, carol.id}
    assert listed[bob.id]["mute_expires_at"] is not None
    assert listed[carol.id]["mute_expires_at"] is None

    assert not alice.api.account_unmute(bob.id)["muting"]
    assert ids_of(alice.api.mutes()) == [carol.id]


def test_relationships_for_several_ids(server: Server, make_user: MakeUser) -> None:
    alice, bob, carol, dave = make_user(), make_user(), make_user(locked=True), make_user()
    alice.api.account_follow(bob.id)
    alice.api.account_follow(carol.id)
    dave.api.account_follow(alice.id)
    alice.api.account_mute(dave.id)
    found = alice.api.account_relationships([dave.id, carol.id, bob.id])
    assert [str(r["id"]) for r in found] == [dave.id, carol.id, bob.id]
    assert found[0]["followed_by"] and found[0]["muting"] and not found[0]["following"]
    assert found[1]["requested"] and not found[1]["following"]
    assert found[2]["following"] and not found[2]["followed_by"]

    # ids that are not ids, or unknown ones, match nothing
    raw = httpx.get(f"{server.url}/api/v1/accounts/relationships",
                    params=[("id[]", "abc"), ("id[]", "999"), ("id[]", bob.id)],
                    headers=bearer(alice))  # fmt: skip
    assert raw.status_code == 200
    assert [r["id"] for r in raw.json()] == [bob.id]


def test_followers_pages_with_fetch_next(anonymous: Mastodon, make_user: MakeUser) -> None:
    star = make_user()
    fans = [make_user() for _ in range(5)]
    for fan in fans:
        fan.api.account_follow(star.id)

    page = star.api.account_followers(star.id, limit=2)
    seen: list[str] = []
    pages = 0
    while page:
        assert len(page) <= 2
        seen += ids_of(page)
        pages += 1
        page = star.api.fetch_next(page)
    assert pages == 3
    assert seen == [fan.id for fan in reversed(fans)]

    # the list is public, and a limit over the maximum is capped, not refused
    assert ids_of(anonymous.account_followers(star.id, limit=500)) == seen


def test_token_without_write_scope_cannot_follow(
    server: Server, client_app: ClientApp, make_user: MakeUser
) -> None:
    alice, bob = make_user(), make_user()
    reader = Mastodon(client_id=client_app.client_id, client_secret=client_app.client_secret,
                      api_base_url=server.url)  # fmt: skip
    reader.log_in(alice.username, alice.password, scopes=["read"], allow_http=True)
    with pytest.raises(MastodonAPIError) as refused:
        reader.account_follow(bob.id)
    assert status_of(refused.value) == 403
    with pytest.raises(MastodonAPIError) as refused_block:
        reader.account_block(bob.id)
    assert status_of(refused_block.value) == 403
    # reading is within the token's scopes
    [relation] = reader.account_relationships(bob.id)
    assert not relation["following"]
    assert counts(bob, bob) == (0, 0)


def test_unknown_and_malformed_ids_are_not_found(server: Server, make_user: MakeUser) -> None:
    alice = make_user()
    unknown = str(int(alice.id) + 12345)
    with pytest.raises(MastodonNotFoundError):
        alice.api.account_follow(unknown)
    with pytest.raises(MastodonNotFoundError):
        alice.api.follow_request_authorize(unknown)
    for bad in ("abc", "-1", "0", "99999999999999999999", "1.5"):
        for path in ("follow", "block", "mute", "unfollow"):
            answer = httpx.post(f"{server.url}/api/v1/accounts/{bad}/{path}", headers=bearer(alice))
            assert answer.status_code == 404, (bad, path)
            assert answer.json() == {"error": "Record not found"}
        listed = httpx.get(f"{server.url}/api/v1/accounts/{bad}/followers")
        assert listed.status_code == 404
    assert counts(alice, alice) == (0, 0)


def test_cannot_follow_oneself(make_user: MakeUser) -> None:
    alice = make_user()
    with pytest.raises(MastodonAPIError) as refused:
        alice.api.account_follow(alice.id)
    assert status_of(refused.value) == 422
    assert counts(alice, alice) == (0, 0)


def test_remove_from_followers(make_user: MakeUser) -> None:
    alice, bob = make_user(), make_user()
    bob.api.account_follow(alice.id)
    relation = alice.api.account_remove_from_followers(bob.id)
    assert not relation["followed_by"] and not relation["blocking"]
    assert counts(alice, alice) == (0, 0)
    assert counts(alice, bob) == (0, 0)


def test_search_within_follows(make_user: MakeUser) -> None:
    alice = make_user()
    bob = make_user(display_name="Graphsearch Bob")
    carol = make_user(display_name="Graphsearch Carol")
    alice.api.account_follow(bob.id)
    assert set(ids_of(alice.api.account_search("Graphsearch"))) >= {bob.id, carol.id}
    assert ids_of(alice.api.account_search("Graphsearch", following=True)) == [bob.id]
    carol.api.account_block(alice.id)
    assert carol.id not in ids_of(alice.api.account_search("Graphsearch"))


def test_familiar_followers(make_user: MakeUser) -> None:
    alice, bob, carol, dave = make_user(), make_user(), make_user(), make_user()
    alice.api.account_follow(bob.id)
    bob.api.account_follow(carol.id)
    dave.api.account_follow(carol.id)
    [familiar] = alice.api.account_familiar_followers(carol.id)
    assert str(familiar["id"]) == carol.id
    assert ids_of(familiar["accounts"]) == [bob.id]


def test_private_note_on_an_account(server: Server, make_user: MakeUser) -> None:
    alice, bob = make_user(), make_user()
    relation = alice.api.account_note_set(bob.id, "met at the conference — کانفرنس")
    assert str(relation["id"]) == bob.id
    assert relation["note"] == "met at the conference — کانفرنس"
    [seen] = alice.api.account_relationships(bob.id)
    assert seen["note"] == "met at the conference — کانفرنس"
    # private: bob does not see the note alice keeps on him
    [other_way] = bob.api.account_relationships(alice.id)
    assert other_way["note"] == ""
    replaced = alice.api.account_note_set(bob.id, "x" * 2000)
    assert replaced["note"] == "x" * 2000
    url = f"{server.url}/api/v1/accounts/{bob.id}/note"
    too_long = httpx.post(url, data={"comment": "x" * 2001}, headers=bearer(alice))
    assert too_long.status_code == 422 and "Comment is too long" in too_long.json()["error"]
    assert alice.api.account_relationships(bob.id)[0]["note"] == "x" * 2000
    cleared = alice.api.account_note_set(bob.id, "")
    assert cleared["note"] == ""
    missing = httpx.post(
        f"{server.url}/api/v1/accounts/987654321/note",
        data={"comment": "hi"},
        headers=bearer(alice),
    )
    assert missing.status_code == 404
