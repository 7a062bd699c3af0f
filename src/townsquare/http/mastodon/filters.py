"""Filters: v2 (filters with keywords and posts) and v1 (one keyword each), as Mastodon
4.3 answers them. The rules live in ``domain.filters``; this parses and serialises."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import NotFound
from townsquare.domain.filters.actions import (
    add_filter_status,
    add_keyword,
    create_filter,
    delete_filter,
    delete_filter_status,
    delete_keyword,
    update_filter,
    update_keyword,
)
from townsquare.domain.filters.models import Filter, FilterChange, KeywordChange
from townsquare.domain.filters.queries import (
    filter_of,
    filter_status_of,
    filters_of,
    keyword_of,
)
from townsquare.http.auth import Caller, scoped
from townsquare.http.mastodon.entities.filter import (
    filter_entity,
    filter_status_entity,
    keyword_entity,
    v1_filter_entity,
)
from townsquare.http.params import Params, path_id, read_params
from townsquare.http.responses import json_response
from townsquare.http.state import state_of

router = APIRouter(tags=["filters"])

_read = scoped("read:filters")
_write = scoped("write:filters")


def _expiry(params: Params) -> tuple[int | None, bool]:
    """``expires_in`` as (seconds, clear): absent leaves it, blank or null clears it."""
    if not params.has("expires_in"):
        return None, False
    raw = params.raw("expires_in")
    if raw is None or raw == "":
        return None, True
    return params.get_int("expires_in"), False


def _keyword_changes(params: Params) -> list[KeywordChange]:
    changes = []
    for item in params.get_hash_list("keywords_attributes"):
        attributes = Params.from_mapping(item)
        changes.append(
            KeywordChange(
                id=attributes.get_id("id") if attributes.raw("id") not in (None, "") else None,
                keyword=attributes.get_str("keyword", max_length=10_000),
                whole_word=attributes.get_bool("whole_word"),
                destroy=bool(attributes.get_bool("_destroy", False)),
            )
        )
    return changes


# --- v2 --------------------------------------------------------------------------------


@router.get("/api/v2/filters")
async def index(request: Request, caller: Caller = Depends(_read)) -> Response:
    async with state_of(request).db.read() as conn:
        found = await filters_of(conn, caller.user.id)
    return json_response([filter_entity(each) for each in found])


@router.post("/api/v2/filters")
async def create(request: Request, caller: Caller = Depends(_write)) -> Response:
    params = await read_params(request)
    seconds, _clear = _expiry(params)
    keywords = [
        (change.keyword or "", bool(change.whole_word if change.whole_word is not None else True))
        for change in _keyword_changes(params)
        if not change.destroy
    ]
    if any(change.id is not None for change in _keyword_changes(params)):
        raise NotFound()  # Mastodon: an id in a new filter's keywords is not found
    async with state_of(request).db.write() as conn:
        made = await create_filter(
            conn,
            caller.user.id,
            title=params.get_str("title", max_length=10_000),
            context=params.get_str_list("context"),
            action=params.get_str("filter_action", max_length=40),
            expires_in=seconds,
            keywords=keywords,
        )
    return json_response(filter_entity(made))


@router.get("/api/v2/filters/{filter_id}")
async def show(filter_id: str, request: Request, caller: Caller = Depends(_read)) -> Response:
    async with state_of(request).db.read() as conn:
        found = await filter_of(conn, caller.user.id, path_id(filter_id))
    return json_response(filter_entity(found))


@router.put("/api/v2/filters/{filter_id}")
async def change(filter_id: str, request: Request, caller: Caller = Depends(_write)) -> Response:
    wanted = path_id(filter_id)
    params = await read_params(request)
    seconds, clear = _expiry(params)
    context = params.get_str_list("context") if params.has("context") else None
    asked = FilterChange(
        title=params.get_str("title", max_length=10_000),
        context=tuple(context) if context is not None else None,
        action=params.get_str("filter_action", max_length=40),
        expires_in=seconds,
        clear_expiry=clear,
    )
    keywords = [
        item._replace(whole_word=True) if item.id is None and item.whole_word is None else item
        for item in _keyword_changes(params)
    ]
    async with state_of(request).db.write() as conn:
        changed = await update_filter(conn, caller.user.id, wanted, asked, keywords)
    return json_response(filter_entity(changed))


@router.delete("/api/v2/filters/{filter_id}")
async def remove(filter_id: str, request: Request, caller: Caller = Depends(_write)) -> Response:
    async with state_of(request).db.write() as conn:
        await delete_filter(conn, caller.user.id, path_id(filter_id))
    return json_response({})


@router.get("/api/v2/filters/{filter_id}/keywords")
async def keywords(filter_id: str, request: Request, caller: Caller = Depends(_read)) -> Response:
    async with state_of(request).db.read() as conn:
        found = await filter_of(conn, caller.user.id, path_id(filter_id))
    return json_response([keyword_entity(keyword) for keyword in found.keywords])


@router.post("/api/v2/filters/{filter_id}/keywords")
async def add_a_keyword(
    filter_id: str, request: Request, caller: Caller = Depends(_write)
) -> Response:
    wanted = path_id(filter_id)
    params = await read_params(request)
    async with state_of(request).db.write() as conn:
        made = await add_keyword(
            conn,
            caller.user.id,
            wanted,
            params.get_str("keyword", max_length=10_000),
            bool(params.get_bool("whole_word", True)),
        )
    return json_response(keyword_entity(made))


@router.get("/api/v2/filters/keywords/{keyword_id}")
async def show_keyword(
    keyword_id: str, request: Request, caller: Caller = Depends(_read)
) -> Response:
    async with state_of(request).db.read() as conn:
        found = await keyword_of(conn, caller.user.id, path_id(keyword_id))
    return json_response(keyword_entity(found))


@router.put("/api/v2/filters/keywords/{keyword_id}")
async def change_keyword(
    keyword_id: str, request: Request, caller: Caller = Depends(_write)
) -> Response:
    wanted = path_id(keyword_id)
    params = await read_params(request)
    async with state_of(request).db.write() as conn:
        changed = await update_keyword(
            conn,
            caller.user.id,
            wanted,
            params.get_str("keyword", max_length=10_000),
            params.get_bool("whole_word"),
        )
    return json_response(keyword_entity(changed))


@router.delete("/api/v2/filters/keywords/{keyword_id}")
async def remove_keyword(
    keyword_id: str, request: Request, caller: Caller = Depends(_write)
) -> Response:
    async with state_of(request).db.write() as conn:
        await delete_keyword(conn, caller.user.id, path_id(keyword_id))
    return json_response({})


@router.get("/api/v2/filters/{filter_id}/statuses")
async def statuses(filter_id: str, request: Request, caller: Caller = Depends(_read)) -> Response:
    async with state_of(request).db.read() as conn:
        found = await filter_of(conn, caller.user.id, path_id(filter_id))
    return json_response([filter_status_entity(entry) for entry in found.statuses])


@router.post("/api/v2/filters/{filter_id}/statuses")
async def add_a_status(
    filter_id: str, request: Request, caller: Caller = Depends(_write)
) -> Response:
    wanted = path_id(filter_id)
    params = await read_params(request)
    status_id = params.get_id("status_id")
    if status_id is None:
        raise NotFound()
    async with state_of(request).db.write() as conn:
        made = await add_filter_status(conn, caller.user.id, wanted, status_id)
    return json_response(filter_status_entity(made))


@router.get("/api/v2/filters/statuses/{entry_id}")
async def show_status(entry_id: str, request: Request, caller: Caller = Depends(_read)) -> Response:
    async with state_of(request).db.read() as conn:
        found = await filter_status_of(conn, caller.user.id, path_id(entry_id))
    return json_response(filter_status_entity(found))


@router.delete("/api/v2/filters/statuses/{entry_id}")
async def remove_status(
    entry_id: str, request: Request, caller: Caller = Depends(_write)
) -> Response:
    async with state_of(request).db.write() as conn:
        await delete_filter_status(conn, caller.user.id, path_id(entry_id))
    return json_response({})


# --- v1: one keyword per filter ----------------------------------------------------------


def _v1_entities(found: list[Filter]) -> list[dict[str, Any]]:
    return [v1_filter_entity(each, keyword) for each in found for keyword in each.keywords]


async def _v1_owner(conn: Any, account_id: int, keyword_id: int) -> tuple[Filter, int]:
    keyword = await keyword_of(conn, account_id, keyword_id)
    return await filter_of(conn, account_id, keyword.filter_id), keyword.id


def _v1_one(found: Filter, keyword_id: int) -> dict[str, Any]:
    for keyword in found.keywords:
        if keyword.id == keyword_id:
            return v1_filter_entity(found, keyword)
    raise NotFound()


@router.get("/api/v1/filters")
async def v1_index(request: Request, caller: Caller = Depends(_read)) -> Response:
    async with state_of(request).db.read() as conn:
        found = await filters_of(conn, caller.user.id)
    return json_response(_v1_entities(found))


@router.post("/api/v1/filters")
async def v1_create(request: Request, caller: Caller = Depends(_write)) -> Response:
    params = await read_params(request)
    phrase = params.get_str("phrase", max_length=10_000)
    seconds, _clear = _expiry(params)
    async with state_of(request).db.write() as conn:
        made = await create_filter(
            conn,
            caller.user.id,
            # Mastodon names the filter after its phrase
            title=phrase,
            context=params.get_str_list("context"),
            action="hide" if params.get_bool("irreversible", False) else "warn",
            expires_in=seconds,
            keywords=[(phrase or "", bool(params.get_bool("whole_word", True)))],
        )
    return json_response(v1_filter_entity(made, made.keywords[0]))


@router.get("/api/v1/filters/{keyword_id}")
async def v1_show(keyword_id: str, request: Request, caller: Caller = Depends(_read)) -> Response:
    async with state_of(request).db.read() as conn:
        found, wanted = await _v1_owner(conn, caller.user.id, path_id(keyword_id))
    return json_response(_v1_one(found, wanted))


@router.put("/api/v1/filters/{keyword_id}")
async def v1_change(
    keyword_id: str, request: Request, caller: Caller = Depends(_write)
) -> Response:
    params = await read_params(request)
    seconds, clear = _expiry(params)
    context = params.get_str_list("context") if params.has("context") else None
    irreversible = params.get_bool("irreversible")
    async with state_of(request).db.write() as conn:
        found, wanted = await _v1_owner(conn, caller.user.id, path_id(keyword_id))
        asked = FilterChange(
            context=tuple(context) if context is not None else None,
            action=None if irreversible is None else ("hide" if irreversible else "warn"),
            expires_in=seconds,
            clear_expiry=clear,
        )
        keyword = KeywordChange(
            wanted, params.get_str("phrase", max_length=10_000), params.get_bool("whole_word")
        )
        changed = await update_filter(conn, caller.user.id, found.id, asked, [keyword])
    return json_response(_v1_one(changed, wanted))


@router.delete("/api/v1/filters/{keyword_id}")
async def v1_remove(
    keyword_id: str, request: Request, caller: Caller = Depends(_write)
) -> Response:
    async with state_of(request).db.write() as conn:
        found, wanted = await _v1_owner(conn, caller.user.id, path_id(keyword_id))
        if len(found.keywords) == 1 and not found.statuses:
            await delete_filter(conn, caller.user.id, found.id)  # nothing else is left of it
        else:
            await delete_keyword(conn, caller.user.id, wanted)
    return json_response({})
