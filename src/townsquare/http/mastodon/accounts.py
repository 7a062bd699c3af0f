"""Accounts: sign-up, own credentials, profiles and look-ups."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import Forbidden, NotFound, ValidationFailed
from townsquare.domain.accounts.actions import NewAccount, ProfileChanges, register, update_profile
from townsquare.domain.accounts.models import ProfileField
from townsquare.domain.accounts.queries import find_account, lookup_acct, user_settings
from townsquare.domain.auth.actions import issue_token
from townsquare.domain.graph.queries import pending_requests_count
from townsquare.domain.media.actions import (
    prepare_avatar,
    prepare_header,
    remove_profile_image,
    set_profile_images,
)
from townsquare.http.auth import Caller, optional, scoped
from townsquare.http.mastodon.entities.account import account_entity, credential_account_entity
from townsquare.http.oauth.token import token_entity
from townsquare.http.params import Params, path_id, read_params
from townsquare.http.responses import json_response
from townsquare.http.state import state_of
from townsquare.http.uploads import file_bytes, upload_params

router = APIRouter(tags=["accounts"])


@router.post("/api/v1/accounts")
async def register_account(
    request: Request, caller: Caller = Depends(scoped("write:accounts", user=False))
) -> Response:
    state = state_of(request)
    if not state.settings.registrations_open:
        raise Forbidden("Registrations are closed on this server")
    client = request.client.host if request.client else "unknown"
    limit = await state.limiter.hit(
        f"signup:{client}", state.settings.registrations_per_5min_per_ip
    )
    if not limit.allowed:
        raise Forbidden("Too many sign-ups from this address; try again later")
    params = await read_params(request)
    if not params.get_bool("agreement", False):
        raise ValidationFailed(
            "Validation failed: Agreement must be accepted", details={"agreement": ["ERR_ACCEPTED"]}
        )
    assert caller.token is not None
    async with state.db.write() as conn:
        account = await register(
            conn,
            NewAccount(
                username=params.get_str("username", "", max_length=200) or "",
                email=params.get_str("email", "", max_length=400) or "",
                password=params.get_str("password", "", max_length=2000) or "",
                locale=(params.get_str("locale", "en", max_length=16) or "en"),
                reason=params.get_str("reason", max_length=1000),
                sign_up_ip=client,
                approved=not state.settings.approval_required,
            ),
        )
        issued = await issue_token(conn, caller.token.app_id, account.id, list(caller.token.scopes))
    return json_response(token_entity(issued))


@router.get("/api/v1/accounts/verify_credentials")
async def verify_credentials(
    request: Request, caller: Caller = Depends(scoped("read:accounts"))
) -> Response:
    state = state_of(request)
    async with state.db.read() as conn:
        account = caller.user
        settings = await user_settings(conn, account.id)
        requests = await pending_requests_count(conn, account.id)
    return json_response(credential_account_entity(state.site, account, settings, requests))


def _profile_changes(params: Params) -> ProfileChanges:
    fields: list[ProfileField] | None = None
    if any(params.has(f"fields_attributes[{i}][name]") for i in range(8)) or params.has(
        "fields_attributes"
    ):
        fields = []
        for i in range(8):
            name = params.get_str(f"fields_attributes[{i}][name]", max_length=2000)
            value = params.get_str(f"fields_attributes[{i}][value]", max_length=2000)
            if name is not None or value is not None:
                fields.append(ProfileField(name or "", value or ""))
    return ProfileChanges(
        display_name=params.get_str("display_name", max_length=2000),
        note=params.get_str("note", max_length=20_000),
        locked=params.get_bool("locked"),
        bot=params.get_bool("bot"),
        discoverable=params.get_bool("discoverable"),
        indexable=params.get_bool("indexable"),
        fields=fields,
        default_visibility=params.get_str("source[privacy]", max_length=32),
        default_sensitive=params.get_bool("source[sensitive]"),
        default_language=params.get_str("source[language]", max_length=16),
    )


@router.patch("/api/v1/accounts/update_credentials")
async def update_credentials(
    request: Request, caller: Caller = Depends(scoped("write:accounts"))
) -> Response:
    state = state_of(request)
    params = await upload_params(request)
    changes = _profile_changes(params)
    avatar_data = await file_bytes(params, "avatar")
    header_data = await file_bytes(params, "header")
    avatar = await prepare_avatar(avatar_data) if avatar_data is not None else None
    header = await prepare_header(header_data) if header_data is not None else None
    async with state.db.write() as conn:
        account = await update_profile(conn, caller.user.id, changes)
        if avatar is not None or header is not None:
            account = await set_profile_images(
                conn, state.site, account.id, avatar=avatar, header=header
            )
        settings = await user_settings(conn, account.id)
        requests = await pending_requests_count(conn, account.id)
    return json_response(credential_account_entity(state.site, account, settings, requests))


@router.delete("/api/v1/profile/{kind}")
async def delete_profile_image(
    kind: str, request: Request, caller: Caller = Depends(scoped("write:accounts"))
) -> Response:
    """``/api/v1/profile/avatar`` and ``/api/v1/profile/header``: back to the default."""
    state = state_of(request)
    async with state.db.write() as conn:
        account = await remove_profile_image(conn, state.site, caller.user.id, kind)
        settings = await user_settings(conn, account.id)
        requests = await pending_requests_count(conn, account.id)
    return json_response(credential_account_entity(state.site, account, settings, requests))


@router.get("/api/v1/accounts/lookup")
async def lookup(
    request: Request, _caller: Caller = Depends(optional("read:accounts"))
) -> Response:
    state = state_of(request)
    params = await read_params(request)
    acct = params.get_str("acct", "", max_length=400) or ""
    async with state.db.read() as conn:
        account = await lookup_acct(conn, acct, state.settings.domain) if acct else None
    if account is None or account.suspended:
        raise NotFound()
    return json_response(account_entity(state.site, account))


@router.get("/api/v1/accounts/{account_id}")
async def get_account(
    account_id: str, request: Request, _caller: Caller = Depends(optional("read:accounts"))
) -> Response:
    state = state_of(request)
    parsed = path_id(account_id)
    async with state.db.read() as conn:
        account = await find_account(conn, parsed)
    if account is None or account.suspended:
        raise NotFound()
    return json_response(account_entity(state.site, account))
