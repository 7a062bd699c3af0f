"""townsquare's own API, beside Mastodon's (documented in docs/api-extensions.md): the
reader's per-label choices, and their own strikes and appeals against them. The web
settings pages call the same domain actions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import ValidationFailed
from townsquare.domain.moderation.appeals import Appeal, Strike, appeal_strike, strikes_of
from townsquare.domain.moderation.outcomes import (
    LABEL_CHOICES,
    choose_label_choices,
    label_choices,
)
from townsquare.http.auth import Caller, scoped
from townsquare.http.mastodon.entities.common import iso
from townsquare.http.params import path_id, read_params
from townsquare.http.responses import json_response
from townsquare.http.state import state_of

router = APIRouter(tags=["townsquare"])

# More labels than any policy names; bounds one request's writes.
MAX_LABELS = 200


def _preferences(choices: dict[str, str]) -> dict[str, Any]:
    return {"preferences": dict(sorted(choices.items())), "choices": list(LABEL_CHOICES)}


@router.get("/api/v1/townsquare/label_preferences")
async def show_label_preferences(
    request: Request, caller: Caller = Depends(scoped("read:accounts"))
) -> Response:
    async with state_of(request).db.read() as conn:
        choices = await label_choices(conn, caller.user.id)
    return json_response(_preferences(choices))


@router.put("/api/v1/townsquare/label_preferences")
async def change_label_preferences(
    request: Request, caller: Caller = Depends(scoped("write:accounts"))
) -> Response:
    """Replaces every choice with ``preferences[<label>]=show|warn|hide`` (a form, or a
    JSON object ``{"preferences": {...}}``); labels left out go back to the default."""
    params = await read_params(request)
    choices: dict[str, str] = {}
    for key in params.names():
        if not key.startswith("preferences[") or not key.endswith("]"):
            continue
        label = key[len("preferences[") : -1]
        value = params.get_str(key, max_length=16)
        if value is not None:
            choices[label] = value
    if len(choices) > MAX_LABELS:
        raise ValidationFailed(
            f"Validation failed: at most {MAX_LABELS} labels",
            details={"preferences": ["ERR_INVALID"]},
        )
    user = caller.user
    async with state_of(request).db.write() as conn:
        await choose_label_choices(conn, user.id, choices)
        saved = await label_choices(conn, user.id)
    return json_response(_preferences(saved))


def _appeal_entity(appeal: Appeal | None) -> dict[str, Any] | None:
    if appeal is None:
        return None
    return {
        "id": str(appeal.id),
        "text": appeal.text,
        "state": appeal.state,
        "created_at": iso(appeal.created_at),
        "decided_at": iso(appeal.decided_at),
    }


def _strike_entity(strike: Strike) -> dict[str, Any]:
    return {
        "id": str(strike.id),
        "action": strike.action,
        "rule_id": strike.rule_id,
        "text": strike.text,
        "status_ids": [str(status_id) for status_id in strike.status_ids],
        "created_at": iso(strike.created_at),
        "appeal_deadline": iso(strike.appeal_deadline),
        "appealable": strike.appealable(),
        "appeal": _appeal_entity(strike.appeal),
    }


@router.get("/api/v1/townsquare/strikes")
async def my_strikes(
    request: Request, caller: Caller = Depends(scoped("read:accounts"))
) -> Response:
    async with state_of(request).db.read() as conn:
        found = await strikes_of(conn, caller.user.id)
    return json_response([_strike_entity(strike) for strike in found])


@router.post("/api/v1/townsquare/strikes/{strike_id}/appeal")
async def appeal(
    strike_id: str, request: Request, caller: Caller = Depends(scoped("write:accounts"))
) -> Response:
    """One appeal per strike, within the window: 404 for a strike not one's own, 409 for
    a second appeal, 422 for a late or empty one."""
    wanted = path_id(strike_id)
    params = await read_params(request)
    text = params.get_str("text", max_length=10_000) or ""
    user = caller.user
    async with state_of(request).db.write() as conn:
        await appeal_strike(conn, user, wanted, text)
        [strike] = [each for each in await strikes_of(conn, user.id) if each.id == wanted]
    return json_response(_strike_entity(strike))
