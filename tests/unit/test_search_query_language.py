"""The language of a search query: detected from its words alone, among the site's
languages, only when sure, and never when the query names one with ``lang:``."""

from __future__ import annotations

import pytest

from townsquare.domain.languages.detection import DEFAULT_LANGUAGES
from townsquare.domain.search.parse import parse_query
from townsquare.domain.search.posts import query_language


@pytest.mark.parametrize(
    ("q", "language"),
    [
        ("نئی کتاب", "ur"),
        ("موسم اچھا", "ur"),
        ("lovely weather", "en"),
        ("the weather", "en"),
        ("کتاب خوب", "fa"),
        ("هوای خوب", "fa"),
        # operators are not words: what is left decides
        ("from:bilal نئی کتاب has:media", "ur"),
        ('"lovely weather" before:2026-12-01', "en"),
    ],
)
def test_two_words_in_one_language_are_detected(q: str, language: str) -> None:
    assert query_language(parse_query(q), DEFAULT_LANGUAGES) == language


@pytest.mark.parametrize(
    "q",
    [
        "کتاب",  # Urdu and Persian alike
        "weather",
        "کتاب #پاکستان",  # a tag is not a word
        "from:bilal lang:ur has:media",
        "#پاکستان",
        "!!! ... ؟؟ ،،",
        "\u064e\u064f\u0650\u0651\u0652",
        "",
    ],
)
def test_one_word_or_operators_only_are_not_detected(q: str) -> None:
    assert query_language(parse_query(q), DEFAULT_LANGUAGES) is None


def test_a_named_language_is_not_second_guessed() -> None:
    assert query_language(parse_query("نئی کتاب lang:fa"), DEFAULT_LANGUAGES) is None
    assert query_language(parse_query("lovely weather lang:en"), DEFAULT_LANGUAGES) is None


def test_without_configured_languages_nothing_is_detected() -> None:
    assert query_language(parse_query("نئی کتاب"), ()) is None
    assert query_language(parse_query("lovely weather"), ("en",)) is None
