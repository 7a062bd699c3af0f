"""Plain text in, safe HTML out; lengths counted as a person counts them.

A post's text is tokenised once into links, mentions and hashtags; everything else
is escaped. Lengths are in grapheme clusters (a family emoji or an Urdu letter with
its harakat is one), with every URL counting as 23 and a remote mention as its local
part, as Mastodon counts.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

import regex

URL_LENGTH = 23

_URL = r"https?://[^\s<>\"'\u200B-\u200F\u202A-\u202E]+"
_MENTION = (
    r"(?<![\w/@.])@(?P<user>[A-Za-z0-9_]{1,30})(?![A-Za-z0-9_])"
    r"(?:@(?P<domain>[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d+)?))?"
)
# A hashtag is word characters (letters, marks, digits, joiners, underscore) with at
# least one that is not a digit, so "#1" is not a tag but "#پاکستان" and "#COP28" are.
_HASHTAG = r"(?<![\w/&#])#(?P<name>\w*[\p{L}\p{M}_]\w*)"
_TOKENS = regex.compile(f"(?P<url>{_URL})|(?P<mention>{_MENTION})|(?P<tag>{_HASHTAG})")
_TRAILING_PUNCTUATION = ".,;:!?'\"»”’)]}"
_GRAPHEME = regex.compile(r"\X")
# Bidi overrides and isolates could make a name or a post run over the text beside it.
_BIDI_CONTROLS = regex.compile(r"[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]")


@dataclass(frozen=True, slots=True)
class Token:
    kind: Literal["text", "url", "mention", "tag"]
    text: str
    # mention: username and domain ("" when local); tag: the name without '#'
    value: str = ""
    domain: str = ""


def _trim_url(url: str) -> str:
    while url and url[-1] in _TRAILING_PUNCTUATION:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def tokenize(text: str) -> Iterator[Token]:
    position = 0
    for match in _TOKENS.finditer(text):
        start = match.start()
        if match.group("url"):
            url = _trim_url(match.group("url"))
            if url.endswith("://"):
                continue  # punctuation after the scheme, no host: plain text
            if start > position:
                yield Token("text", text[position:start])
            yield Token("url", url, url)
            position = start + len(url)
            continue
        if start < position:
            continue
        if start > position:
            yield Token("text", text[position:start])
        if match.group("mention"):
            yield Token("mention", match.group("mention"), match["user"], match["domain"] or "")
        else:
            yield Token("tag", match.group("tag"), match["name"])
        position = match.end()
    if position < len(text):
        yield Token("text", text[position:])


def grapheme_count(text: str) -> int:
    return len(_GRAPHEME.findall(text))


def status_length(text: str) -> int:
    """Length as the 500-character limit counts it."""
    total = 0
    for token in tokenize(text):
        if token.kind == "url":
            total += URL_LENGTH
        elif token.kind == "mention":
            total += grapheme_count("@" + token.value)
        else:
            total += grapheme_count(token.text)
    return total


def mentioned_usernames(text: str) -> list[tuple[str, str]]:
    """(username, domain) pairs in order of first appearance; domain "" for local."""
    seen: dict[tuple[str, str], None] = {}
    for token in tokenize(text):
        if token.kind == "mention":
            seen.setdefault((token.value, token.domain.lower()), None)
    return list(seen)


def hashtags(text: str) -> list[str]:
    """Hashtag names (without '#') in order of first appearance, as written."""
    seen: dict[str, None] = {}
    for token in tokenize(text):
        if token.kind == "tag":
            seen.setdefault(token.value, None)
    return list(seen)


def strip_bidi_controls(text: str) -> str:
    return _BIDI_CONTROLS.sub("", text)


def _display_url(url: str) -> str:
    shown = regex.sub(r"^https?://(www\.)?", "", url)
    return shown if len(shown) <= 30 else shown[:30] + "…"


def render_html(
    text: str,
    *,
    mention_url: Callable[[str, str], str | None],
    tag_url: Callable[[str], str],
) -> str:
    """Render plain text as Mastodon-style HTML: paragraphs, line breaks and links.

    ``mention_url(username, domain)`` answers the profile URL of a known account or
    None, in which case the mention stays plain text.
    """
    paragraphs: list[str] = []
    # Clients on some platforms send CRLF or lone CR line ends.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for block in regex.split(r"\n{2,}", text.strip()):
        lines = []
        for line in block.split("\n"):
            lines.append("".join(_render_token(t, mention_url, tag_url) for t in tokenize(line)))
        paragraphs.append("<p>" + "<br />".join(lines) + "</p>")
    return "".join(paragraphs)


def _render_token(
    token: Token,
    mention_url: Callable[[str, str], str | None],
    tag_url: Callable[[str], str],
) -> str:
    if token.kind == "url":
        href = html.escape(token.value, quote=True)
        shown = html.escape(_display_url(token.value))
        return f'<a href="{href}" target="_blank" rel="nofollow noopener noreferrer">{shown}</a>'
    if token.kind == "mention":
        url = mention_url(token.value, token.domain)
        if url is None:
            return html.escape(token.text)
        return (
            f'<span class="h-card"><a href="{html.escape(url, quote=True)}" '
            f'class="u-url mention">@<span>{html.escape(token.value)}</span></a></span>'
        )
    if token.kind == "tag":
        return (
            f'<a href="{html.escape(tag_url(token.value), quote=True)}" '
            f'class="mention hashtag" rel="tag">#<span>{html.escape(token.value)}</span></a>'
        )
    return html.escape(token.text)


def render_plain_html(text: str) -> str:
    """Escaped text with paragraphs and line breaks, for bios and names."""
    return render_html(text, mention_url=lambda _u, _d: None, tag_url=lambda _t: "")
