"""Settings: the reader's filters (filters v2): list, create, edit and delete, calling
the same domain actions as the API."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.clock import utcnow
from townsquare.core.errors import ValidationFailed
from townsquare.domain.filters.actions import create_filter, delete_filter, update_filter
from townsquare.domain.filters.models import (
    ACTIONS,
    CONTEXTS,
    Filter,
    FilterChange,
    KeywordChange,
)
from townsquare.domain.filters.queries import filter_of, filters_of
from townsquare.http.params import Params, path_id
from townsquare.http.state import state_of
from townsquare.http.web.errors import readable
from townsquare.http.web.messages import N_
from townsquare.http.web.pages.common import back_to, web_router
from townsquare.http.web.session import checked_form, viewer_of
from townsquare.http.web.templating import page

router = web_router()

CONTEXT_WORDING = {
    "home": N_("Home timeline"),
    "notifications": N_("Notifications"),
    "public": N_("Public timelines and tags"),
    "thread": N_("Threads"),
    "account": N_("Profiles"),
}
ACTION_WORDING = {
    "warn": N_("Warn me, with the filter's title"),
    "blur": N_("Warn me and blur media"),
    "hide": N_("Hide the post"),
}
# (seconds, wording); "" keeps a filter for ever
EXPIRIES = [
    ("", N_("Never")),
    ("1800", N_("30 minutes")),
    ("3600", N_("1 hour")),
    ("21600", N_("6 hours")),
    ("86400", N_("1 day")),
    ("604800", N_("1 week")),
]


def _keywords_of(params: Params) -> list[str]:
    """One keyword a line, blank lines skipped."""
    text = params.get_str("keywords", "", max_length=60_000) or ""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _expires_in(params: Params) -> int | None:
    raw = params.get_str("expires_in", "", max_length=16) or ""
    if not raw:
        return None
    if not raw.isdigit():
        raise ValidationFailed(
            "Validation failed: Choose when the filter ends", details={"expires_in": ["invalid"]}
        )
    return int(raw)


async def _filters_page(
    request: Request, status: int = 200, *, editing: Filter | None = None, **context: object
) -> Response:
    user = (await viewer_of(request)).user
    async with state_of(request).db.read() as conn:
        found = await filters_of(conn, user.id)
    defaults: dict[str, object] = {
        "error": None,
        "saved": request.query_params.get("saved"),
        "form": None,
    }
    return await page(
        request,
        "filters.html",
        status,
        filters=found,
        editing=editing,
        now=utcnow(),
        contexts=[(name, CONTEXT_WORDING[name]) for name in CONTEXTS],
        actions=[(name, ACTION_WORDING[name]) for name in ACTIONS],
        expiries=EXPIRIES,
        **{**defaults, **context},
    )


def _form_echo(params: Params) -> dict[str, object]:
    """What was typed, to fill the form again after a refusal."""
    return {
        "title": params.get_str("title", "", max_length=60_000) or "",
        "keywords": "\n".join(_keywords_of(params)),
        "whole_word": bool(params.get_bool("whole_word", False)),
        "context": params.get_str_list("context"),
        "action": params.get_str("filter_action", "warn", max_length=16),
    }


@router.get("/settings/filters")
async def filters_page(request: Request) -> Response:
    return await _filters_page(request)


@router.post("/settings/filters")
async def add_filter(request: Request) -> Response:
    user = (await viewer_of(request)).user
    params = await checked_form(request)
    whole_word = bool(params.get_bool("whole_word", False))
    try:
        async with state_of(request).db.write() as conn:
            await create_filter(
                conn,
                user.id,
                title=params.get_str("title", max_length=60_000),
                context=params.get_str_list("context"),
                action=params.get_str("filter_action", max_length=16),
                expires_in=_expires_in(params),
                keywords=[(keyword, whole_word) for keyword in _keywords_of(params)],
            )
    except ValidationFailed as exc:
        return await _filters_page(
            request, 422, error=readable(exc.message), form=_form_echo(params)
        )
    return back_to("/settings/filters?saved=created")


@router.get("/settings/filters/{filter_id}")
async def edit_filter_page(filter_id: str, request: Request) -> Response:
    user = (await viewer_of(request)).user
    async with state_of(request).db.read() as conn:
        found = await filter_of(conn, user.id, path_id(filter_id))
    return await _filters_page(request, editing=found)


@router.post("/settings/filters/{filter_id}")
async def save_filter(filter_id: str, request: Request) -> Response:
    """The form's keywords replace the filter's: kept ones keep their ids."""
    user = (await viewer_of(request)).user
    wanted = path_id(filter_id)
    params = await checked_form(request)
    whole_word = bool(params.get_bool("whole_word", False))
    typed = _keywords_of(params)
    async with state_of(request).db.read() as conn:
        current = await filter_of(conn, user.id, wanted)
    try:
        expires_in = _expires_in(params)
        keep_expiry = params.get_str("expires_in", max_length=16) == "keep"
        change = FilterChange(
            title=params.get_str("title", "", max_length=60_000) or "",
            context=tuple(params.get_str_list("context")),
            action=params.get_str("filter_action", max_length=16),
            expires_in=None if keep_expiry else expires_in,
            clear_expiry=not keep_expiry and expires_in is None,
        )
        existing = {keyword.keyword: keyword for keyword in current.keywords}
        changes = [
            KeywordChange(keyword.id, None, None, destroy=True)
            for keyword in current.keywords
            if keyword.keyword not in typed
        ]
        for keyword in dict.fromkeys(typed):
            kept = existing.get(keyword)
            if kept is None:
                changes.append(KeywordChange(None, keyword, whole_word))
            elif kept.whole_word != whole_word:
                changes.append(KeywordChange(kept.id, None, whole_word))
        async with state_of(request).db.write() as conn:
            await update_filter(conn, user.id, wanted, change, changes)
    except ValidationFailed as exc:
        return await _filters_page(
            request, 422, editing=current, error=readable(exc.message), form=_form_echo(params)
        )
    return back_to("/settings/filters?saved=changed")


@router.post("/settings/filters/{filter_id}/delete")
async def remove_filter(filter_id: str, request: Request) -> Response:
    user = (await viewer_of(request)).user
    wanted = path_id(filter_id)
    await checked_form(request)
    async with state_of(request).db.write() as conn:
        await delete_filter(conn, user.id, wanted)
    return back_to("/settings/filters?saved=deleted")
