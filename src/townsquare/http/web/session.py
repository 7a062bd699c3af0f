"""Who is looking: the session cookie, the CSRF cookie and the interface language.

``viewer_of(request)`` is read once per request and kept on ``request.state``.
"""

from __future__ import annotations

import hmac
import math
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import DomainError, RateLimited
from townsquare.domain.accounts.errors import AccountFrozen
from townsquare.domain.accounts.models import Account, UserSettings
from townsquare.domain.accounts.queries import user_settings
from townsquare.domain.auth.sessions import SESSION_LIFETIME, live_session
from townsquare.domain.auth.usage import note_use
from townsquare.domain.moderation.appeals import Strike, freeze_strike
from townsquare.domain.notifications.queries import unread_count
from townsquare.http.params import Params, read_params
from townsquare.http.state import state_of
from townsquare.http.web.i18n import LANGUAGE_COOKIE, Interface, choose, interface

SESSION_COOKIE = "ts_session"
CSRF_COOKIE = "ts_csrf"
CSRF_FIELD = "csrf_token"
THEME_COOKIE = "ts_theme"
THEMES = ("light", "dark")


class FormExpired(DomainError):
    """The CSRF check failed: the form is stale, forged, or came from another site."""

    status = 403

    def __init__(self) -> None:
        super().__init__(
            "This form has expired or did not come from this site. "
            "Go back, reload the page and try again."
        )


class TooManyForms(RateLimited):
    def __init__(self, retry_after: int) -> None:
        super().__init__(
            "You have sent a great many forms in a few minutes. Nothing was saved: "
            "wait a few minutes and try again.",
            retry_after=retry_after,
        )


class SignInRequired(DomainError):
    status = 401

    def __init__(self) -> None:
        super().__init__("Log in to do that.")


@dataclass(frozen=True, slots=True)
class Viewer:
    account: Account | None
    settings: UserSettings | None
    ui: Interface
    csrf: str
    # set when this request made the CSRF secret, so the response must store it
    new_csrf: bool
    unread_notifications: int = 0
    # for a frozen account, the strike that froze it (shown on every page)
    freeze: Strike | None = None

    @property
    def frozen(self) -> bool:
        return self.account is not None and self.account.disabled

    @property
    def id(self) -> int | None:
        return self.account.id if self.account else None

    @property
    def user(self) -> Account:
        if self.account is None:
            raise SignInRequired()
        return self.account


async def viewer_of(request: Request) -> Viewer:
    cached: Viewer | None = getattr(request.state, "viewer", None)
    if cached is not None:
        return cached
    account = None
    session = None
    settings = None
    unread = 0
    freeze = None
    secret = request.cookies.get(SESSION_COOKIE)
    if secret and len(secret) < 100:
        db = state_of(request).db
        async with db.read() as conn:
            session = await live_session(conn, secret)
            if session is not None:
                account = session[1]
                settings = await user_settings(conn, account.id)
                unread = await unread_count(conn, account)
                if account.disabled:
                    freeze = await freeze_strike(conn, account.id)
        if session is not None:
            await note_use(db, session[0])
    viewer = _viewer(request, account, settings, unread, freeze)
    request.state.viewer = viewer
    return viewer


def signed_out_viewer(request: Request) -> Viewer:
    """The viewer as the request alone tells it, read without the database: for the
    page that says the database cannot be reached."""
    return _viewer(request, None, None, 0, None)


def _viewer(
    request: Request,
    account: Account | None,
    settings: UserSettings | None,
    unread: int,
    freeze: Strike | None,
) -> Viewer:
    language = choose(
        request.cookies.get(LANGUAGE_COOKIE),
        settings.locale if settings else None,
        request.headers.get("accept-language", ""),
    )
    csrf = request.cookies.get(CSRF_COOKIE, "")
    new_csrf = len(csrf) < 32 or len(csrf) > 64
    if new_csrf:
        csrf = secrets.token_urlsafe(32)
    return Viewer(account, settings, interface(language), csrf, new_csrf, unread, freeze)


def _secure(request: Request) -> bool:
    return state_of(request).settings.url_scheme == "https"


def store_csrf(request: Request, response: Response, viewer: Viewer) -> None:
    if viewer.new_csrf:
        response.set_cookie(
            CSRF_COOKIE, viewer.csrf, httponly=True, samesite="lax", secure=_secure(request)
        )


def store_session(request: Request, response: Response, secret: str, *, remember: bool) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=int(SESSION_LIFETIME.total_seconds()) if remember else None,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )


def clear_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax")


def _same_origin(request: Request) -> bool:
    """A browser names the page a form came from; another site's is refused."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    parts = urlsplit(origin)
    return parts.netloc.lower() == state_of(request).settings.domain


async def checked_form(
    request: Request, *, refused_in_action: bool = False, limited_in_action: bool = False
) -> Params:
    """The form of a POST whose CSRF token matches this browser's cookie, within the
    rate limit of web forms. A frozen account's form is refused here, unless it is one
    a frozen account may send or ``refused_in_action`` (the domain action refuses it,
    and the page shows why beside what was typed); ``limited_in_action``: the handler
    calls ``spend_form_allowance`` itself, to answer beside what was typed."""
    params = await read_params(request)
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = params.get_str(CSRF_FIELD, "", max_length=200) or ""
    if not _same_origin(request) or not cookie or not hmac.compare_digest(cookie, sent):
        raise FormExpired()
    if not limited_in_action and request.url.path not in _OWN_LIMITS:
        await spend_form_allowance(request)
    if refused_in_action or _frozen_may_post(request.url.path):
        return params
    if (await viewer_of(request)).frozen:
        raise AccountFrozen()
    return params


# Sign-up and log-in count against limits of their own (per address, per name);
# signing out is never refused.
_OWN_LIMITS = frozenset({"/auth/sign_up", "/auth/sign_in", "/auth/sign_out"})


async def spend_form_allowance(request: Request) -> None:
    """Count one form post against the web's limit: per account when signed in (one
    person's browsers share it), per address for visitors. Raises ``TooManyForms``
    once the window's allowance is spent."""
    state = state_of(request)
    viewer = await viewer_of(request)
    if viewer.id is not None:
        key = f"webform:{viewer.id}"
    else:
        key = f"webform-ip:{request.client.host if request.client else 'unknown'}"
    allowance = await state.limiter.hit(key, state.settings.web_forms_per_5min)
    if not allowance.allowed:
        raise TooManyForms(retry_after=max(1, math.ceil(allowance.reset_at - time.time())))


def _frozen_may_post(path: str) -> bool:
    """What a frozen account may still send: its appeal, signing out, and the
    language and theme of the pages it reads."""
    if path in ("/auth/sign_out", "/auth/sign_in", "/settings/language", "/settings/theme"):
        return True
    parts = path.split("/")
    return len(parts) == 5 and parts[1:3] == ["settings", "strikes"] and parts[4] == "appeal"


def theme_of(request: Request) -> str | None:
    """A theme chosen in settings ("light" or "dark"); None follows the system."""
    theme = request.cookies.get(THEME_COOKIE)
    return theme if theme in THEMES else None


def safe_next(value: str | None, default: str = "/home") -> str:
    """A path on this site to go back to; anything else (another host) is ignored."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    return value
