"""Routes whose endpoint takes the request alone and is called without FastAPI's
request handler.

For every request FastAPI's handler gathers telemetry data, describes the endpoint for
error messages, opens two exit stacks for dependencies and resolves the endpoint's
parameters, even when the only one is the ``Request``. On the home timeline that was
about a tenth of a read. A ``DirectRoute`` is still an ``APIRoute`` (it is listed in
the OpenAPI document, matched and dispatched the same way), but its ASGI app builds the
``Request``, awaits the endpoint and sends the response, with the app's exception
handlers around it as for any route, so errors answer exactly as before.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi.routing import APIRoute
from starlette._exception_handler import wrap_app_handling_exceptions
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

Endpoint = Callable[[Request], Awaitable[Response]]


def _takes_request_only(endpoint: Callable[..., Any]) -> bool:
    parameters = list(inspect.signature(endpoint, eval_str=True).parameters.values())
    return len(parameters) == 1 and parameters[0].annotation is Request


def _direct_app(endpoint: Endpoint) -> ASGIApp:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive, send)

        async def respond(scope: Scope, receive: Receive, send: Send) -> None:
            response = await endpoint(request)
            await response(scope, receive, send)

        await wrap_app_handling_exceptions(respond, request)(scope, receive, send)

    return app


class DirectRoute(APIRoute):
    """An API route for an ``async def endpoint(request: Request) -> Response`` with no
    dependencies; anything else is refused when the route is built."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        if self.dependencies or not _takes_request_only(endpoint):
            raise TypeError(f"{path}: a DirectRoute's endpoint takes the Request alone")
        self.app = _direct_app(endpoint)
