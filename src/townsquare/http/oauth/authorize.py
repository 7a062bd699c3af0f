"""The authorisation page: log in, consent, and hand the code back (PKCE S256).

The page asks for the account's credentials itself, so it works before the web app
has sessions; a redirect URI of ``urn:ietf:wg:oauth:2.0:oob`` shows the code on the
page instead of redirecting.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from townsquare.core.errors import DomainError
from townsquare.domain.accounts.actions import authenticate
from townsquare.domain.auth.actions import (
    OAuthError,
    check_code_challenge,
    check_redirect_uri,
    is_oob,
    issue_code,
    requested_scopes,
)
from townsquare.domain.auth.models import App
from townsquare.domain.auth.queries import app_by_client_id
from townsquare.http.params import Params, read_params
from townsquare.http.state import state_of
from townsquare.http.web.templating import asset_url

router = APIRouter(tags=["oauth"])
_templates = Environment(
    loader=PackageLoader("townsquare.http.oauth", "templates"),
    autoescape=select_autoescape(default=True),
)
_PASSED_ON = ("response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge",
              "code_challenge_method", "lang")  # fmt: skip
_PAGE_CSP = (
    "default-src 'none'; style-src 'self'; form-action 'self' *; frame-ancestors 'none'; "
    "base-uri 'none'"
)


def _page(name: str, status: int = 200, **context: object) -> HTMLResponse:
    # The web app's stylesheet, so that the page looks like the rest of the site.
    html = _templates.get_template(name).render(stylesheet=asset_url("app.css"), **context)
    return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": _PAGE_CSP})


async def _resolve(request: Request, params: Params) -> tuple[App, str, list[str]]:
    if (params.get_str("response_type") or "code") != "code":
        raise OAuthError("unsupported_response_type", "Only the code response type is supported.")
    async with state_of(request).db.read() as conn:
        app = await app_by_client_id(conn, params.get_str("client_id") or "")
    if app is None:
        raise OAuthError("invalid_client", "This application is unknown.")
    redirect_uri = check_redirect_uri(app, params.get_str("redirect_uri"))
    scopes = requested_scopes(app, params.get_str("scope") or params.get_str("scopes"))
    # Refuse a challenge we cannot honour before the person types a password.
    check_code_challenge(params.get_str("code_challenge"), params.get_str("code_challenge_method"))
    return app, redirect_uri, scopes


@router.get("/oauth/authorize")
async def authorize_page(request: Request) -> Response:
    state = state_of(request)
    params = await read_params(request)
    try:
        app, _redirect, scopes = await _resolve(request, params)
    except OAuthError as exc:
        return _page("error.html", 400, title=state.settings.title, message=exc.message)
    hidden = [(name, params.get_str(name)) for name in _PASSED_ON if params.get_str(name)]
    return _page(
        "authorize.html",
        app=app,
        scopes=scopes,
        hidden=hidden,
        login="",
        error=None,
        title=state.settings.title,
        domain=state.settings.domain,
    )


@router.post("/oauth/authorize")
async def authorize(request: Request) -> Response:
    state = state_of(request)
    params = await read_params(request)
    try:
        app, redirect_uri, scopes = await _resolve(request, params)
    except OAuthError as exc:
        return _page("error.html", 400, title=state.settings.title, message=exc.message)
    client_state = params.get_str("state")

    def back(values: dict[str, str]) -> Response:
        if client_state:
            values["state"] = client_state
        joiner = "&" if "?" in redirect_uri else "?"
        return RedirectResponse(f"{redirect_uri}{joiner}{urlencode(values)}", status_code=302)

    if params.get_str("decision") == "deny":
        if is_oob(redirect_uri):
            return _page("error.html", 403, title=state.settings.title,
                         message="You denied the application access.")  # fmt: skip
        return back({"error": "access_denied", "error_description": "The user denied access."})

    login = params.get_str("login", "", max_length=320) or ""
    limit = await state.limiter.hit(
        f"login:{login.casefold()}", state.settings.login_attempts_per_5min
    )
    try:
        async with state.db.write() as conn:
            if not limit.allowed:
                raise OAuthError("invalid_grant", "Too many log-in attempts; try again later.")
            password = params.get_str("password", "", max_length=1024) or ""
            account = await authenticate(conn, login, password)
            code = await issue_code(
                conn,
                app,
                account_id=account.id,
                redirect_uri=redirect_uri,
                scopes=scopes,
                code_challenge=params.get_str("code_challenge"),
                code_challenge_method=params.get_str("code_challenge_method"),
            )
    except DomainError as exc:
        if isinstance(exc, OAuthError) and exc.error == "invalid_request":
            return _page("error.html", 400, title=state.settings.title, message=exc.message)
        hidden = [(name, params.get_str(name)) for name in _PASSED_ON if params.get_str(name)]
        return _page(
            "authorize.html",
            401,
            app=app,
            scopes=scopes,
            hidden=hidden,
            login=login,
            error=exc.message,
            title=state.settings.title,
            domain=state.settings.domain,
        )
    if is_oob(redirect_uri):
        return _page("code.html", title=state.settings.title, code=code)
    return back({"code": code})
