"""Settings: profile, posting defaults, interface language, password."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import ValidationFailed
from townsquare.domain.accounts.actions import ProfileChanges, change_password, update_profile
from townsquare.domain.auth.actions import revoke_account_tokens
from townsquare.domain.auth.sessions import start_session
from townsquare.http.state import state_of
from townsquare.http.web.compose import POST_LANGUAGES
from townsquare.http.web.errors import readable
from townsquare.http.web.i18n import LANGUAGE_COOKIE, LANGUAGES
from townsquare.http.web.pages.common import back_to, web_router
from townsquare.http.web.session import (
    THEME_COOKIE,
    THEMES,
    checked_form,
    store_session,
    viewer_of,
)
from townsquare.http.web.templating import page

router = web_router()
YEAR = 365 * 24 * 3600


async def _settings_page(request: Request, status: int = 200, **context: object) -> Response:
    viewer = await viewer_of(request)
    viewer.user  # noqa: B018 - signs the visitor in first
    defaults: dict[str, object] = {"error": None, "saved": request.query_params.get("saved")}
    return await page(
        request, "settings.html", status, languages=POST_LANGUAGES, **{**defaults, **context}
    )


@router.get("/settings")
async def settings_page(request: Request) -> Response:
    return await _settings_page(request)


@router.post("/settings/profile")
async def save_profile(request: Request) -> Response:
    viewer = await viewer_of(request)
    user = viewer.user
    params = await checked_form(request)
    locale = params.get_str("locale", max_length=16)
    changes = ProfileChanges(
        display_name=params.get_str("display_name", "", max_length=2000) or "",
        note=params.get_str("note", "", max_length=20_000) or "",
        locked=bool(params.get_bool("locked", False)),
        bot=bool(params.get_bool("bot", False)),
        default_visibility=params.get_str("default_visibility", max_length=16),
        default_language=params.get_str("default_language", "", max_length=16) or "",
        locale=locale if locale in LANGUAGES else None,
    )
    try:
        async with state_of(request).db.write() as conn:
            await update_profile(conn, user.id, changes)
    except ValidationFailed as exc:
        return await _settings_page(request, 422, error=readable(exc.message))
    response = back_to("/settings?saved=profile")
    if changes.locale:
        # the account's choice wins over an earlier choice made in this browser
        response.delete_cookie(LANGUAGE_COOKIE)
    return response


@router.post("/settings/password")
async def save_password(request: Request) -> Response:
    viewer = await viewer_of(request)
    user = viewer.user
    params = await checked_form(request)
    new = params.get_str("new_password", "", max_length=2000) or ""
    if new != (params.get_str("new_password_confirmation", "", max_length=2000) or ""):
        return await _settings_page(request, 422, error="The two new passwords are not the same")
    try:
        async with state_of(request).db.write() as conn:
            current = params.get_str("current_password", "", max_length=2000) or ""
            await change_password(conn, user.id, current, new)
            # Every other session and app token ends with the old password.
            await revoke_account_tokens(conn, user.id)
            secret = await start_session(conn, user.id)
    except ValidationFailed as exc:
        return await _settings_page(request, 422, error=readable(exc.message))
    response = back_to("/settings?saved=password")
    store_session(request, response, secret, remember=False)
    return response


@router.post("/settings/language")
async def choose_language(request: Request) -> Response:
    """The interface language for this browser; visitors can choose it too."""
    params = await checked_form(request)
    language = params.get_str("language", "en", max_length=16) or "en"
    response = back_to(params.get_str("next", max_length=2000), "/")
    if language in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=YEAR, samesite="lax", httponly=True)
    return response


@router.post("/settings/theme")
async def choose_theme(request: Request) -> Response:
    """Light, dark, or as the system says; kept in this browser."""
    params = await checked_form(request)
    theme = params.get_str("theme", "system", max_length=16)
    response = back_to("/settings?saved=theme")
    if theme in THEMES:
        response.set_cookie(THEME_COOKIE, str(theme), max_age=YEAR, samesite="lax", httponly=True)
    else:
        response.delete_cookie(THEME_COOKIE)
    return response


@router.get("/settings/export")
async def export_placeholder(request: Request) -> Response:
    (await viewer_of(request)).user  # noqa: B018 - signs the visitor in first
    return await page(request, "message.html", message="Account export is not available yet.")
