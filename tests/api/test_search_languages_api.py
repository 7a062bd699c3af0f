"""Multilingual search through Mastodon.py against a running server: every spelling of
an Urdu word finds the same posts, only visible posts are found, and odd queries are
answered, never failed."""

from __future__ import annotations

import secrets
from collections.abc import Callable

import httpx
import pytest

from tests.api.test_search_api import ids, indexed
from tests.conftest import User
from tests.domain.test_search import NASTY_QUERIES
from tests.servers import Server
from townsquare.domain.languages.detection import DEFAULT_LANGUAGES
from townsquare.domain.search.parse import parse_query
from townsquare.domain.search.posts import query_language


def test_every_spelling_of_an_urdu_word_finds_the_same_posts(
    make_user: Callable[..., User],
) -> None:
    # A made-up Urdu-looking word keeps other tests' posts out of the answer.
    stem = "کتاب" + "".join(secrets.choice("ابپتٹجچ") for _ in range(5))
    author, reader = make_user("uv"), make_user("ur")
    plain = author.api.status_post(f"آج میں نے {stem} پڑھی")
    arabic_keyboard = author.api.status_post(f"{stem.replace('ک', 'ك')} بہت اچھی تھی")
    vowelled = author.api.status_post(f"یہ {stem[0]}\u064f{stem[1:]} ہے")  # with a pesh
    private = author.api.status_post(f"{stem} کسی اور کے لیے", visibility="private")

    expected = [vowelled["id"], arabic_keyboard["id"], plain["id"]]
    assert indexed(reader, stem, 3) == expected
    for spelling in (stem.replace("ک", "ك"), stem.replace("ک", "کـ"), f"{stem}،"):
        assert ids(reader.api.search_v2(spelling, result_type="statuses")["statuses"]) == expected
    # the author sees their private post too; the reader never does
    assert indexed(author, stem, 4) == [private["id"], *expected]


def test_hashtag_spellings_meet(make_user: Callable[..., User]) -> None:
    suffix = secrets.token_hex(3)
    author, reader = make_user("hv"), make_user("hr")
    urdu = author.api.status_post(f"زندہ باد #پاکستان{suffix}")
    arabic = author.api.status_post(f"زنده باد #پاكستان{suffix}")
    assert indexed(reader, f"#پاکستان{suffix}", 2) == [arabic["id"], urdu["id"]]
    assert indexed(reader, f"#پاكستان{suffix}", 2) == [arabic["id"], urdu["id"]]
    # the first-seen spelling is the one shown
    tags = reader.api.search_v2(f"#پاكستان{suffix}", result_type="hashtags")["hashtags"]
    assert [tag["name"] for tag in tags] == [f"پاکستان{suffix}"]


def test_lang_narrows_posts_to_one_language(server: Server, make_user: Callable[..., User]) -> None:
    word = "w" + secrets.token_hex(4)
    author, reader = make_user("la"), make_user("lr")
    urdu = author.api.status_post(f"{word} آج موسم بہت اچھا ہے اور ہم پارک جا رہے ہیں")
    english = author.api.status_post(f"{word} the weather is lovely and we are off to the park")
    assert (urdu["language"], english["language"]) == ("ur", "en")
    assert indexed(reader, word, 2) == [english["id"], urdu["id"]]
    headers = {"Authorization": f"Bearer {reader.api.access_token}"}
    for lang, expected in (("ur", [urdu["id"]]), ("EN", [english["id"]]), ("fa", [])):
        response = httpx.get(
            f"{server.url}/api/v2/search", params={"q": word, "lang": lang}, headers=headers
        )
        assert ids(response.json()["statuses"]) == expected, lang
    # the operator says the same
    assert indexed(reader, f"{word} lang:ur", 1) == [urdu["id"]]


def _urdu_query() -> tuple[str, str]:
    """A made-up Urdu-looking word (keeping other tests' posts out of the answer) and a
    query around it that reads as Urdu to the site's detector."""
    for _ in range(50):
        stem = "کتاب" + "".join(secrets.choice("ابپتٹجچ") for _ in range(5))
        q = f"نئی کتاب {stem}"
        if query_language(parse_query(q), DEFAULT_LANGUAGES) == "ur":
            return stem, q
    raise AssertionError("no query the detector reads as Urdu")


def test_posts_in_the_query_language_come_first(make_user: Callable[..., User]) -> None:
    stem, q = _urdu_query()
    author, reader = make_user("qa"), make_user("qr")
    urdu = author.api.status_post(f"میں نے نئی کتاب {stem} خریدی", language="ur")
    persian = author.api.status_post(f"این نئی کتاب {stem} است", language="fa")
    arabic = author.api.status_post(f"نئی كتاب {stem} جميل", language="ar")
    urdu_apart = author.api.status_post(f"{stem} کتاب بہت نئی ہے", language="ur")
    # the older Urdu post before the newer Arabic-script ones, the phrase still first
    expected = [urdu["id"], arabic["id"], persian["id"], urdu_apart["id"]]
    assert indexed(reader, q, 4) == expected
    pages = [
        ids(reader.api.search_v2(q, result_type="statuses", limit=1, offset=n)["statuses"])
        for n in range(5)
    ]
    assert pages == [[expected[0]], [expected[1]], [expected[2]], [expected[3]], []]
    # one word says nothing of its language: newest first
    assert indexed(reader, stem, 4) == [urdu_apart["id"], arabic["id"], persian["id"], urdu["id"]]
    # a language asked for filters, and is not second-guessed
    assert indexed(reader, f"{q} lang:fa", 1) == [persian["id"]]


@pytest.mark.parametrize("q", NASTY_QUERIES, ids=range(len(NASTY_QUERIES)))
def test_odd_queries_get_an_answer_not_an_error(
    server: Server, make_user_module: Callable[..., User], q: str
) -> None:
    user = make_user_module("nq")
    headers = {"Authorization": f"Bearer {user.api.access_token}"}
    deepest = str(2**63 - 1)  # the largest offset let through
    for params in (
        {"q": q},
        {"q": q, "type": "statuses", "offset": "2"},
        {"q": q, "type": "statuses", "offset": deepest},
    ):
        response = httpx.get(f"{server.url}/api/v2/search", params=params, headers=headers)
        assert response.status_code == 200, response.text
        assert set(response.json()) == {"accounts", "statuses", "hashtags"}
    anonymous = httpx.get(f"{server.url}/api/v2/search", params={"q": q})
    assert anonymous.status_code == 200


def test_bad_parameters_are_mastodon_errors(server: Server, make_user: Callable[..., User]) -> None:
    user = make_user("bp")
    headers = {"Authorization": f"Bearer {user.api.access_token}"}
    for params in ({"q": "x", "limit": "lots"}, {"q": "x", "offset": "some"}, {"q": "x\x00"},
                   {"q": "x", "lang": "urdu"}, {"q": "x", "lang": "u'r"}):  # fmt: skip
        response = httpx.get(f"{server.url}/api/v2/search", params=params, headers=headers)
        assert 400 <= response.status_code < 500, params
        assert "error" in response.json()
