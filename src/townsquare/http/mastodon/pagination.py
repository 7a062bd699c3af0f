"""Page parameters in, ``Link`` headers out, as Mastodon clients expect."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from urllib.parse import quote, urlencode

from starlette.datastructures import QueryParams
from starlette.requests import Request

from townsquare.domain.common.paging import Page
from townsquare.domain.common.site import Site
from townsquare.http.params import Params


def page_of(params: Params, *, default_limit: int = 20, max_limit: int = 40) -> Page:
    return Page.of(
        max_id=params.get_id("max_id", lenient=True),
        since_id=params.get_id("since_id", lenient=True),
        min_id=params.get_id("min_id", lenient=True),
        limit=params.get_int("limit", minimum=1),
        default_limit=default_limit,
        max_limit=max_limit,
    )


def link_header(site: Site, request: Request, keys: Sequence[int]) -> dict[str, str]:
    """``next`` goes to older items (max_id), ``prev`` to newer ones (min_id).

    ``keys`` are the pagination keys of the returned items, newest first.
    """
    if not keys:
        return {}
    scope = request.scope
    base, rest = _link_parts(site.base_url, scope["path"], scope.get("query_string") or b"")
    older = f"{rest}max_id={keys[-1]}"
    newer = f"{rest}min_id={keys[0]}"
    return {"Link": f'<{base}?{older}>; rel="next", <{base}?{newer}>; rel="prev"'}


# A client pages through the same few paths and queries: each is parsed and encoded once.
@lru_cache(maxsize=1024)
def _link_parts(base_url: str, path: str, query_string: bytes) -> tuple[str, str]:
    """The links' address and their query without the page's own bounds (ending in
    ``&`` when there is any)."""
    kept = [
        (k, v)
        for k, v in QueryParams(query_string).multi_items()
        if k not in ("max_id", "min_id", "since_id")
    ]
    # Header values are Latin-1: a hashtag path in Urdu must travel percent-encoded.
    base = f"{base_url}{quote(path, safe='/@:')}"
    return base, f"{urlencode(kept)}&" if kept else ""
