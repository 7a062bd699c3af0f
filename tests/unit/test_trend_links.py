"""Links are counted under one spelling per page."""

from __future__ import annotations

import pytest

from townsquare.domain.trends.links import normalise_url, post_links


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://Example.ORG/Path?b=1", "https://example.org/Path?b=1"),
        ("https://example.org/a#section", "https://example.org/a"),
        ("https://example.org/a?utm_source=x&id=7&UTM_Medium=y", "https://example.org/a?id=7"),
        ("https://example.org:443/a", "https://example.org/a"),
        ("http://example.org:80", "http://example.org/"),
        ("http://example.org:8080/a", "http://example.org:8080/a"),
        ("https://example.org./a", "https://example.org/a"),
        ("https://اردو.example/صفحہ", "https://اردو.example/صفحہ"),
    ],
)
def test_urls_are_normalised_for_counting(url: str, expected: str) -> None:
    assert normalise_url(url) == expected


@pytest.mark.parametrize(
    "url",
    ["ftp://example.org/a", "https://", "https://example.org:99999/", "x" * 3000, "mailto:a@b"],
)
def test_what_is_not_a_web_page_is_not_a_link(url: str) -> None:
    assert normalise_url(url) is None


def test_a_post_names_each_page_once() -> None:
    text = (
        "read https://Example.org/news?utm_campaign=a and https://example.org/news#top, "
        "then http://other.example/x."
    )
    assert post_links(text) == ["https://example.org/news", "http://other.example/x"]
    assert post_links("no links here #tag @someone") == []
