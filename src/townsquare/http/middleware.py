"""ASGI middleware: trailing slashes, rate-limit headers and security headers."""

from __future__ import annotations

import math
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from townsquare.http.responses import error_response
from townsquare.http.state import AppState


class StripTrailingSlash:
    """Route ``/api/v1/instance/`` like ``/api/v1/instance`` without a redirect: clients
    (Mastodon.py among them) call some paths with a slash, and POSTs must not bounce."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            if len(path) > 1 and path.endswith("/"):
                scope = dict(scope)
                scope["path"] = path.rstrip("/") or "/"
                raw = scope.get("raw_path")
                if isinstance(raw, bytes):
                    scope["raw_path"] = raw.rstrip(b"/") or b"/"
        await self.app(scope, receive, send)


ADDRESS_FACTOR = 5


class RateLimitHeaders:
    """Count API calls per token (or per address for visitors) in 5-minute windows."""

    def __init__(self, app: ASGIApp, state: AppState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(("/api/", "/oauth/")):
            await self.app(scope, receive, send)
            return
        auth = ""
        for name, value in scope.get("headers") or ():
            if name == b"authorization":  # the last one wins, as in a dict of them
                auth = value.decode("latin-1")
        client = scope.get("client") or ("unknown", 0)
        limit = self.state.settings.rate_limit_per_5min
        # Every address also has an allowance of its own, larger than a token's: sending
        # a new made-up token with each request must not buy a fresh allowance.
        if auth:
            by_address = await self.state.limiter.hit(f"ipt:{client[0]}", limit * ADDRESS_FACTOR)
            by_token = await self.state.limiter.hit(f"t:{auth[-24:]}", limit)
            allowance = by_token if by_address.allowed else by_address
        else:
            allowance = await self.state.limiter.hit(f"ip:{client[0]}", limit)
        if not allowance.allowed:
            wait = max(1, math.ceil(allowance.reset_at - time.time()))
            headers = {**allowance.headers(), "Retry-After": str(wait)}
            response = error_response("Too many requests", 429, headers=headers)
            await response(scope, receive, send)
            return

        extra = allowance.header_pairs()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                for name, value in (
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                ):
                    if name not in names:
                        headers.append((name, value))
                if b"content-security-policy" not in names:
                    headers.append(
                        (
                            b"content-security-policy",
                            b"default-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
                            b"form-action 'self'; img-src 'self' data:; style-src 'self'; "
                            b"script-src 'self'; font-src 'self'; connect-src 'self'",
                        )
                    )
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
