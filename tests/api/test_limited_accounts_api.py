"""A limited account through the Mastodon API: Mastodon.py clients, a real server."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from tests.api.test_moderation_api import Staff, moderator, staff_app  # noqa: F401
from tests.conftest import User


def _ids(items: list[dict[str, object]]) -> list[str]:
    return [str(item["id"]) for item in items]


def test_followers_keep_a_limited_account_others_lose_it(
    make_user: Callable[..., User],
    moderator: Staff,  # noqa: F811
) -> None:
    loud, fan, passer = make_user("loud"), make_user("fan"), make_user("pass")
    fan.api.account_follow(loud.id)
    tag = f"lim{secrets.token_hex(4)}"
    post = loud.api.status_post(f"limited words #{tag}")
    moderator.api.admin_account_moderate(loud.id, "silence", text="too loud")

    for reader, sees in ((fan, True), (passer, False)):
        assert (str(post["id"]) in _ids(reader.api.timeline_public(limit=40))) is sees
        assert (str(post["id"]) in _ids(reader.api.timeline_hashtag(tag))) is sees
        found = reader.api.search_v2(f"#{tag}", result_type="statuses")["statuses"]
        assert (str(post["id"]) in _ids(found)) is sees
    assert str(post["id"]) in _ids(fan.api.timeline_home())
    # still readable by link, as Mastodon
    assert str(passer.api.status(post["id"])["id"]) == str(post["id"])

    fan_post = fan.api.status_post("a fan's post")
    passer_post = passer.api.status_post("a passer's post")
    loud.api.status_favourite(fan_post["id"])
    loud.api.status_favourite(passer_post["id"])
    assert [n["type"] for n in fan.api.notifications() if str(n["account"]["id"]) == loud.id] == [
        "favourite"
    ]
    assert [n for n in passer.api.notifications() if str(n["account"]["id"]) == loud.id] == []

    moderator.api.admin_account_unsilence(loud.id)
    assert str(post["id"]) in _ids(passer.api.timeline_public(limit=40))
    assert str(post["id"]) in _ids(passer.api.timeline_hashtag(tag))
