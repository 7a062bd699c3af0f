"""What every request handler can reach: the database, settings and site."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from townsquare.config import Settings
from townsquare.domain.common.site import Site
from townsquare.http.ratelimit import RateLimiter
from townsquare.storage.database import Database


@dataclass(frozen=True, slots=True)
class AppState:
    settings: Settings
    db: Database
    site: Site
    limiter: RateLimiter


def state_of(request: Request) -> AppState:
    state: AppState = request.app.state.townsquare
    return state
