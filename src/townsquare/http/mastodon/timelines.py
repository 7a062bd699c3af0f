"""Timelines: home, public, hashtag, and a profile's posts."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import NotFound
from townsquare.domain.accounts.queries import find_account
from townsquare.domain.filters.apply import filter_views, reader_filters
from townsquare.domain.posts.models import StatusView
from townsquare.domain.posts.queries import hydrate
from townsquare.domain.timelines.home import home_page
from townsquare.domain.timelines.queries import account_statuses, public_timeline, tag_timeline
from townsquare.http.auth import Caller, optional, scoped
from townsquare.http.direct import DirectRoute
from townsquare.http.mastodon.entities.status import statuses_json
from townsquare.http.mastodon.pagination import link_header, page_of
from townsquare.http.params import path_id, read_params
from townsquare.http.responses import EncodedJSON
from townsquare.http.state import state_of

router = APIRouter(tags=["timelines"])


def _answer(request: Request, views: list[StatusView], keys: Sequence[int]) -> Response:
    site = state_of(request).site
    return EncodedJSON(statuses_json(site, views), headers=link_header(site, request, keys))


_reading_statuses = scoped("read:statuses")


async def home(request: Request) -> Response:
    # the caller is asked for here rather than through Depends, and the route is
    # direct (``http.direct``): the busiest endpoint skips FastAPI's request handler;
    # the checks are the same
    caller = await _reading_statuses(request)
    params = await read_params(request)
    page = page_of(params)
    async with state_of(request).db.read() as conn:
        posts, flags, authors = await home_page(conn, caller.user.id, page)
        views = await hydrate(conn, caller.user.id, posts, flags=flags, author_keys=authors)
        views = filter_views(views, await reader_filters(conn, caller.user), "home")
    return _answer(request, views, [post.id for post in posts])


router.add_api_route(
    "/api/v1/timelines/home", home, methods=["GET"], route_class_override=DirectRoute
)


@router.get("/api/v1/timelines/public")
async def public(request: Request, caller: Caller = Depends(optional("read:statuses"))) -> Response:
    params = await read_params(request)
    page = page_of(params)
    async with state_of(request).db.read() as conn:
        posts = await public_timeline(
            conn,
            caller.account_id,
            page,
            local=bool(params.get_bool("local", False)),
            remote=bool(params.get_bool("remote", False)),
            only_media=bool(params.get_bool("only_media", False)),
            # not in Mastodon's API: posts in one language only, as search's lang=
            language=params.get_language("lang"),
        )
        views = await hydrate(conn, caller.account_id, posts)
        views = filter_views(views, await reader_filters(conn, caller.account), "public")
    return _answer(request, views, [post.id for post in posts])


@router.get("/api/v1/timelines/tag/{hashtag}")
async def tag(
    hashtag: str, request: Request, caller: Caller = Depends(optional("read:statuses"))
) -> Response:
    params = await read_params(request)
    page = page_of(params)
    async with state_of(request).db.read() as conn:
        posts = await tag_timeline(
            conn,
            caller.account_id,
            hashtag,
            page,
            any_tags=params.get_str_list("any"),
            all_tags=params.get_str_list("all"),
            none_tags=params.get_str_list("none"),
            local=bool(params.get_bool("local", False)),
            remote=bool(params.get_bool("remote", False)),
            only_media=bool(params.get_bool("only_media", False)),
            language=params.get_language("lang"),
        )
        views = await hydrate(conn, caller.account_id, posts)
        views = filter_views(views, await reader_filters(conn, caller.account), "public")
    return _answer(request, views, [post.id for post in posts])


@router.get("/api/v1/accounts/{account_id}/statuses")
async def statuses_of_account(
    account_id: str, request: Request, caller: Caller = Depends(optional("read:statuses"))
) -> Response:
    parsed = path_id(account_id)
    params = await read_params(request)
    page = page_of(params)
    async with state_of(request).db.read() as conn:
        account = await find_account(conn, parsed)
        if account is None or account.suspended:
            raise NotFound()
        found = await account_statuses(
            conn,
            caller.account_id,
            account.id,
            page,
            exclude_replies=bool(params.get_bool("exclude_replies", False)),
            exclude_reblogs=bool(params.get_bool("exclude_reblogs", False)),
            exclude_direct=bool(params.get_bool("exclude_direct", False)),
            only_media=bool(params.get_bool("only_media", False)),
            pinned=bool(params.get_bool("pinned", False)),
            tagged=params.get_str("tagged", max_length=300),
        )
        views = await hydrate(conn, caller.account_id, found.statuses)
        views = filter_views(views, await reader_filters(conn, caller.account), "account")
    return _answer(request, views, found.keys)
