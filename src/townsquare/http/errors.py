"""Every failure answers as Mastodon does: ``{"error": "..."}`` with the right status."""

from __future__ import annotations

import logging

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import DomainError, RateLimited, Unavailable
from townsquare.domain.auth.actions import OAuthError
from townsquare.http.responses import error_response

log = logging.getLogger("townsquare.http")

_HTTP_MESSAGES = {
    404: "Record not found",
    405: "Method not allowed",
    413: "Request entity too large",
}


def _challenge(error: str) -> dict[str, str]:
    """RFC 6750 3: a 401 says which scheme it wants and what was wrong."""
    return {"WWW-Authenticate": f'Bearer realm="townsquare", error="{error}"'}


async def _domain_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    if isinstance(exc, OAuthError):
        headers = _challenge(exc.error) if exc.status == 401 else None
        return error_response(exc.error, exc.status, description=exc.message, headers=headers)
    headers = None
    if isinstance(exc, Unavailable):
        log.warning("database unavailable: %s", exc.__cause__)
    if isinstance(exc, RateLimited | Unavailable):
        headers = {"Retry-After": str(exc.retry_after)}
    elif exc.status == 401:
        headers = _challenge("invalid_token")
    return error_response(exc.message, exc.status, headers=headers, details=exc.details or None)


async def _http_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = _HTTP_MESSAGES.get(exc.status_code) or str(exc.detail)
    return error_response(message, exc.status_code, headers=exc.headers)


async def _validation_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("path", "query", "body"))
    message = f"Validation failed: {where} {first.get('msg', 'is invalid')}".strip()
    return error_response(message, 422)


async def _unexpected(_request: Request, exc: Exception) -> Response:
    log.exception("unhandled error", exc_info=exc)
    return error_response("Internal server error", 500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
