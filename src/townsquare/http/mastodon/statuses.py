"""Statuses: post, read, edit, delete, thread context, history, and interactions
(favourite, repost, bookmark, pin) with the lists of who did them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import NotFound, ValidationFailed
from townsquare.core.ids import parse_id
from townsquare.domain.accounts.models import Account
from townsquare.domain.accounts.queries import user_settings
from townsquare.domain.common.site import Site
from townsquare.domain.filters.apply import filter_views, reader_filters
from townsquare.domain.interactions import actions as interactions
from townsquare.domain.interactions.queries import AccountEntry, favourited_by, reblogged_by
from townsquare.domain.media.actions import MediaChange
from townsquare.domain.posts.actions import Draft, create_post, delete_post, edit_post
from townsquare.domain.posts.models import Status, StatusView
from townsquare.domain.posts.queries import (
    edit_history,
    hydrate,
    own_status,
    quotes_of,
    thread_context,
    visible_status,
    visible_statuses,
)
from townsquare.domain.posts.reblogs import reblog
from townsquare.domain.posts.reblogs import unreblog as undo_reblog
from townsquare.http.auth import Caller, optional, scoped
from townsquare.http.mastodon.entities.account import account_entity
from townsquare.http.mastodon.entities.status import (
    context_entity,
    status_edit_entity,
    status_entity,
    status_source_entity,
)
from townsquare.http.mastodon.pagination import link_header, page_of
from townsquare.http.params import Params, path_id, read_params
from townsquare.http.responses import json_response
from townsquare.http.state import state_of

router = APIRouter(tags=["statuses"])

# As Mastodon: what a visitor gets of a long thread is bounded.
VISITOR_ANCESTORS = 40
VISITOR_DESCENDANTS = 60
MAX_BATCH = 40

Interaction = Callable[[AsyncConnection, Account, int], Awaitable[Status]]


def _referenced_id(params: Params, *names: str, missing: str) -> int | None:
    """An id the client refers to (reply, quote): absent is None, malformed is 404."""
    for name in names:
        value = params.get_str(name, max_length=64)
        if value is None or value.strip() == "":
            continue
        parsed = parse_id(value.strip())
        if parsed is None:
            raise NotFound(missing)
        return parsed
    return None


def _unsupported(name: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"Validation failed: {message}", details={name: ["ERR_INVALID"]})


def _refuse_unsupported(params: Params) -> None:
    if params.get_str("scheduled_at", max_length=64):
        raise _unsupported("scheduled_at", "Scheduling posts is not supported yet")
    if any(params.has(name) for name in ("poll", "poll[options]", "poll[expires_in]")):
        raise _unsupported("poll", "Polls are not supported yet")


async def _render(
    conn: AsyncConnection, site: Site, viewer_id: int | None, post: Status, *, source: bool = False
) -> dict[str, object]:
    views = await hydrate(conn, viewer_id, [post])
    if not views:
        raise NotFound()  # a repost of a post now hidden from the viewer
    return status_entity(site, views[0], with_source=source)


def _reblog_visibility(params: Params, default: str) -> str:
    wanted = params.get_str("visibility", max_length=32)
    if wanted:
        return wanted
    # A default of private mentions cannot apply to a repost; followers-only is closest.
    return "private" if default == "direct" else default


@router.post("/api/v1/statuses")
async def post_status(
    request: Request, caller: Caller = Depends(scoped("write:statuses"))
) -> Response:
    state = state_of(request)
    params = await read_params(request)
    _refuse_unsupported(params)
    author = caller.user
    in_reply_to = _referenced_id(
        params, "in_reply_to_id",
        missing="The post you are trying to reply to does not appear to exist",
    )  # fmt: skip
    quoted = _referenced_id(
        params, "quoted_status_id", "quote_id",
        missing="The post you are trying to quote does not appear to exist",
    )  # fmt: skip
    text = params.get_str("status", "") or ""
    spoiler = params.get_str("spoiler_text", "") or ""
    visibility = params.get_str("visibility", max_length=32)
    sensitive = params.get_bool("sensitive")
    language = params.get_str("language", max_length=32)
    media_ids = params.get_id_list("media_ids")
    key = (request.headers.get("idempotency-key") or "").strip() or None
    async with state.db.write() as conn:
        settings = await user_settings(conn, author.id)
        draft = Draft(
            text=text,
            spoiler_text=spoiler,
            visibility=visibility or settings.default_visibility,
            sensitive=settings.default_sensitive if sensitive is None else sensitive,
            language=language or settings.default_language,
            in_reply_to_id=in_reply_to,
            quote_of_id=quoted,
            media_ids=media_ids,
            application_id=caller.token.app_id if caller.token else None,
            idempotency_key=key,
        )
        post = await create_post(
            conn, state.site, author, draft, default_visibility=settings.default_visibility
        )
        entity = await _render(conn, state.site, author.id, post)
    return json_response(entity)


@router.get("/api/v1/statuses")
async def get_statuses(
    request: Request, caller: Caller = Depends(optional("read:statuses"))
) -> Response:
    """Several posts at once; what the viewer may not see is left out."""
    state = state_of(request)
    params = await read_params(request)
    wanted = [parse_id(value) for value in params.get_str_list("id")[:MAX_BATCH]]
    ids = [i for i in wanted if i is not None]
    async with state.db.read() as conn:
        posts = await visible_statuses(conn, caller.account_id, ids)
        views = await hydrate(conn, caller.account_id, posts)
    return json_response([status_entity(state.site, view) for view in views])


@router.get("/api/v1/statuses/{status_id}")
async def get_status(
    status_id: str, request: Request, caller: Caller = Depends(optional("read:statuses"))
) -> Response:
    state = state_of(request)
    async with state.db.read() as conn:
        post = await visible_status(conn, caller.account_id, path_id(status_id))
        views = await hydrate(conn, caller.account_id, [post])
        if not views:
            raise NotFound()  # a repost of a post now hidden from the viewer
        # asked for by itself, a post keeps its hide matches for the client to fold it
        filters = await reader_filters(conn, caller.account)
        views = filter_views(views, filters, "thread", drop_hidden=False)
    return json_response(status_entity(state.site, views[0]))


@router.delete("/api/v1/statuses/{status_id}")
async def delete_status(
    status_id: str, request: Request, caller: Caller = Depends(scoped("write:statuses"))
) -> Response:
    """Delete one's post; the answer carries its source ``text`` for delete-and-redraft."""
    state = state_of(request)
    params = await read_params(request)
    delete_media = bool(params.get_bool("delete_media", False))
    me = caller.user
    async with state.db.write() as conn:
        post = await own_status(conn, me.id, path_id(status_id))
        # Rendered before the delete, while its attachments are still its own.
        views = await hydrate(conn, me.id, [post])
        view = views[0] if views else StatusView(status=post, account=me)
        await delete_post(conn, me, post.id, keep_media=not delete_media)
    return json_response(status_entity(state.site, view, with_source=True))


def _media_changes(params: Params) -> list[MediaChange]:
    """``media_attributes``: a JSON list of {id, description, focus}, or the form's
    parallel ``media_attributes[][id]`` and ``[description]``/``[focus]`` lists."""
    items = params.get_list("media_attributes")
    if items and all(isinstance(item, dict) for item in items):
        rows = [{k: item.get(k) for k in ("id", "description", "focus")} for item in items]
    elif items:
        raise ValidationFailed(
            "Validation failed: media_attributes must be a list of objects",
            details={"media_attributes": ["ERR_INVALID"]},
        )
    else:
        ids = params.get_str_list("media_attributes[][id]")
        descriptions = params.get_str_list("media_attributes[][description]")
        focuses = params.get_str_list("media_attributes[][focus]")
        rows = [
            {"id": media_id,
             "description": descriptions[i] if i < len(descriptions) else None,
             "focus": focuses[i] if i < len(focuses) else None}
            for i, media_id in enumerate(ids)
        ]  # fmt: skip
    changes = []
    for row in rows:
        media_id = parse_id(str(row["id"])) if row["id"] is not None else None
        texts = [row[k] for k in ("description", "focus")]
        if media_id is None or any(t is not None and not isinstance(t, str) for t in texts):
            raise ValidationFailed(
                "Validation failed: media_attributes must name media by id, with text values",
                details={"media_attributes": ["ERR_INVALID"]},
            )
        changes.append(MediaChange(media_id, row["description"], row["focus"]))
    return changes


@router.put("/api/v1/statuses/{status_id}")
async def update_status(
    status_id: str, request: Request, caller: Caller = Depends(scoped("write:statuses"))
) -> Response:
    state = state_of(request)
    params = await read_params(request)
    _refuse_unsupported(params)
    me = caller.user
    media_ids = params.get_id_list("media_ids") if params.has("media_ids") else None
    async with state.db.write() as conn:
        post = await edit_post(
            conn,
            state.site,
            me,
            path_id(status_id),
            text=params.get_str("status"),
            spoiler_text=params.get_str("spoiler_text"),
            sensitive=params.get_bool("sensitive"),
            language=params.get_str("language", max_length=32),
            media_ids=media_ids,
            media_changes=_media_changes(params),
        )
        entity = await _render(conn, state.site, me.id, post)
    return json_response(entity)


@router.get("/api/v1/statuses/{status_id}/source")
async def status_source(
    status_id: str, request: Request, caller: Caller = Depends(optional("read:statuses"))
) -> Response:
    state = state_of(request)
    async with state.db.read() as conn:
        post = await visible_status(conn, caller.account_id, path_id(status_id))
    return json_response(status_source_entity(post))


@router.get("/api/v1/statuses/{status_id}/history")
async def status_history(
    status_id: str, request: Request, caller: Caller = Depends(optional("read:statuses"))
) -> Response:
    state = state_of(request)
    async with state.db.read() as conn:
        post = await visible_status(conn, caller.account_id, path_id(status_id))
        versions = await edit_history(conn, post)
        views = await hydrate(conn, caller.account_id, [post])
    view = views[0] if views else None
    if view is None:
        raise NotFound()
    return json_response([status_edit_entity(state.site, version, view) for version in versions])


@router.get("/api/v1/statuses/{status_id}/context")
async def status_context(
    status_id: str, request: Request, caller: Caller = Depends(optional("read:statuses"))
) -> Response:
    state = state_of(request)
    viewer = caller.account_id
    async with state.db.read() as conn:
        ancestors, descendants = await thread_context(conn, viewer, path_id(status_id))
        if viewer is None:
            ancestors = ancestors[-VISITOR_ANCESTORS:]
            descendants = descendants[:VISITOR_DESCENDANTS]
        views = await hydrate(conn, viewer, [*ancestors, *descendants])
        views = filter_views(views, await reader_filters(conn, caller.account), "thread")
    above = {post.id for post in ancestors}
    return json_response(
        context_entity(
            state.site,
            [view for view in views if view.status.id in above],
            [view for view in views if view.status.id not in above],
        )
    )


@router.get("/api/v1/statuses/{status_id}/quotes")
async def status_quotes(
    status_id: str, request: Request, caller: Caller = Depends(optional("read:statuses"))
) -> Response:
    state = state_of(request)
    params = await read_params(request)
    page = page_of(params)
    async with state.db.read() as conn:
        posts = await quotes_of(conn, caller.account_id, path_id(status_id), page)
        views = await hydrate(conn, caller.account_id, posts)
    return json_response(
        [status_entity(state.site, view) for view in views],
        headers=link_header(state.site, request, [post.id for post in posts]),
    )


async def _accounts_answer(
    request: Request,
    caller: Caller,
    status_id: str,
    query: Callable[..., Awaitable[list[AccountEntry]]],
) -> Response:
    state = state_of(request)
    params = await read_params(request)
    page = page_of(params, default_limit=40, max_limit=80)
    async with state.db.read() as conn:
        entries = await query(conn, caller.account_id, path_id(status_id), page)
    return json_response(
        [account_entity(state.site, entry.account) for entry in entries],
        headers=link_header(state.site, request, [entry.key for entry in entries]),
    )


@router.get("/api/v1/statuses/{status_id}/favourited_by")
async def status_favourited_by(
    status_id: str, request: Request, caller: Caller = Depends(optional("read:statuses"))
) -> Response:
    return await _accounts_answer(request, caller, status_id, favourited_by)


@router.get("/api/v1/statuses/{status_id}/reblogged_by")
async def status_reblogged_by(
    status_id: str, request: Request, caller: Caller = Depends(optional("read:statuses"))
) -> Response:
    return await _accounts_answer(request, caller, status_id, reblogged_by)


async def _interact(
    request: Request, caller: Caller, status_id: str, action: Interaction
) -> Response:
    state = state_of(request)
    me = caller.user
    async with state.db.write() as conn:
        post = await action(conn, me, path_id(status_id))
        entity = await _render(conn, state.site, me.id, post)
    return json_response(entity)


@router.post("/api/v1/statuses/{status_id}/favourite")
async def favourite_status(
    status_id: str, request: Request, caller: Caller = Depends(scoped("write:favourites"))
) -> Response:
    return await _interact(request, caller, status_id, interactions.favourite)


@router.post("/api/v1/statuses/{status_id}/unfavourite")
async def unfavourite_status(
    status_id: str, request: Request, caller: Caller = Depends(scoped("write:favourites"))
) -> Response:
    return await _interact(request, caller, status_id, interactions.unfavourite)


@router.post("/api/v1/statuses/{status_id}/bookmark")
async def bookmark_status(
    status_id: str, request: Request, caller: Caller = Depends(scoped("write:bookmarks"))
) -> Response:
    return await _interact(request, caller, status_id, interactions.bookmark)


@router.post("/api/v1/statuses/{status_id}/unbookmark")
async def unbookmark_status(
    status_id: str, request: Request, caller: Caller = Depends(scoped("write:bookmarks"))
) -> Response:
    return await _interact(request, caller, status_id, interactions.unbookmark)


@router.post("/api/v1/statuses/{status_id}/pin")
async def pin_status(
    status_id: str, request: Request, caller: Caller = Depends(scoped("write:accounts"))
) -> Response:
    return await _interact(request, caller, status_id, interactions.pin)


@router.post("/api/v1/statuses/{status_id}/unpin")
async def unpin_status(
    status_id: str, request: Request, caller: Caller = Depends(scoped("write:accounts"))
) -> Response:
    return await _interact(request, caller, status_id, interactions.unpin)


@router.post("/api/v1/statuses/{status_id}/reblog")
async def reblog_status(
    status_id: str, request: Request, caller: Caller = Depends(scoped("write:statuses"))
) -> Response:
    """Repost; the answer is the repost, wrapping the post it reposts."""
    state = state_of(request)
    params = await read_params(request)
    me = caller.user
    async with state.db.write() as conn:
        settings = await user_settings(conn, me.id)
        visibility = _reblog_visibility(params, settings.default_visibility)
        repost = await reblog(conn, state.site, me, path_id(status_id), visibility)
        entity = await _render(conn, state.site, me.id, repost)
    return json_response(entity)


@router.post("/api/v1/statuses/{status_id}/unreblog")
async def unreblog_status(
    status_id: str, request: Request, caller: Caller = Depends(scoped("write:statuses"))
) -> Response:
    return await _interact(request, caller, status_id, undo_reblog)
