"""What Mastodon apps ask for when they start, answered truthfully.

Features townsquare does not have yet (custom emoji, announcements, conversations,
suggestions, endorsements,
domain blocks, scheduled posts, Web Push) answer as Mastodon does when there is
nothing to show: an empty list, or 404 for the single push subscription. Each still
demands the scope Mastodon demands, so an app that works here works there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import NotFound, Unauthorized
from townsquare.domain.accounts.queries import user_settings
from townsquare.http.auth import Caller, UserRequired, caller_of, scoped
from townsquare.http.responses import json_response
from townsquare.http.state import state_of

router = APIRouter(tags=["startup"])


async def _signed_in(request: Request) -> Caller:
    """A user's token with any scope (Mastodon's ``require_user!`` alone)."""
    caller = await caller_of(request)
    if caller.token is None:
        raise Unauthorized()
    if caller.account is None:
        raise UserRequired()
    return caller


def _empty_list(path: str, dependency: Callable[[Request], Awaitable[Caller]] | None) -> None:
    dependencies = [Depends(dependency)] if dependency is not None else []

    async def answer() -> Response:
        return json_response([])

    router.add_api_route(
        path,
        answer,
        methods=["GET"],
        dependencies=dependencies,
        name=path.removeprefix("/api/").replace("/", "_"),
    )


for _path, _dependency in (
    ("/api/v1/custom_emojis", None),
    ("/api/v1/announcements", _signed_in),
    ("/api/v1/conversations", scoped("read:statuses")),
    ("/api/v1/suggestions", scoped("read")),
    ("/api/v2/suggestions", scoped("read")),
    ("/api/v1/endorsements", scoped("read:accounts")),
    ("/api/v1/domain_blocks", scoped("read:blocks")),
    ("/api/v1/scheduled_statuses", scoped("read:statuses")),
):
    _empty_list(_path, _dependency)


@router.get("/api/v1/preferences")
async def preferences(
    request: Request, caller: Caller = Depends(scoped("read:accounts"))
) -> Response:
    async with state_of(request).db.read() as conn:
        settings = await user_settings(conn, caller.user.id)
    return json_response(
        {
            "posting:default:visibility": settings.default_visibility,
            "posting:default:sensitive": settings.default_sensitive,
            "posting:default:language": settings.default_language,
            "reading:expand:media": "default",
            "reading:expand:spoilers": False,
        }
    )


@router.get("/api/v1/push/subscription")
async def push_subscription(_caller: Caller = Depends(scoped("push"))) -> Response:
    raise NotFound()
