"""Sign up, log in, log out: the only pages that start or end a session."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from townsquare.core.errors import DomainError, ValidationFailed
from townsquare.domain.accounts.actions import NewAccount, authenticate, check_username, register
from townsquare.domain.accounts.queries import account_by_username
from townsquare.domain.auth.sessions import end_session, start_session
from townsquare.http.state import state_of
from townsquare.http.web.errors import readable
from townsquare.http.web.pages.common import back_to, web_router
from townsquare.http.web.session import (
    SESSION_COOKIE,
    checked_form,
    clear_session,
    safe_next,
    store_session,
    viewer_of,
)
from townsquare.http.web.templating import page

router = web_router()


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/auth/sign_up")
async def sign_up_page(request: Request) -> Response:
    return await page(request, "sign_up.html", values={}, error=None)


@router.get("/auth/username")
async def username_available(request: Request) -> Response:
    """For the sign-up form's as-you-type hint; the POST checks again."""
    ui = (await viewer_of(request)).ui
    username = request.query_params.get("username", "")[:64]
    try:
        check_username(username)
    except ValidationFailed as exc:
        return JSONResponse({"available": False, "message": ui.gettext(readable(exc.message))})
    async with state_of(request).db.read() as conn:
        taken = await account_by_username(conn, username) is not None
    if taken:
        message = ui.gettext("Username has already been taken")
        return JSONResponse({"available": False, "message": message})
    return JSONResponse({"available": True, "message": ui.gettext("Username is available")})


@router.post("/auth/sign_up")
async def sign_up(request: Request) -> Response:
    state = state_of(request)
    params = await checked_form(request)
    values = {
        "username": params.get_str("username", "", max_length=200) or "",
        "email": params.get_str("email", "", max_length=400) or "",
    }
    password = params.get_str("password", "", max_length=2000) or ""

    async def again(message: str) -> Response:
        return await page(request, "sign_up.html", 422, values=values, error=message)

    if not state.settings.registrations_open:
        return await again("Registrations are closed on this server")
    if not params.get_bool("agreement", False):
        return await again("Please accept the rules to sign up")
    if password != (params.get_str("password_confirmation", "", max_length=2000) or ""):
        return await again("The two passwords are not the same")
    limit = await state.limiter.hit(
        f"signup:{_client(request)}", state.settings.registrations_per_5min_per_ip
    )
    if not limit.allowed:
        return await again("Too many sign-ups from this address; try again later")
    viewer = await viewer_of(request)
    try:
        async with state.db.write() as conn:
            account = await register(
                conn,
                NewAccount(
                    username=values["username"],
                    email=values["email"],
                    password=password,
                    locale=viewer.ui.language,
                    sign_up_ip=_client(request),
                    approved=not state.settings.approval_required,
                ),
            )
            secret = (
                await start_session(conn, account.id, request.headers.get("user-agent", ""))
                if not state.settings.approval_required
                else None
            )
    except ValidationFailed as exc:
        return await again(readable(exc.message))
    if secret is None:
        return await page(
            request, "message.html", message="Your account awaits approval by the moderators."
        )
    response = back_to("/home")
    store_session(request, response, secret, remember=False)
    return response


@router.get("/auth/sign_in")
async def sign_in_page(request: Request) -> Response:
    viewer = await viewer_of(request)
    next_path = safe_next(request.query_params.get("next"))
    if viewer.account is not None:
        return back_to(next_path)
    return await page(request, "sign_in.html", login="", error=None, next_path=next_path)


@router.post("/auth/sign_in")
async def sign_in(request: Request) -> Response:
    state = state_of(request)
    params = await checked_form(request)
    login = (params.get_str("login", "", max_length=320) or "").strip()
    password = params.get_str("password", "", max_length=1024) or ""
    next_path = safe_next(params.get_str("next", max_length=2000))
    attempts = state.settings.login_attempts_per_5min
    # Per name (guessing one account's password) and per address (trying many names).
    by_login = await state.limiter.hit(f"weblogin:{login.casefold()}", attempts)
    by_address = await state.limiter.hit(f"weblogin-ip:{_client(request)}", attempts * 5)
    if not (by_login.allowed and by_address.allowed):
        return await page(
            request, "sign_in.html", 429, login=login, next_path=next_path,
            error="Too many log-in attempts; try again in a few minutes.",
        )  # fmt: skip
    try:
        async with state.db.write() as conn:
            account = await authenticate(conn, login, password, frozen_may_sign_in=True)
            secret = await start_session(conn, account.id, request.headers.get("user-agent", ""))
    except DomainError as exc:
        return await page(
            request, "sign_in.html", 401, login=login, next_path=next_path, error=exc.message
        )
    # A frozen account signs in to learn why and to appeal: its strikes come first.
    response = back_to("/settings/strikes" if account.disabled else next_path)
    store_session(request, response, secret, remember=bool(params.get_bool("remember", False)))
    return response


@router.post("/auth/sign_out")
async def sign_out(request: Request) -> Response:
    await checked_form(request)
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        async with state_of(request).db.write() as conn:
            await end_session(conn, secret)
    response = back_to("/")
    clear_session(response)
    return response
