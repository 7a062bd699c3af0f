"""Instance information: /api/v1/instance, /api/v2/instance and their companions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from townsquare import __version__
from townsquare.domain.accounts.models import Account
from townsquare.domain.instance.queries import instance_stats
from townsquare.domain.media.limits import MAX_BYTES, MAX_DESCRIPTION, MAX_PIXELS, SUPPORTED_TYPES
from townsquare.domain.posts.drafts import MAX_MEDIA
from townsquare.http.auth import Caller, caller_of
from townsquare.http.mastodon.entities.account import account_entity
from townsquare.http.responses import json_response
from townsquare.http.state import AppState, state_of

router = APIRouter(tags=["instance"])

MASTODON_COMPATIBLE = "4.3.0"
API_VERSION = 6


def version_string() -> str:
    # Clients parse the part before the first space as the Mastodon version.
    return f"{MASTODON_COMPATIBLE} (compatible; townsquare {__version__})"


def _rules(state: AppState) -> list[dict[str, str]]:
    return [
        {"id": str(i), "text": text, "hint": ""}
        for i, text in enumerate(state.settings.rules, start=1)
    ]


def _configuration(state: AppState) -> dict[str, Any]:
    return {
        "urls": {"streaming": None, "status": None, "about": f"{state.site.base_url}/about"},
        "vapid": {"public_key": ""},
        "accounts": {"max_featured_tags": 10, "max_pinned_statuses": 5},
        "statuses": {
            "max_characters": state.settings.max_status_chars,
            "max_media_attachments": MAX_MEDIA,
            "characters_reserved_per_url": 23,
        },
        "media_attachments": {
            # images only: clients that honour the list offer no video to upload
            "supported_mime_types": list(SUPPORTED_TYPES),
            "description_limit": MAX_DESCRIPTION,
            "image_size_limit": MAX_BYTES,
            "image_matrix_limit": MAX_PIXELS,
            "video_size_limit": 103_809_024,
            "video_frame_rate_limit": 120,
            "video_matrix_limit": 8_294_400,
        },
        "polls": {
            "max_options": 4,
            "max_characters_per_option": 50,
            "min_expiration": 300,
            "max_expiration": 2_629_746,
        },
        "translation": {"enabled": False},
        "limited_federation": False,
    }


async def _stats(state: AppState) -> tuple[int, int, Account | None]:
    async with state.db.read() as conn:
        stats = await instance_stats(conn)
    return stats.users, stats.posts, stats.contact


@router.get("/api/v2/instance")
async def instance_v2(request: Request, _caller: Caller = Depends(caller_of)) -> Response:
    state = state_of(request)
    settings = state.settings
    users, _posts, contact = await _stats(state)
    return json_response(
        {
            "domain": settings.domain,
            "title": settings.title,
            "version": version_string(),
            "source_url": f"{state.site.base_url}/about",
            "description": settings.description,
            "usage": {"users": {"active_month": users}},
            "thumbnail": {"url": f"{state.site.base_url}/static/thumbnail.png"},
            "icon": [],
            "languages": ["en", "ur"],
            "configuration": _configuration(state),
            "registrations": {
                "enabled": settings.registrations_open,
                "approval_required": settings.approval_required,
                "message": None,
                "url": None,
            },
            "api_versions": {"mastodon": API_VERSION},
            "contact": {
                "email": settings.contact_email,
                "account": account_entity(state.site, contact) if contact else None,
            },
            "rules": _rules(state),
        }
    )


@router.get("/api/v1/instance")
async def instance_v1(request: Request, _caller: Caller = Depends(caller_of)) -> Response:
    state = state_of(request)
    settings = state.settings
    users, posts, contact = await _stats(state)
    configuration = _configuration(state)
    return json_response(
        {
            "uri": settings.domain,
            "title": settings.title,
            "short_description": settings.description,
            "description": settings.description,
            "email": settings.contact_email,
            "version": version_string(),
            # Clients expect a string here; with no streaming server they fall back to
            # polling when the socket does not open.
            "urls": {"streaming_api": state.site.base_url.replace("http", "ws", 1)},
            "stats": {"user_count": users, "status_count": posts, "domain_count": 0},
            "thumbnail": None,
            "languages": ["en", "ur"],
            "registrations": settings.registrations_open,
            "approval_required": settings.approval_required,
            "invites_enabled": False,
            "configuration": {
                "accounts": configuration["accounts"],
                "statuses": configuration["statuses"],
                "media_attachments": configuration["media_attachments"],
                "polls": configuration["polls"],
            },
            "contact_account": account_entity(state.site, contact) if contact else None,
            "rules": _rules(state),
        }
    )


@router.get("/api/v1/instance/rules")
async def instance_rules(request: Request) -> Response:
    return json_response(_rules(state_of(request)))


@router.get("/api/v1/instance/peers")
async def instance_peers() -> Response:
    return json_response([])


@router.get("/api/v1/instance/activity")
async def instance_activity() -> Response:
    return json_response([])


@router.get("/api/v1/instance/extended_description")
async def extended_description(request: Request) -> Response:
    return json_response({"updated_at": None, "content": state_of(request).settings.description})
