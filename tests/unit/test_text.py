"""Post text: tokens, safe HTML, and lengths counted as a person counts them."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from townsquare.core.text import (
    URL_LENGTH,
    grapheme_count,
    hashtags,
    mentioned_usernames,
    render_html,
    render_plain_html,
    status_length,
    strip_bidi_controls,
    tokenize,
)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(token.kind, token.text) for token in tokenize(text)]


def known_bob(username: str, domain: str) -> str | None:
    if username.lower() == "bob":
        return f"https://town.example/@bob{'@' + domain if domain else ''}"
    return None


def tag_page(name: str) -> str:
    return f"https://town.example/tags/{name}"


# --- tokenising --------------------------------------------------------------------


def test_mentions_local_and_remote() -> None:
    tokens = list(tokenize("hi @bob and @Alice@Example.org:8443!"))
    mentions = [(t.value, t.domain) for t in tokens if t.kind == "mention"]
    assert mentions == [("bob", ""), ("Alice", "Example.org:8443")]
    assert tokens[-1].text == "!"


@pytest.mark.parametrize("text", ["mail me: a@b.com", "hi@bob", "x/@bob", "@" + "a" * 31])
def test_things_that_are_not_mentions(text: str) -> None:
    assert all(kind != "mention" for kind, _ in kinds(text))


def test_urls_lose_trailing_punctuation_but_keep_balanced_parentheses() -> None:
    assert kinds("see https://example.org/a?b=1&c=2.") == [
        ("text", "see "),
        ("url", "https://example.org/a?b=1&c=2"),
        ("text", "."),
    ]
    assert kinds("(https://en.wikipedia.org/wiki/Lahore_(city))") == [
        ("text", "("),
        ("url", "https://en.wikipedia.org/wiki/Lahore_(city)"),
        ("text", ")"),
    ]
    assert kinds("«http://example.org/»") == [
        ("text", "«"),
        ("url", "http://example.org/"),
        ("text", "»"),
    ]


def test_a_mention_or_tag_inside_a_url_stays_in_the_url() -> None:
    assert kinds("https://example.org/@bob/#tag") == [("url", "https://example.org/@bob/#tag")]


@pytest.mark.parametrize("text", ["javascript:alert(1)", "http://", "https:// x", "http://. x"])
def test_only_real_http_links_are_links(text: str) -> None:
    assert all(kind != "url" for kind, _ in kinds(text))


def test_urdu_hashtags() -> None:
    assert hashtags("#پاکستان زندہ باد") == ["پاکستان"]
    # the Urdu full stop and the Arabic comma are punctuation, not part of a tag
    assert hashtags("جیت گئے #کرکٹ۔ اور،#ادب") == ["کرکٹ", "ادب"]
    # the zero-width non-joiner is part of Persian and Urdu spelling
    assert hashtags("#می\u200cخواهم") == ["می\u200cخواهم"]
    assert hashtags("#اردو_ادب") == ["اردو_ادب"]
    assert hashtags("#2024انتخابات") == ["2024انتخابات"]


@pytest.mark.parametrize("text", ["#1", "#۱۲", "سلام#ٹیگ", "a#b", "&#39;", "##"])
def test_things_that_are_not_hashtags(text: str) -> None:
    assert hashtags(text) == []


def test_hashtags_and_mentions_in_order_without_repeats() -> None:
    text = "#b #a #b @x @y@Remote.example @x @y@remote.example"
    assert hashtags(text) == ["b", "a"]
    assert mentioned_usernames(text) == [("x", ""), ("y", "remote.example")]


_PIECES = st.sampled_from([*"ab @#:/.()_-\n۔پک١é", "http://", "https://", "@bob@x.org"])


@given(st.lists(_PIECES).map("".join))
def test_tokens_cover_the_text_exactly(text: str) -> None:
    assert "".join(token.text for token in tokenize(text)) == text


# --- rendering ----------------------------------------------------------------------


def test_rendering_escapes_everything_it_did_not_make() -> None:
    html = render_plain_html("<script>alert(\"x\")</script> & 'quotes'")
    assert html == (
        "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quotes&#x27;</p>"
    )


def test_rendering_links_mentions_and_tags() -> None:
    html = render_html(
        "@bob @carol #پاکستان https://example.org/x?a=1&b=2",
        mention_url=known_bob,
        tag_url=tag_page,
    )
    assert '<a href="https://town.example/@bob" class="u-url mention">@<span>bob</span></a>' in html
    # an unknown account stays plain text
    assert " @carol " in html
    assert 'href="https://town.example/tags/پاکستان" class="mention hashtag" rel="tag"' in html
    assert '<a href="https://example.org/x?a=1&amp;b=2" target="_blank"' in html
    assert 'rel="nofollow noopener noreferrer">example.org/x?a=1&amp;b=2</a>' in html


def test_a_quote_in_a_url_cannot_break_out_of_the_attribute() -> None:
    html = render_html('http://a.example/"onmouseover="x', mention_url=known_bob, tag_url=tag_page)
    assert 'href="http://a.example/"' in html
    assert "&quot;onmouseover=&quot;x" in html


def test_long_urls_are_shortened_for_display_only() -> None:
    url = "https://www.example.org/" + "a" * 60
    html = render_plain_html(url)
    assert f'href="{url}"' in html
    assert ">example.org/" + "a" * 18 + "…</a>" in html


def test_paragraphs_and_line_breaks_whatever_the_line_ends() -> None:
    expected = "<p>one<br />two</p><p>three</p>"
    assert render_plain_html("one\ntwo\n\nthree") == expected
    assert render_plain_html("one\r\ntwo\r\n\r\nthree") == expected
    assert render_plain_html("one\rtwo\r\rthree") == expected
    assert render_plain_html("\n\n  one\ntwo\n\n\n\nthree  \n") == expected


@given(st.text())
def test_rendered_html_has_only_the_tags_rendering_makes(text: str) -> None:
    html = render_html(text, mention_url=known_bob, tag_url=tag_page)
    tags = set(re.findall(r"</?([a-zA-Z]+)", html))
    assert tags <= {"p", "br", "a", "span"}
    without_tags = re.sub(r"<[^<>]*>", "", html)
    assert "<" not in without_tags and ">" not in without_tags


# --- lengths ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("hello", 5),
        ("سلام دنیا", 9),
        ("سلامِ", 4),  # a letter with its kasra is one character
        ("e\u0301", 1),
        ("👨‍👩‍👧‍👦", 1),
        ("🇵🇰", 1),
        ("", 0),
    ],
)
def test_graphemes(text: str, length: int) -> None:
    assert grapheme_count(text) == length
    assert status_length(text) == length


def test_every_url_counts_as_23() -> None:
    assert status_length("http://a.io") == URL_LENGTH
    assert status_length("https://example.org/" + "x" * 300) == URL_LENGTH
    assert status_length("see https://a.io/1 and https://b.io/2.") == 4 + 23 + 5 + 23 + 1


def test_a_remote_mention_counts_its_local_part() -> None:
    assert status_length("@alice@social.example.org hi") == len("@alice hi")
    assert status_length("@alice hi") == len("@alice hi")


def test_bidi_controls_are_removed() -> None:
    assert strip_bidi_controls("a\u202eb\u2066c\u2069d\u200fe\u061cf") == "abcdef"
    assert strip_bidi_controls("سلام world") == "سلام world"
