"""Who is calling: the bearer token, its scopes and its account.

Handlers declare what they need with ``Depends(scoped("write:statuses"))`` (a token
with that scope and a signed-in account), ``Depends(scoped("read", user=False))``
(an app token is enough) or ``Depends(optional("read:statuses"))`` (visitors too;
a token, if sent, must hold the scope).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from townsquare.core.errors import DomainError, Forbidden, Unauthorized
from townsquare.domain.accounts.errors import AccountDisabled
from townsquare.domain.accounts.models import Account
from townsquare.domain.auth.models import AccessToken
from townsquare.domain.auth.queries import caller_by_bearer
from townsquare.domain.auth.scopes import grants
from townsquare.domain.auth.usage import note_use
from townsquare.http.state import state_of


class UserRequired(DomainError):
    status = 422

    def __init__(self) -> None:
        super().__init__("This method requires an authenticated user")


@dataclass(frozen=True, slots=True)
class Caller:
    token: AccessToken | None
    account: Account | None

    @property
    def account_id(self) -> int | None:
        return self.account.id if self.account else None

    @property
    def user(self) -> Account:
        if self.account is None:
            raise UserRequired()
        return self.account


ANONYMOUS = Caller(None, None)


def bearer_of(request: Request) -> str | None:
    # the first Authorization header, as request.headers.get gives it, without building
    # the Headers of every request on the busiest path
    header = ""
    for name, raw in request.scope.get("headers") or ():
        if name == b"authorization":
            header = raw.decode("latin-1")
            break
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


async def caller_of(request: Request) -> Caller:
    # request.state keeps its attributes in this dict; reading it here spares the
    # AttributeError that request.state raises for a caller not yet found
    state: dict[str, Any] = request.scope.setdefault("state", {})
    cached: Caller | None = state.get("caller")
    if cached is not None:
        return cached
    bearer = bearer_of(request)
    if bearer is None:
        caller = ANONYMOUS
    else:
        async with state_of(request).db.read() as conn:
            found = await caller_by_bearer(conn, bearer)
        # A token of no app is a browser session (ADR 10): its secret lives in an
        # HttpOnly cookie and is no API credential, whoever got hold of it.
        if found is None or found[0].app_id is None:
            raise Unauthorized()
        caller = Caller(*found)
        await note_use(state_of(request).db, found[0].id)
    state["caller"] = caller
    return caller


# Methods a frozen account's token may still use: it reads, it does not write.
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _check_scope(caller: Caller, scope: str) -> None:
    if caller.token is not None and not grants(caller.token.scopes, scope):
        raise Forbidden("This action is outside the authorized scopes")


def _check_not_frozen(request: Request, caller: Caller) -> None:
    frozen = caller.account is not None and caller.account.disabled
    if frozen and request.method not in READING_METHODS:
        raise AccountDisabled()


def scoped(scope: str, *, user: bool = True) -> Callable[[Request], Awaitable[Caller]]:
    async def dependency(request: Request) -> Caller:
        caller = await caller_of(request)
        if caller.token is None:
            raise Unauthorized()
        _check_scope(caller, scope)
        if user and caller.account is None:
            raise UserRequired()
        _check_not_frozen(request, caller)
        return caller

    return dependency


def optional(scope: str) -> Callable[[Request], Awaitable[Caller]]:
    async def dependency(request: Request) -> Caller:
        caller = await caller_of(request)
        _check_scope(caller, scope)
        _check_not_frozen(request, caller)
        return caller

    return dependency
