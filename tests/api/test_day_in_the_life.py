"""A whole day of a user's life, through Mastodon.py against a running server."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from collections.abc import Callable

import httpx
import pytest
from mastodon import Mastodon, MastodonNotFoundError

from tests.conftest import ClientApp, User, unique_name
from tests.servers import Server


def log_in_with_pkce(server: Server, app: ClientApp, username: str, password: str) -> str:
    """What a browser and an app do together: authorise on the page, swap the code."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    api = Mastodon(client_id=app.client_id, client_secret=app.client_secret,
                   api_base_url=server.url)  # fmt: skip
    url = api.auth_request_url(scopes=["read", "write", "follow"], state="day1", allow_http=True)
    url += f"&code_challenge={challenge.rstrip(b'=').decode()}&code_challenge_method=S256"
    with httpx.Client(follow_redirects=False) as browser:
        page = browser.get(url)
        assert page.status_code == 200
        assert "townsquare tests" in page.text
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
        shown = browser.post(
            f"{server.url}/oauth/authorize",
            data={**fields, "login": username, "password": password, "decision": "approve"},
        )
    assert shown.status_code == 200
    code = re.search(r'id="authorization-code">([^<]+)<', shown.text)
    assert code is not None
    token = httpx.post(
        f"{server.url}/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code.group(1),
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            "redirect_uri": "urn:ietf:wg:oauth:2.0:oob",
            "code_verifier": verifier,
        },
    )
    assert token.status_code == 200, token.text
    return str(token.json()["access_token"])


def test_a_day_on_the_square(
    server: Server, client_app: ClientApp, make_user: Callable[..., User]
) -> None:
    # Morning: Sara signs up with a fresh app and logs in twice, by password and by PKCE.
    app_id, app_secret = Mastodon.create_app(
        "day in the life", scopes=["read", "write", "follow"], api_base_url=server.url
    )
    signup = Mastodon(client_id=app_id, client_secret=app_secret, api_base_url=server.url)
    username = unique_name("sara")
    signup.create_account(
        username, "a long password", f"{username}@example.org", agreement=True,
        scopes=["read", "write", "follow"],
    )  # fmt: skip
    by_password = Mastodon(client_id=app_id, client_secret=app_secret, api_base_url=server.url)
    by_password.log_in(username, "a long password", scopes=["read", "write", "follow"],
                       allow_http=True)  # fmt: skip
    sara = Mastodon(
        access_token=log_in_with_pkce(server, client_app, username, "a long password"),
        api_base_url=server.url,
    )
    me = sara.account_verify_credentials()
    assert me["username"] == username == by_password.me()["username"]

    # Sara follows Kamran, whose account is locked, and he approves her.
    kamran = make_user("kamran", locked=True)
    rel = sara.account_follow(kamran.id)
    assert rel["requested"] and not rel["following"]
    requests = kamran.api.follow_requests()
    assert [a["username"] for a in requests] == [username]
    assert "follow_request" in {n["type"] for n in kamran.api.notifications()}
    kamran.api.follow_request_authorize(me["id"])
    assert sara.account_relationships(kamran.id)[0]["following"]

    # Kamran posts in Urdu with a hashtag; it reaches Sara's home.
    tag = f"چائے{secrets.token_hex(2)}"
    urdu = kamran.api.status_post(f"صبح بخیر! آج کی #{tag} بہت اچھی ہے", language="ur")
    assert urdu["language"] == "ur"
    home = sara.timeline_home(limit=10)
    assert urdu["id"] in [s["id"] for s in home]

    # She replies, quotes, reposts, likes and bookmarks it.
    reply = sara.status_post("بہت خوب! Enjoy it.", in_reply_to_id=urdu["id"])
    quote = sara.status_post("Look at this morning", quoted_status_id=urdu["id"])
    assert quote["quote"]["state"] == "accepted"
    assert quote["quote"]["quoted_status"]["id"] == urdu["id"]
    repost = sara.status_reblog(urdu["id"])
    assert repost["reblog"]["id"] == urdu["id"]
    sara.status_favourite(urdu["id"])
    sara.status_bookmark(urdu["id"])
    seen = kamran.api.status(urdu["id"])
    assert (seen["replies_count"], seen["reblogs_count"], seen["favourites_count"]) == (1, 1, 1)
    assert [s["id"] for s in sara.bookmarks()] == [urdu["id"]]
    context = kamran.api.status_context(urdu["id"])
    assert [s["id"] for s in context["descendants"]] == [reply["id"]]

    # Kamran hears about all of it.
    kinds = {n["type"] for n in kamran.api.notifications(limit=40)}
    assert {"mention", "quote", "reblog", "favourite"} <= kinds

    # The hashtag timeline finds the post under the Arabic-keyboard spelling too.
    arabic_spelling = tag.replace("ی", "ي")
    assert urdu["id"] in [s["id"] for s in sara.timeline_hashtag(arabic_spelling)]

    # Afternoon: Sara writes a lot and pages back through her home timeline.
    written = [sara.status_post(f"note {i} of the afternoon")["id"] for i in range(25)]
    page = sara.timeline_home(limit=10)
    collected = []
    for _ in range(10):
        if not page:
            break
        collected.extend(s["id"] for s in page)
        page = sara.fetch_next(page)
    assert [i for i in collected if i in written] == list(reversed(written))
    assert len(collected) == len(set(collected))
    public = sara.timeline_public(local=True, limit=5)
    assert len(public) == 5

    # She edits one post and deletes another.
    edited = sara.status_update(written[0], "note 0, corrected")
    assert "corrected" in edited["content"]
    assert len(sara.status_history(written[0])) == 2
    sara.status_delete(written[1])
    with pytest.raises(MastodonNotFoundError):
        sara.status(written[1])

    # She searches for people and posts.
    found = sara.search_v2(kamran.username, result_type="accounts")
    assert kamran.id in [a["id"] for a in found["accounts"]]
    found = sara.search_v2("corrected", result_type="statuses")
    assert written[0] in [s["id"] for s in found["statuses"]]

    # Evening: a stranger turns nasty; Sara blocks him and he is gone everywhere.
    troll = make_user("troll")
    troll.api.account_follow(me["id"])
    nasty = troll.api.status_post(f"@{username} you are wrong")
    assert nasty["id"] in [n["status"]["id"] for n in sara.notifications(types=["mention"])]
    sara.account_block(troll.id)
    assert nasty["id"] not in [
        n["status"]["id"] for n in sara.notifications(types=["mention"]) if n.get("status")
    ]
    with pytest.raises(MastodonNotFoundError):
        sara.status(nasty["id"])
    with pytest.raises(MastodonNotFoundError):
        troll.api.status(written[0])
    assert troll.api.account_relationships(me["id"])[0]["blocked_by"]
    assert not troll.api.account_relationships(me["id"])[0]["following"]
    assert written[0] not in [s["id"] for s in troll.api.timeline_home()]
    found = troll.api.search_v2("corrected", result_type="statuses")
    assert written[0] not in [s["id"] for s in found["statuses"]]
