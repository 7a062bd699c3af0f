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

from tests.api.test_spec_schemas import conforms
from tests.conftest import ClientApp, User
from tests.databases import create_database, drop_database
from tests.servers import Server, start_server
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
