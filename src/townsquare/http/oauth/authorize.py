"""The authorisation page: consent, and hand the code back (PKCE S256).

It is a page of the web app: its layout, interface language and CSRF check. A browser
with a web session consents for that account without a password; otherwise the page
asks for the account's credentials itself, so an app can send a person here who has
never used the web app. A redirect URI of ``urn:ietf:wg:oauth:2.0:oob`` shows the code
on the page instead of redirecting.
"""

from __future__ import annotations

from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from townsquare.core.errors import DomainError
from townsquare.domain.accounts.actions import authenticate
from townsquare.domain.accounts.errors import AccountFrozen
from townsquare.domain.accounts.models import Account
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
from townsquare.http.web.errors import error_page
from townsquare.http.web.messages import N_
from townsquare.http.web.pages.common import web_router
from townsquare.http.web.session import checked_form, spend_form_allowance, viewer_of
from townsquare.http.web.templating import page

router = web_router()
_PASSED_ON = ("response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge",
              "code_challenge_method", "lang")  # fmt: skip
# The web's policy, except that the form's answer may redirect to the app's own URI
# (browsers hold redirects after a form post to form-action).
_PAGE_CSP = (
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self' *; "
    "img-src 'self' data:; style-src 'self'; script-src 'self'; font-src 'self'; "
    "connect-src 'self'"
)
# Asks for the credentials form even when the browser is signed in.
_OTHER_ACCOUNT = "other_account"

# The refusals a person meets on this page, marked so the Urdu catalogue carries them.
MARKED = (
    N_("Only the code response type is supported."),
    N_("This application is unknown."),
    N_("The redirect uri included is not valid."),
    N_("The requested scope is invalid, unknown, or malformed."),
    N_("A code challenge method needs a code challenge."),
    N_("Only the S256 code challenge method is supported."),
    N_("The code challenge is malformed."),
)


class _Request:
    """A valid authorisation request: the app, where to send the answer, what it asks."""

    def __init__(self, params: Params, app: App, redirect_uri: str, scopes: list[str]) -> None:
        self.params = params
        self.app = app
        self.redirect_uri = redirect_uri
        self.scopes = scopes
        self.hidden = [(name, params.get_str(name) or "") for name in _PASSED_ON
                       if params.get_str(name)]  # fmt: skip

    @property
    def query(self) -> str:
        return urlencode(self.hidden)


async def _resolve(request: Request, params: Params) -> _Request:
    if (params.get_str("response_type") or "code") != "code":
        raise OAuthError("unsupported_response_type", "Only the code response type is supported.")
    async with state_of(request).db.read() as conn:
        app = await app_by_client_id(conn, params.get_str("client_id") or "")
    if app is None:
        raise OAuthError("invalid_client", "This application is unknown.")
    redirect_uri = check_redirect_uri(app, params.get_str("redirect_uri"))
    scopes = requested_scopes(app, params.get_str("scope") or params.get_str("scopes"))
    # Refuse a challenge we cannot honour before the person is asked anything.
    check_code_challenge(params.get_str("code_challenge"), params.get_str("code_challenge_method"))
    return _Request(params, app, redirect_uri, scopes)


def _secured(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = _PAGE_CSP
    return response


async def _refused(request: Request, exc: OAuthError) -> Response:
    # Never redirected: the redirect URI itself may be what is wrong.
    return _secured(await error_page(request, 400, exc.message))


async def _consent_page(
    request: Request,
    asked: _Request,
    status: int = 200,
    *,
    account: Account | None,
    login: str = "",
    error: str | None = None,
) -> Response:
    query = asked.query
    return _secured(
        await page(
            request,
            "oauth_authorize.html",
            status,
            app=asked.app,
            scopes=asked.scopes,
            hidden=asked.hidden,
            account=account,
            login=login,
            error=error,
            another_account=f"/oauth/authorize?{query}&{_OTHER_ACCOUNT}=1",
            full_path=f"/oauth/authorize?{query}",
        )
    )


@router.get("/oauth/authorize")
async def authorize_page(request: Request) -> Response:
    params = await read_params(request)
    try:
        asked = await _resolve(request, params)
    except OAuthError as exc:
        return await _refused(request, exc)
    viewer = await viewer_of(request)
    account = None if params.get_str(_OTHER_ACCOUNT) else viewer.account
    return await _consent_page(request, asked, account=account)


@router.post("/oauth/authorize")
async def authorize(request: Request) -> Response:
    # The CSRF check comes first: a forged form learns nothing about the request.
    # The password path counts against the log-in limit below instead of the web's;
    # a frozen account may still deny, and its consent is refused below.
    params = await checked_form(request, refused_in_action=True, limited_in_action=True)
    try:
        asked = await _resolve(request, params)
    except OAuthError as exc:
        return await _refused(request, exc)
    if params.get_str("decision") == "deny":
        if is_oob(asked.redirect_uri):
            return _secured(
                await error_page(request, 403, N_("You denied the application access."))
            )
        return _back(
            asked, {"error": "access_denied", "error_description": "The user denied access."}
        )
    if params.get_str("login") is not None or params.get_str("password") is not None:
        return await _with_password(request, asked, params)
    return await _with_session(request, asked, params)


async def _with_session(request: Request, asked: _Request, params: Params) -> Response:
    viewer = await viewer_of(request)
    account = viewer.account
    if account is None:
        # The session ended since the page was shown: ask for the credentials instead.
        return await _consent_page(
            request, asked, 401, account=None, error=N_("Log in to authorize this application.")
        )
    if params.get_str("account") != str(account.id):
        # Another account signed in on this browser since the page was shown; show
        # which one will be authorised before anything is granted.
        return await _consent_page(
            request, asked, 409, account=account,
            error=N_("You are now logged in as another account. Check and authorize again."),
        )  # fmt: skip
    if account.disabled:
        raise AccountFrozen()
    await spend_form_allowance(request)
    async with state_of(request).db.write() as conn:
        code = await _issue(conn, asked, account)
    return await _answer(request, asked, code)


async def _with_password(request: Request, asked: _Request, params: Params) -> Response:
    state = state_of(request)
    login = (params.get_str("login", "", max_length=320) or "").strip()
    password = params.get_str("password", "", max_length=1024) or ""
    attempts = state.settings.login_attempts_per_5min
    client = request.client.host if request.client else "unknown"
    # The web sign-in's limits and keys: one allowance per name and per address,
    # whichever page the password is typed on.
    by_login = await state.limiter.hit(f"weblogin:{login.casefold()}", attempts)
    by_address = await state.limiter.hit(f"weblogin-ip:{client}", attempts * 5)
    if not (by_login.allowed and by_address.allowed):
        return await _consent_page(
            request, asked, 429, account=None, login=login,
            error=N_("Too many log-in attempts; try again in a few minutes."),
        )  # fmt: skip
    try:
        async with state.db.write() as conn:
            account = await authenticate(conn, login, password)
            code = await _issue(conn, asked, account)
    except DomainError as exc:
        if isinstance(exc, OAuthError) and exc.error == "invalid_request":
            return await _refused(request, exc)
        return await _consent_page(
            request, asked, 401, account=None, login=login, error=exc.message
        )
    return await _answer(request, asked, code)


async def _issue(conn: AsyncConnection, asked: _Request, account: Account) -> str:
    return await issue_code(
        conn,
        asked.app,
        account_id=account.id,
        redirect_uri=asked.redirect_uri,
        scopes=asked.scopes,
        code_challenge=asked.params.get_str("code_challenge"),
        code_challenge_method=asked.params.get_str("code_challenge_method"),
    )


async def _answer(request: Request, asked: _Request, code: str) -> Response:
    if is_oob(asked.redirect_uri):
        return _secured(await page(request, "oauth_code.html", code=code))
    return _back(asked, {"code": code})


def _back(asked: _Request, values: dict[str, str]) -> Response:
    client_state = asked.params.get_str("state")
    if client_state:
        values["state"] = client_state
    joiner = "&" if "?" in asked.redirect_uri else "?"
    location = f"{asked.redirect_uri}{joiner}{urlencode(values)}"
    return RedirectResponse(location, status_code=302)
