"""What the page modules share: their router shape and paging of post lists."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse

from townsquare.core.ids import parse_id
from townsquare.domain.common.paging import Page
from townsquare.http.web.errors import WebRoute
from townsquare.http.web.session import safe_next

PAGE_SIZE = 20


def web_router() -> APIRouter:
    return APIRouter(route_class=WebRoute, include_in_schema=False)


def page_from(request: Request) -> Page:
    """Older pages by ``max_id``, as the "older posts" link and infinite scroll ask."""
    max_id = parse_id(request.query_params.get("max_id", ""))
    return Page(max_id=max_id, limit=PAGE_SIZE)


def older_link(request: Request, keys: Sequence[int]) -> str | None:
    """The next page's address, when this one was full."""
    if len(keys) < PAGE_SIZE:
        return None
    params = {k: v for k, v in request.query_params.items() if k != "max_id"}
    params["max_id"] = str(min(keys))
    return f"{request.url.path}?{urlencode(params)}"


def back_to(next_value: str | None, default: str = "/home") -> RedirectResponse:
    return RedirectResponse(safe_next(next_value, default), status_code=303)
