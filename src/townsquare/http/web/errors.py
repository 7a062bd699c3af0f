"""Failures on web pages answer with a page a person can read, never JSON or a trace."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from townsquare.core.errors import DomainError, NotFound, RateLimited, Unavailable
from townsquare.http.web.session import SignInRequired, signed_out_viewer, store_csrf
from townsquare.http.web.templating import page, render

log = logging.getLogger("townsquare.web")


def readable(message: str) -> str:
    """Domain messages are written for API clients; drop their machine prefix."""
    return message.removeprefix("Validation failed: ")


async def error_page(request: Request, status: int, message: str) -> Response:
    return await page(request, "error.html", status=status, message=message, status_code=status)


def unavailable_page(request: Request, retry_after: int) -> Response:
    """The database cannot answer: a page drawn without it (as signed out), saying so."""
    message = "This server cannot reach its database just now. Try again in a moment."
    viewer = signed_out_viewer(request)
    html = render(viewer, request, "error.html", message=message, status_code=503)
    response = HTMLResponse(html, status_code=503)
    response.headers["Retry-After"] = str(retry_after)
    response.headers["Cache-Control"] = "no-store"
    store_csrf(request, response, viewer)
    return response


class WebRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except SignInRequired:
                target = request.url.path if request.method == "GET" else "/home"
                return RedirectResponse(f"/auth/sign_in?next={target}", status_code=303)
            except NotFound:
                return await error_page(request, 404, "That page does not exist, or is hidden.")
            except Unavailable as exc:
                log.warning("database unavailable: %s", exc.__cause__)
                return unavailable_page(request, exc.retry_after)
            except RateLimited as exc:
                response = await error_page(request, 429, readable(exc.message))
                response.headers["Retry-After"] = str(exc.retry_after)
                return response
            except DomainError as exc:
                return await error_page(request, exc.status, readable(exc.message))
            except HTTPException as exc:
                return await error_page(request, exc.status_code, str(exc.detail))
            except Exception:
                log.exception("web page failed")
                return await error_page(request, 500, "Something went wrong on our side.")

        return guarded
