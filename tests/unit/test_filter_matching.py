"""Filter keywords match what a person would call the same word, whole words respect
word boundaries in every script, and expired filters do nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from townsquare.domain.filters.matching import (
    html_text,
    keyword_pattern,
    match_post,
    matchable_text,
)
from townsquare.domain.filters.models import Filter, FilterKeyword, FilterStatus

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def _filter(*keywords: tuple[str, bool], **fields: object) -> Filter:
    base = Filter(
        1,
        7,
        "Test",
        ("home", "public"),
        "warn",
        None,
        tuple(FilterKeyword(10 + i, 1, k, w) for i, (k, w) in enumerate(keywords)),
    )
    return base._replace(**fields)


def _matches(keyword: str, whole_word: bool, text: str) -> bool:
    pattern = keyword_pattern(keyword, whole_word)
    assert pattern is not None
    return pattern.search(matchable_text(text, "")) is not None


@pytest.mark.parametrize(
    ("keyword", "text"),
    [
        ("کتاب", "یہ كتاب اچھی ہے"),  # Arabic kaf in the post, keheh in the keyword
        ("كتاب", "یہ کتاب اچھی ہے"),  # and the other way round
        ("مدرسہ", "مدرسه بند ہے"),  # Arabic heh against heh goal
        ("علی", "علي آیا"),  # Arabic yeh
        ("اردو", "اُردو زبان"),  # harakat in the post
        ("اُردو", "اردو زبان"),  # harakat in the keyword
        ("Straße", "STRASSE closed"),  # case folding
        ("café", "CAFE au lait"),  # Latin marks
        ("ｆｉｌｔｅｒ", "filter me"),  # full-width forms (NFKC)
    ],
)
def test_spelling_variants_match(keyword: str, text: str) -> None:
    assert _matches(keyword, False, text)
    assert _matches(keyword, True, text)


@pytest.mark.parametrize(
    ("keyword", "text", "whole", "partial"),
    [
        ("cat", "a cat sat", True, True),
        ("cat", "concatenate", False, True),
        ("cat", "cat's toy", True, True),
        ("cat", "cats", False, True),
        ("کتاب", "کتابیں پڑھو", False, True),  # Urdu plural: a longer word
        ("کتاب", "یہ کتاب، وہ", True, True),  # Urdu comma is a boundary
        ("کتاب", "(کتاب)", True, True),
        ("قلم", "قلمدان", False, True),
        ("#tag", "about #tag here", True, True),  # starts with a non-word character
        ("new york", "NEW  YORK", False, False),  # spaces are kept as typed
        ("new york", "in new york city", True, True),
    ],
)
def test_whole_words_respect_boundaries(
    keyword: str, text: str, whole: bool, partial: bool
) -> None:
    assert _matches(keyword, True, text) is whole
    assert _matches(keyword, False, text) is partial


def test_blank_keyword_matches_nothing() -> None:
    assert keyword_pattern("  ", False) is None
    assert keyword_pattern("\u064e", True) is None  # only a haraka


def test_spoiler_text_and_media_descriptions_are_read() -> None:
    text = matchable_text("nothing here", "Spoiler: DURIAN", ["a photo of a jackfruit"])
    found = match_post([_filter(("durian", True), ("jackfruit", False))], "home", [text], [1], NOW)
    assert found[0].keyword_matches == ("durian", "jackfruit")
    assert html_text("<p>one<br>two</p>").split() == ["one", "two"]


def test_expired_filters_and_other_contexts_do_nothing() -> None:
    text = matchable_text("durian season", "")
    expired = _filter(("durian", False), expires_at=NOW - timedelta(seconds=1))
    live = _filter(("durian", False), expires_at=NOW + timedelta(hours=1))
    assert match_post([expired], "home", [text], [1], NOW) == ()
    assert match_post([live], "home", [text], [1], NOW)[0].filter == live
    assert match_post([live], "thread", [text], [1], NOW) == ()


def test_status_entries_match_the_post_or_what_it_reposts() -> None:
    entry = _filter()._replace(statuses=(FilterStatus(3, 1, 99),))
    assert match_post([entry], "home", [""], [5, 99], NOW)[0].status_matches == (99,)
    assert match_post([entry], "home", [""], [5], NOW) == ()
