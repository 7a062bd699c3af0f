"""Failures on web pages answer with a page a person can read, never JSON or a trace."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from townsquare.core.errors import DomainError, NotFound, RateLimited
from townsquare.http.web.session import SignInRequired
from townsquare.http.web.templating import page

log = logging.getLogger("townsquare.web")


def readable(message: str) -> str:
    """Domain messages are written for API clients; drop their machine prefix."""
    return message.removeprefix("Validation failed: ")


async def error_page(request: Request, status: int, message: str) -> Response:
    return await page(request, "error.html", status=status, message=message, status_code=status)


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
