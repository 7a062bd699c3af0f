"""Links in posts, cut to one spelling per page so that shares of it meet.

Normalised for counting only: scheme and host lower-cased, default ports, fragments
and ``utm_*`` tracking parameters dropped. The rest of the address is kept as written,
because paths and most query strings are case-sensitive.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from townsquare.core.text import tokenize

MAX_URL_LENGTH = 2048
_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_url(url: str) -> str | None:
    """The counting form of ``url``, or None for what is not an http(s) page address."""
    if len(url) > MAX_URL_LENGTH:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_")
    ]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query, doseq=True), ""))


def post_links(text: str) -> list[str]:
    """The distinct links in a post's text, normalised, in the order written."""
    return _distinct(normalise_url(token.value) for token in tokenize(text) if token.kind == "url")


def _distinct(urls: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(url for url in urls if url))
