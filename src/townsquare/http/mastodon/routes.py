"""Every Mastodon API router, in one list for the app to mount."""

from __future__ import annotations

from fastapi import APIRouter

from townsquare.http.mastodon import accounts, instance

ROUTERS: list[APIRouter] = [
    instance.router,
    accounts.router,
]
