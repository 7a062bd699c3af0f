"""Moderation labels and warnings on the API: Mastodon's ``filtered`` (so existing apps
warn or hide), and our ``townsquare_moderation`` extension, against a server of its own
running a keyword policy (so the test decides which post gets which outcome)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from mastodon import Mastodon
from mastodon.errors import MastodonNotFoundError

from tests.api.test_spec_schemas import conforms
from tests.conftest import ClientApp, User, unique_name
from tests.databases import create_database, drop_database
from tests.servers import Server, start_server
from townsquare.domain.accounts.actions import NewAccount, register
from townsquare.domain.moderation.appeals import decide_appeal
from townsquare.domain.moderation.outcomes import choose_label_choices
from townsquare.storage.database import Database

POLICY = """
[policy]
id = "api-labels"
version = "3"
title = "Label test policy"

[[rules]]
id = "label-kumquat"
keywords = ["kumquat"]
action = "label"
label = "fruit-talk"

[[rules]]
id = "warn-durian"
keywords = ["durian"]
action = "warn"

[[rules]]
id = "downrank-jackfruit"
keywords = ["jackfruit"]
action = "downrank"

[[rules]]
id = "strike-rambutan"
keywords = ["rambutan"]
action = "strike"
"""

_URLS: dict[str, str] = {}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    directory: Path = tmp_path_factory.mktemp("labels")
    policy = directory / "labels-policy.toml"
    policy.write_text(POLICY, encoding="utf-8")
    url = asyncio.run(create_database("labels", directory))
    _URLS["db"] = url
    running = start_server(url, directory, {"TOWNSQUARE_MODERATION_POLICY": str(policy)})
    yield running
    running.stop()
    asyncio.run(drop_database(url))


@pytest.fixture(scope="module")
def client_app(server: Server) -> ClientApp:
    client_id, client_secret = Mastodon.create_app(
        "label tests",
        scopes=["read", "write", "follow", "push"],
        redirect_uris="urn:ietf:wg:oauth:2.0:oob",
        api_base_url=server.url,
    )
    return ClientApp(client_id, client_secret)


def _choose(account_id: str, choices: dict[str, str]) -> None:
    async def go() -> None:
        db = Database(_URLS["db"])
        try:
            async with db.write() as conn:
                await choose_label_choices(conn, int(account_id), choices)
        finally:
            await db.dispose()

    asyncio.run(go())


def _moderation(status: Any) -> Any:
    return status.get("townsquare_moderation")


def test_labels_and_warnings_reach_apps_as_filters(make_user: Callable[..., User]) -> None:
    author, reader = make_user(), make_user()
    labelled = author.api.status_post("kumquat season is here")
    warned = author.api.status_post("the durian smell is everywhere")
    plain = author.api.status_post("an ordinary afternoon")

    seen = reader.api.status(labelled["id"])
    assert seen["filtered"] == []
    assert _moderation(seen) == {
        "state": "labelled", "label": "fruit-talk", "presentation": "show",
        "policy_url": f"{author.api.api_base_url}/about/policy",
    }  # fmt: skip

    seen = reader.api.status(warned["id"])
    [result] = seen["filtered"]
    assert result["filter"]["filter_action"] == "warn"
    assert result["filter"]["title"] == "Moderation warning"
    assert [str(s) for s in result["status_matches"]] == [str(warned["id"])]
    assert _moderation(seen)["state"] == "warned"
    raw = httpx.get(
        f"{reader.api.api_base_url}/api/v1/statuses/{warned['id']}",
        headers={"Authorization": f"Bearer {reader.api.access_token}"},
        timeout=30,
    ).json()
    conforms("Status", raw)
    conforms("FilterResult", raw["filtered"][0])

    seen = reader.api.status(plain["id"])
    assert seen["filtered"] == [] and _moderation(seen) is None


def test_a_readers_label_choice_turns_a_label_into_a_warning_or_hides_it(
    make_user: Callable[..., User],
) -> None:
    author, reader, other = make_user(), make_user(), make_user()
    labelled = author.api.status_post("a kumquat tart for everyone")
    _choose(reader.id, {"fruit-talk": "hide"})
    _choose(other.id, {"fruit-talk": "warn"})

    [hidden] = reader.api.status(labelled["id"])["filtered"]
    assert hidden["filter"]["filter_action"] == "hide"
    assert hidden["filter"]["title"] == "Moderation: fruit-talk"
    [warned] = other.api.status(labelled["id"])["filtered"]
    assert warned["filter"]["filter_action"] == "warn"
    # the author's own choice is untouched: shown with its label
    assert author.api.status(labelled["id"])["filtered"] == []
    # and timelines carry the same answer as the single post
    [first] = reader.api.account_statuses(author.id, limit=1)
    assert first["filtered"][0]["filter"]["filter_action"] == "hide"


def test_downranked_posts_say_so_to_those_who_still_see_them(
    make_user: Callable[..., User],
) -> None:
    author, follower = make_user(), make_user()
    follower.api.account_follow(author.id)
    post = author.api.status_post("jackfruit recipes, again")
    [home] = [s for s in follower.api.timeline_home() if str(s["id"]) == str(post["id"])]
    assert _moderation(home)["state"] == "downranked"
    assert home["filtered"] == []


def _approve(appeal_id: str) -> None:
    async def go() -> None:
        db = Database(_URLS["db"])
        try:
            async with db.write() as conn:
                name = unique_name("apm")
                moderator = await register(
                    conn, NewAccount(username=name, email=f"{name}@example.org",
                                     password="pw-long-enough1", role="moderator"),
                )  # fmt: skip
                await decide_appeal(conn, moderator, int(appeal_id), approve=True)
        finally:
            await db.dispose()

    asyncio.run(go())


def _surfaces(viewer: Mastodon, author_id: str, parent_id: str, tag: str) -> dict[str, set[str]]:
    """The post ids a viewer finds on each surface a reply can show on (the public
    timeline leaves replies out, as Mastodon's does; the tag timeline is public)."""
    ids = lambda items: {str(item["id"]) for item in items}  # noqa: E731
    found = {
        "context": ids(viewer.status_context(parent_id)["descendants"]),
        "tag": ids(viewer.timeline_hashtag(tag)),
        "profile": ids(viewer.account_statuses(author_id)),
    }
    if viewer.access_token:
        found["home"] = ids(viewer.timeline_home())
        found["notifications"] = {
            str(n["status"]["id"]) for n in viewer.notifications() if n.get("status")
        }
    return found


def test_a_struck_post_leaves_every_surface_and_an_approved_appeal_restores_it(
    server: Server, make_user: Callable[..., User], anonymous: Mastodon
) -> None:
    author, follower, stranger = make_user("sfa"), make_user("sff"), make_user("sfs")
    follower.api.account_follow(author.id)
    tag = unique_name("stand")
    parent = follower.api.status_post(f"which fruit today? #{tag}")
    struck = author.api.status_post(
        f"@{follower.username} rambutan cheap #{tag}", in_reply_to_id=parent["id"]
    )
    plain = author.api.status_post(f"@{follower.username} mangoes are in #{tag}",
                                   in_reply_to_id=parent["id"])  # fmt: skip
    struck_id, plain_id = str(struck["id"]), str(plain["id"])
    viewers = {"follower": follower.api, "stranger": stranger.api, "visitor": anonymous}

    def check(present: bool) -> None:
        for who, api in viewers.items():
            for surface, ids in _surfaces(api, author.id, str(parent["id"]), tag).items():
                if surface in ("home", "notifications") and who != "follower":
                    continue  # the stranger follows no one and is mentioned nowhere
                assert plain_id in ids, (who, surface)
                assert (struck_id in ids) is present, (who, surface)
            if present:
                assert str(api.status(struck_id)["id"]) == struck_id
            else:
                with pytest.raises(MastodonNotFoundError):
                    api.status(struck_id)

    check(present=False)
    # its author still sees it, marked as removed
    assert _moderation(author.api.status(struck_id))["state"] == "removed"
    headers = {"Authorization": f"Bearer {author.api.access_token}"}
    [strike] = httpx.get(f"{server.url}/api/v1/townsquare/strikes", headers=headers).json()
    assert strike["status_ids"] == [struck_id] and strike["rule_id"] == "strike-rambutan"
    appealed = httpx.post(
        f"{server.url}/api/v1/townsquare/strikes/{strike['id']}/appeal",
        headers=headers, data={"text": "Rambutan is a fruit, not a crime"},
    )  # fmt: skip
    assert appealed.status_code == 200, appealed.text
    second = httpx.post(
        f"{server.url}/api/v1/townsquare/strikes/{strike['id']}/appeal",
        headers=headers, data={"text": "again"},
    )  # fmt: skip
    assert second.status_code == 409 and "error" in second.json()
    _approve(appealed.json()["appeal"]["id"])
    check(present=True)
    assert _moderation(author.api.status(struck_id)) is None
