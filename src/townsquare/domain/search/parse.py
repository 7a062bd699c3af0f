"""What a search query asks for: words, phrases and operators.

``"exact phrase"``, ``from:user`` (or ``from:user@host``), ``#tag``, ``lang:ur``,
``has:media``, ``before:2026-12-01`` and ``after:2026-11-01`` (dates in UTC; before is
exclusive, after inclusive, each of the whole day). Anything else is words. Nothing here can
fail: an unbalanced quote runs to the end, an operator with a bad value is ignored,
and characters that mean something to a search engine are just separators (they never
reach one as syntax: terms are letters, marks and digits only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import regex

from townsquare.core.normalize import match_key, search_terms
from townsquare.core.text import hashtags

MAX_QUERY_LENGTH = 500
MAX_TERMS = 16

_PIECE = regex.compile(r'"(?P<phrase>[^"]*)(?:"|$)|(?P<word>[^\s"]+)')
_OPERATOR = regex.compile(r"^(?P<name>from|lang|has|before|after):(?P<value>.+)$", regex.I)
_USER = regex.compile(r"^@?(?P<user>[A-Za-z0-9_]{1,30})(?:@(?P<domain>[A-Za-z0-9.-]+(?::\d+)?))?$")
_LANGUAGE = regex.compile(r"^[a-z]{2,3}$")
_DATE = regex.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class Author:
    username_key: str
    domain: str | None  # None: as typed, without a domain


@dataclass(slots=True)
class ParsedQuery:
    terms: list[str] = field(default_factory=list)  # every one must match
    phrases: list[list[str]] = field(default_factory=list)  # each must appear in order
    authors: list[Author] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # matching keys
    language: str | None = None
    has_media: bool = False
    before: datetime | None = None
    after: datetime | None = None
    # the words as typed, for hashtag and account look-ups
    text: str = ""

    @property
    def has_filters(self) -> bool:
        return bool(
            self.authors or self.tags or self.language or self.has_media or self.before
            or self.after
        )  # fmt: skip

    @property
    def is_empty(self) -> bool:
        return not self.terms and not self.has_filters


def _day(value: str) -> datetime | None:
    if not _DATE.match(value):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return None


def _operator(parsed: ParsedQuery, name: str, value: str) -> bool:
    """Apply one operator; False (and nothing applied) when its value is not one."""
    if name == "from":
        user = _USER.match(value)
        if user is None:
            return False
        domain = user["domain"].lower() if user["domain"] else None
        parsed.authors.append(Author(user["user"].casefold(), domain))
    elif name == "lang":
        if not _LANGUAGE.match(value.lower()):
            return False
        parsed.language = value.lower()
    elif name == "has":
        if value.lower() not in ("media", "image", "video", "audio"):
            return False
        parsed.has_media = True
    else:
        day = _day(value)
        if day is None:
            return False
        if name == "before":
            parsed.before = day
        else:
            parsed.after = day
    return True


def parse_query(q: str) -> ParsedQuery:
    query = q[:MAX_QUERY_LENGTH]
    parsed = ParsedQuery()
    words: list[str] = []
    for piece in _PIECE.finditer(query):
        if piece["phrase"] is not None:
            phrase = search_terms(piece["phrase"])
            if len(phrase) > 1:
                parsed.phrases.append(phrase[:MAX_TERMS])
            parsed.terms.extend(phrase)
            words.append(piece["phrase"])
            continue
        word = piece["word"]
        operator = _OPERATOR.match(word)
        if operator:
            _operator(parsed, operator["name"].lower(), operator["value"])
            continue
        tag = hashtags(word) if word.startswith("#") else []
        if len(tag) == 1:
            parsed.tags.append(match_key(tag[0]))
            continue
        parsed.terms.extend(search_terms(word))
        words.append(word)
    parsed.terms = list(dict.fromkeys(parsed.terms))[:MAX_TERMS]
    parsed.text = " ".join(words).strip()
    return parsed
