"""Reading a search query: words, phrases and operators, and nothing that can fail."""

from __future__ import annotations

from datetime import UTC, datetime

from townsquare.core.normalize import search_terms
from townsquare.domain.search.parse import MAX_TERMS, Author, parse_query


def test_words_are_folded_terms_and_phrases_keep_their_order() -> None:
    parsed = parse_query('Hello "اُردو  زبان" café')
    assert parsed.terms == ["hello", "اردو", "زبان", "cafe"]
    assert parsed.phrases == [["اردو", "زبان"]]
    assert not parsed.has_filters


def test_operators() -> None:
    parsed = parse_query(
        "chai from:Alice from:@bob@Example.org lang:UR has:media #پاكستان "
        "before:2026-12-01 after:2026-11-01"
    )
    assert parsed.terms == ["chai"]
    assert parsed.authors == [Author("alice", None), Author("bob", "example.org")]
    assert parsed.language == "ur"
    assert parsed.has_media
    assert parsed.tags == ["پاکستان"]
    assert parsed.before == datetime(2026, 12, 1, tzinfo=UTC)
    assert parsed.after == datetime(2026, 11, 1, tzinfo=UTC)


def test_bad_operator_values_are_ignored_not_searched_for() -> None:
    parsed = parse_query("from:a-b lang:urdu1 has:nothing before:2026-02-31 after:soon x")
    assert parsed.terms == ["x"]
    assert not parsed.has_filters


def test_syntax_of_search_engines_is_only_separators() -> None:
    parsed = parse_query('a* NEAR(b c) -d "e OR f" \' ; DROP TABLE x; --')
    assert parsed.terms == ["a", "near", "b", "c", "d", "e", "or", "f", "drop", "table", "x"]
    assert all(term.isalnum() for term in parsed.terms)
    assert parse_query('"unbalanced quote').phrases == [["unbalanced", "quote"]]


def test_empty_and_huge_queries() -> None:
    for q in ("", "   ", "!!!", "\u064e\u064f", "ـــ", '""', "#", "*"):
        assert parse_query(q).is_empty, q
    huge = parse_query("word " * 10_000)
    assert huge.terms == ["word"]
    many = parse_query(" ".join(f"w{i}" for i in range(100)))
    assert len(many.terms) == MAX_TERMS
    assert search_terms("x" * 500) == ["x" * 64]
