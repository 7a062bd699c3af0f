"""Trends through Mastodon.py against a server of their own, which refreshes its trends
after every recorded use (TOWNSQUARE_TRENDS_REFRESH_SECONDS=0), so that other tests'
tags never crowd these out."""

from __future__ import annotations

import asyncio
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from mastodon import Mastodon

from tests.api.test_spec_schemas import conforms
from tests.conftest import ClientApp, User
from tests.servers import Server, own_server
from townsquare.domain.languages.choices import choose_languages
from townsquare.storage.database import Database

WAIT_SECONDS = 30


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from own_server(
        tmp_path_factory, "trends", {"TOWNSQUARE_TRENDS_REFRESH_SECONDS": "0"}, shared_redis=True
    )


@pytest.fixture(scope="module")
def client_app(server: Server) -> ClientApp:
    client_id, client_secret = Mastodon.create_app(
        "trends tests",
        scopes=["read", "write", "follow", "push"],
        redirect_uris="urn:ietf:wg:oauth:2.0:oob",
        api_base_url=server.url,
    )
    return ClientApp(client_id, client_secret)


def eventually(read: Callable[[], list[Any]], wanted: Callable[[list[Any]], bool]) -> list[Any]:
    """``read()`` once the server's worker has recorded the uses and refreshed: retried
    until ``wanted`` holds, for at most half a minute (a wait, not a test of speed)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        found = read()
        if wanted(found) or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


@pytest.fixture(scope="module")
def scene(make_user_module: Callable[..., User]) -> dict[str, Any]:
    """Three people post one new tag and one link; two of them like a fourth's post."""
    word = "tr" + secrets.token_hex(4)
    crowd = [make_user_module("tr") for _ in range(3)]
    poster = make_user_module("po")
    link = f"https://news.example/{word}"
    for number, person in enumerate(crowd):
        person.api.status_post(
            f"کراچی میں بارش #{word} {link}?utm_source=n{number}#top", language="ur"
        )
    liked = poster.api.status_post(f"worth reading {word}", language="en")
    for person in crowd[:2]:
        person.api.status_favourite(liked["id"])
    crowd[2].api.status_reblog(liked["id"])
    return {"word": word, "link": link, "liked": liked, "crowd": crowd, "poster": poster}


def raw(server: Server, path: str, **params: str) -> list[dict[str, Any]]:
    """The JSON as sent (Mastodon.py turns history days into datetimes)."""
    response = httpx.get(f"{server.url}/api/v1/{path}", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert isinstance(body, list)
    return body


def test_trending_tags(server: Server, scene: dict[str, Any], anonymous: Mastodon) -> None:
    word = scene["word"]
    tags = eventually(anonymous.trending_tags, lambda found: any(t["name"] == word for t in found))
    [tag] = [t for t in tags if t["name"] == word]
    assert len(tag["history"]) == 7
    assert int(tag["history"][0]["accounts"]) == 3 and int(tag["history"][0]["uses"]) == 3
    assert tag["url"].endswith(f"/tags/{word}")
    for sent in raw(server, "trends/tags"):
        conforms("Tag", sent)
        assert all(isinstance(day["day"], str) for day in sent["history"])
    signed_in = scene["poster"].api.trending_tags()
    assert next(t for t in signed_in if t["name"] == word)["following"] is False
    assert anonymous.trending_tags(limit=1)[0]["name"] == tags[0]["name"]


def test_trending_statuses(server: Server, scene: dict[str, Any], anonymous: Mastodon) -> None:
    liked = scene["liked"]
    found = eventually(
        anonymous.trending_statuses, lambda posts: any(p["id"] == liked["id"] for p in posts)
    )
    assert [p["id"] for p in found] == [liked["id"]]
    for post in raw(server, "trends/statuses"):
        conforms("Status", post)
    assert found[0]["favourites_count"] == 2
    # a viewer who blocks the author does not see it
    viewer = scene["crowd"][0]
    viewer.api.account_block(scene["poster"].id)
    assert [p["id"] for p in viewer.api.trending_statuses()] == []
    viewer.api.account_unblock(scene["poster"].id)


def test_trending_links(server: Server, scene: dict[str, Any], anonymous: Mastodon) -> None:
    link = scene["link"]
    found = eventually(anonymous.trending_links, lambda links: any(c["url"] == link for c in links))
    [card] = [c for c in found if c["url"] == link]
    assert card["provider_name"] == "news.example"
    assert int(card["history"][0]["accounts"]) == 3
    for sent in raw(server, "trends/links"):
        # Mastodon sends "" for a card without author or embed, which the spec's "uri"
        # format refuses: those two are checked to be "", the rest against the spec.
        assert (sent["author_url"], sent["embed_url"]) == ("", "")
        conforms("TrendsLink", {**sent, "author_url": sent["url"], "embed_url": sent["url"]})


def test_lang_narrows_each_list(server: Server, scene: dict[str, Any]) -> None:
    eventually(
        lambda: httpx.get(f"{server.url}/api/v1/trends/tags", params={"lang": "ur"}).json(),
        lambda tags: any(t["name"] == scene["word"] for t in tags),
    )

    def names(path: str, lang: str) -> list[str]:
        response = httpx.get(f"{server.url}/api/v1/{path}", params={"lang": lang})
        assert response.status_code == 200
        key = {"trends/statuses": "id", "trends/links": "url"}.get(path, "name")
        return [str(item[key]) for item in response.json()]

    assert scene["word"] in names("trends/tags", "ur")
    assert scene["word"] in names("trends", "UR")
    assert names("trends/tags", "en") == []
    assert names("trends/statuses", "en") == [str(scene["liked"]["id"])]
    assert names("trends/statuses", "ur") == []
    assert names("trends/links", "ur") == [scene["link"]]


def _choose(server: Server, user: User, languages: list[str]) -> None:
    """The reader's "languages to show" (a web setting, not in Mastodon's API)."""

    async def go() -> None:
        db = Database(server.env["TOWNSQUARE_DATABASE_URL"])
        try:
            async with db.write() as conn:
                await choose_languages(conn, int(user.id), languages, languages)
        finally:
            await db.dispose()

    asyncio.run(go())


def test_chosen_languages_keep_each_list_to_them(
    server: Server, scene: dict[str, Any], make_user: Callable[..., User], anonymous: Mastodon
) -> None:
    word, link, liked = scene["word"], scene["link"], scene["liked"]["id"]
    eventually(anonymous.trending_tags, lambda tags: any(t["name"] == word for t in tags))

    def lists(api: Mastodon, **params: str) -> tuple[list[str], list[Any], list[str]]:
        return (
            [t["name"] for t in api.trending_tags(**params)],
            [p["id"] for p in api.trending_statuses(**params)],
            [c["url"] for c in api.trending_links(**params)],
        )

    urdu, english, both, nothing = [make_user("lang") for _ in range(4)]
    _choose(server, urdu, ["ur"])
    _choose(server, english, ["en"])
    _choose(server, both, ["en", "ur"])
    assert lists(urdu.api) == ([word], [], [link])
    assert lists(english.api) == ([], [liked], [])
    assert lists(both.api) == ([word], [liked], [link])
    assert lists(nothing.api) == lists(anonymous) == ([word], [liked], [link])
    # an explicit lang= wins over the choice
    assert lists(urdu.api, lang="en") == ([], [liked], [])
    assert lists(english.api, lang="ur") == ([word], [], [link])
    # merged lists keep each item's counts
    [tag] = [t for t in both.api.trending_tags() if t["name"] == word]
    assert int(tag["history"][0]["accounts"]) == 3 and int(tag["history"][0]["uses"]) == 3
    assert len(tag["history"]) == 7
    _choose(server, english, [])
    assert lists(english.api) == ([word], [liked], [link])


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("trends/tags", {"limit": "abc"}, 422),
        ("trends/statuses", {"limit": "1.5"}, 422),
        ("trends/links", {"offset": "x"}, 422),
        ("trends", {"lang": "zz-invalid"}, 422),
        ("trends/statuses", {"lang": "e"}, 422),
        ("trends/tags", {"offset": "-5"}, 200),
        ("trends/tags", {"limit": "-1"}, 200),
        ("trends/links", {"limit": "100000", "offset": "99999999999"}, 200),
        ("trends/tags", {"offset": "99999999999999999999999"}, 422),
    ],
)
def test_bad_input_gets_a_clear_answer(
    server: Server, path: str, params: dict[str, str], status: int
) -> None:
    response = httpx.get(f"{server.url}/api/v1/{path}", params=params)
    assert response.status_code == status, response.text
    body = response.json()
    if status == 200:
        assert isinstance(body, list)
    else:
        assert isinstance(body["error"], str) and body["error"]


def test_limits_are_capped(server: Server, scene: dict[str, Any]) -> None:
    del scene
    for path, most in (("trends/tags", 20), ("trends/statuses", 40), ("trends/links", 20)):
        response = httpx.get(f"{server.url}/api/v1/{path}", params={"limit": "500"})
        assert response.status_code == 200
        assert len(response.json()) <= most


def test_refresh_from_the_command_line(server: Server, scene: dict[str, Any]) -> None:
    eventually(
        lambda: httpx.get(f"{server.url}/api/v1/trends/tags").json(),
        lambda tags: any(t["name"] == scene["word"] for t in tags),
    )
    done = server.cli("trends", "refresh")
    assert done.returncode == 0, done.stderr
    summary = re.fullmatch(
        r"(\d+) trends from (\d+) items in use; pruned 0 old uses", done.stdout.strip()
    )
    assert summary is not None, done.stdout
    # a tag, a post and a link, each over all languages and in its own
    assert int(summary[1]) == 6 and int(summary[2]) == 3
    names = [t["name"] for t in httpx.get(f"{server.url}/api/v1/trends/tags").json()]
    assert scene["word"] in names


def test_a_bad_refresh_setting_stops_with_one_line(server: Server) -> None:
    broken = subprocess.run(
        [sys.executable, "-m", "townsquare.cli", "trends", "refresh"],
        env={**server.env, "TOWNSQUARE_TRENDS_REFRESH_SECONDS": "-1"},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert broken.returncode != 0
    [line] = broken.stderr.strip().splitlines()
    assert line.startswith("error: TOWNSQUARE_TRENDS_REFRESH_SECONDS:")
