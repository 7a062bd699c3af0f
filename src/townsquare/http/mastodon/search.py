"""Search: GET /api/v2/search."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import Unauthorized
from townsquare.domain.hashtags.queries import tag_choices
from townsquare.domain.posts.queries import hydrate
from townsquare.domain.search.queries import search
from townsquare.http.auth import Caller, optional
from townsquare.http.mastodon.entities.account import account_entity
from townsquare.http.mastodon.entities.status import status_entity
from townsquare.http.mastodon.entities.tag import NOT_CHOSEN, tag_entity
from townsquare.http.params import read_params
from townsquare.http.responses import json_response
from townsquare.http.state import state_of

router = APIRouter(tags=["search"])


@router.get("/api/v2/search")
async def search_v2(
    request: Request, caller: Caller = Depends(optional("read:search"))
) -> Response:
    state = state_of(request)
    params = await read_params(request)
    # A longer query is cut (search.parse.MAX_QUERY_LENGTH), not refused.
    q = params.get_str("q", "") or ""
    search_type = params.get_str("type", max_length=32) or None
    resolve = bool(params.get_bool("resolve", False))
    offset = params.get_int("offset", 0, minimum=0) or 0
    signed_in = caller.account_id is not None
    # As Mastodon: visitors may neither page through results nor resolve addresses.
    if not signed_in and params.has("offset"):
        raise Unauthorized("Search queries pagination is not supported without authentication")
    if not signed_in and resolve:
        raise Unauthorized(
            "Search queries that resolve remote resources are not supported without authentication"
        )
    async with state.db.read() as conn:
        results = await search(
            conn,
            caller.account_id,
            q,
            type=search_type,
            limit=params.get_int("limit", 20, minimum=1, maximum=40) or 20,
            offset=offset if search_type else 0,
            account_id=params.get_id("account_id"),
            following=bool(params.get_bool("following", False)),
            resolve=resolve,
            max_id=params.get_id("max_id", lenient=True),
            min_id=params.get_id("min_id", lenient=True),
            local_domain=state.site.domain,
            # not in Mastodon's API: posts in one language only (ISO 639-1), as lang:
            language=params.get_language("lang"),
            languages=state.site.languages,
        )
        views = await hydrate(conn, caller.account_id, results.statuses)
        chosen = (
            await tag_choices(conn, caller.account_id, [tag.id for tag in results.hashtags])
            if caller.account_id is not None and results.hashtags
            else {}
        )
    return json_response(
        {
            "accounts": [account_entity(state.site, account) for account in results.accounts],
            "statuses": [status_entity(state.site, view) for view in views],
            "hashtags": [
                tag_entity(
                    state.site,
                    tag,
                    signed_in=signed_in,
                    choices=chosen.get(tag.id, NOT_CHOSEN),
                )
                for tag in results.hashtags
            ],
        }
    )
