"""Settings: profile, posting defaults, interface language, password."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import ValidationFailed
from townsquare.domain.accounts.actions import ProfileChanges, change_password, update_profile
from townsquare.domain.auth.actions import revoke_account_tokens
from townsquare.domain.auth.sessions import revoke_own_token, signed_in, start_session
from townsquare.domain.languages.choices import choose_languages, chosen_languages
from townsquare.domain.media.actions import (
    PROFILE_IMAGES,
    prepare_avatar,
    prepare_header,
    remove_profile_image,
    set_profile_images,
)
from townsquare.domain.moderation.actions import active_policy
from townsquare.domain.moderation.outcomes import (
    LABEL_CHOICES,
    choose_label_choices,
    label_choices,
)
from townsquare.http.state import state_of
from townsquare.http.uploads import file_bytes, refuse_oversized
from townsquare.http.web.card_notes import LABEL_WORDING
from townsquare.http.web.compose import POST_LANGUAGES
from townsquare.http.web.errors import readable
from townsquare.http.web.i18n import LANGUAGE_COOKIE, LANGUAGES
from townsquare.http.web.pages.common import back_to, web_router
from townsquare.http.web.session import (
    SESSION_COOKIE,
    THEME_COOKIE,
    THEMES,
    checked_form,
    clear_session,
    store_session,
    viewer_of,
)
from townsquare.http.web.templating import page

router = web_router()
YEAR = 365 * 24 * 3600


async def _known_labels(conn: AsyncConnection, default_policy: str) -> list[str]:
    """Label values a reader can choose for: those of the active policy's rules and the
    presets' wording."""
    policy = await active_policy(conn, default_policy)
    found = {rule.label for rule in policy.rules if rule.label} | set(LABEL_WORDING)
    return sorted(found)


async def _settings_page(request: Request, status: int = 200, **context: object) -> Response:
    viewer = await viewer_of(request)
    user = viewer.user
    state = state_of(request)
    async with state.db.read() as conn:
        chosen = await chosen_languages(conn, user.id)
        labels = await _known_labels(conn, state.site.moderation_policy)
        choices = await label_choices(conn, user.id)
        sessions = await signed_in(conn, user.id, request.cookies.get(SESSION_COOKIE))
    defaults: dict[str, object] = {"error": None, "saved": request.query_params.get("saved")}
    return await page(
        request,
        "settings.html",
        status,
        languages=POST_LANGUAGES,
        configured_languages=state.site.languages,
        chosen_languages=chosen,
        labels=labels,
        label_choices=choices,
        label_options=LABEL_CHOICES,
        sessions=sessions,
        **{**defaults, **context},
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


@router.post("/settings/pictures")
async def save_pictures(request: Request) -> Response:
    """A new avatar, header or both, from a multipart form."""
    viewer = await viewer_of(request)
    user = viewer.user
    refuse_oversized(request, files=2)
    params = await checked_form(request)
    state = state_of(request)
    try:
        avatar_data = await file_bytes(params, "avatar")
        header_data = await file_bytes(params, "header")
        if not avatar_data and not header_data:
            raise ValidationFailed("Choose an image to upload.")
        avatar = await prepare_avatar(avatar_data) if avatar_data else None
        header = await prepare_header(header_data) if header_data else None
        async with state.db.write() as conn:
            await set_profile_images(conn, state.site, user.id, avatar=avatar, header=header)
    except ValidationFailed as exc:
        return await _settings_page(request, 422, error=readable(exc.message))
    return back_to("/settings?saved=pictures")


@router.post("/settings/pictures/{kind}/remove")
async def remove_picture(request: Request, kind: str) -> Response:
    """Back to the default avatar or header: the same action as the API's DELETE
    /api/v1/profile/avatar and /header."""
    viewer = await viewer_of(request)
    user = viewer.user
    await checked_form(request)
    if kind not in PROFILE_IMAGES:
        return await _settings_page(request, 404, error="That page does not exist, or is hidden.")
    state = state_of(request)
    async with state.db.write() as conn:
        await remove_profile_image(conn, state.site, user.id, kind)
    return back_to(f"/settings?saved={kind}-removed")


@router.post("/settings/languages")
async def save_languages(request: Request) -> Response:
    """The languages to show on public timelines, tag pages and search."""
    viewer = await viewer_of(request)
    user = viewer.user
    params = await checked_form(request)
    state = state_of(request)
    try:
        async with state.db.write() as conn:
            await choose_languages(
                conn, user.id, params.get_str_list("languages"), state.site.languages
            )
    except ValidationFailed as exc:
        return await _settings_page(request, 422, error=readable(exc.message))
    return back_to("/settings?saved=languages")


@router.post("/settings/labels")
async def save_labels(request: Request) -> Response:
    """Per label: show the post with its label, warn first, or hide it."""
    viewer = await viewer_of(request)
    user = viewer.user
    params = await checked_form(request)
    state = state_of(request)
    try:
        async with state.db.write() as conn:
            known = await _known_labels(conn, state.site.moderation_policy)
            choices = {}
            for label in known:
                choice = params.get_str(f"label.{label}", max_length=16)
                if choice:
                    choices[label] = choice
            await choose_label_choices(conn, user.id, choices)
    except ValidationFailed as exc:
        return await _settings_page(request, 422, error=readable(exc.message))
    return back_to("/settings?saved=labels")


@router.post("/settings/sessions/revoke")
async def revoke_session(request: Request) -> Response:
    """End one session or app token; ending this browser's own session logs it out."""
    viewer = await viewer_of(request)
    user = viewer.user
    params = await checked_form(request)
    # a malformed id is one more session that does not exist, said the same way
    token_id = params.get_id("token_id", lenient=True)
    if token_id is None:
        return await _settings_page(request, 422, error="That session does not exist.")
    async with state_of(request).db.write() as conn:
        current = [s for s in await signed_in(conn, user.id, request.cookies.get(SESSION_COOKIE))
                   if s.current]  # fmt: skip
        ended = await revoke_own_token(conn, user.id, token_id)
    if not ended:
        return await _settings_page(request, 404, error="That session does not exist.")
    if current and current[0].token_id == token_id:
        response = back_to("/auth/sign_in")
        clear_session(response)
        return response
    return back_to("/settings?saved=sessions")


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
            secret = await start_session(conn, user.id, request.headers.get("user-agent", ""))
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
