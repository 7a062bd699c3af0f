"""Status entity (with Mastodon 4.5 quotes), built from a loaded StatusView."""

from __future__ import annotations

import html
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import orjson

from townsquare.domain.common.site import Site
from townsquare.domain.posts.models import Edit, Media, Status, StatusView
from townsquare.http.mastodon.entities.account import ENTITY_CACHE_SIZE, account_entity
from townsquare.http.mastodon.entities.common import iso
from townsquare.http.mastodon.entities.filter import filter_result_entity


def media_entity(media: Media) -> dict[str, Any]:
    return {
        "id": str(media.id),
        "type": media.type,
        "url": media.url,
        "preview_url": media.preview_url or media.url,
        "remote_url": None,
        "meta": orjson.loads(media.meta_json or "{}"),
        "description": media.description,
        "blurhash": media.blurhash,
    }


def quote_entity(site: Site, view: StatusView) -> dict[str, Any] | None:
    """Quote (with the quoted post) or, for a post itself shown as a quote, ShallowQuote."""
    if view.quote_state is None:
        return None
    accepted = view.quote_state == "accepted"
    if view.shallow_quote:
        quoted_id = view.status.quote_of_id
        return {
            "state": view.quote_state,
            "quoted_status_id": str(quoted_id) if accepted and quoted_id else None,
        }
    return {
        "state": view.quote_state,
        "quoted_status": status_entity(site, view.quote) if view.quote is not None else None,
    }


def _content(view: StatusView) -> str:
    post = view.status
    if post.reblog_of_id is not None:
        return ""
    quoted_url = view.quote.status.url if view.quote is not None else None
    if quoted_url and quoted_url not in post.text:
        # Clients that know nothing of quotes still see what is quoted; Mastodon 4.5
        # marks this line so that clients that do show quotes can hide it.
        link = html.escape(quoted_url, quote=True)
        shown = html.escape(quoted_url.split("://", 1)[-1])
        return f'<p class="quote-inline">RE: <a href="{link}">{shown}</a></p>' + post.content_html
    return post.content_html


# Where clients that know Mastodon's filters show a warning: every timeline context.
_FILTER_CONTEXTS = ["home", "notifications", "public", "thread", "account"]


def _moderation_filtered(view: StatusView) -> list[dict[str, Any]]:
    """A label or warning the viewer wants warned or hidden, as a Mastodon FilterResult,
    so that existing apps put the post behind their own click-through (or hide it)."""
    if view.presentation not in ("warn", "hide"):
        return []
    label = view.status.moderation_label
    return [
        {
            "filter": {
                "id": f"moderation-{label or 'warning'}",
                "title": f"Moderation: {label}" if label else "Moderation warning",
                "context": _FILTER_CONTEXTS,
                "expires_at": None,
                "filter_action": view.presentation,
                "keywords": [],
                "statuses": [],
            },
            "keyword_matches": None,
            "status_matches": [str(view.status.id)],
        }
    ]


def _moderation_extension(site: Site, view: StatusView) -> dict[str, Any] | None:
    """Our extension field ``townsquare_moderation``: the post's moderation state
    (labelled, warned, downranked, held, removed), its label, how this viewer sees it,
    and where the policy behind it is explained; null for a post moderation left alone."""
    post = view.status
    if post.moderation_action is None and post.moderation_label is None:
        return None
    return {
        "state": post.moderation_action,
        "label": post.moderation_label,
        "presentation": view.presentation,
        "policy_url": f"{site.base_url}/about/policy",
    }


def status_entity(site: Site, view: StatusView, *, with_source: bool = False) -> dict[str, Any]:
    """The Status entity; remembered like accounts (a StatusView holds the counters and
    the viewer's flags, so any change to either is a different key). Do not change it."""
    entity = _status_entity(site, view)
    return {**entity, "text": view.status.text} if with_source else entity


def statuses_json(site: Site, views: list[StatusView]) -> bytes:
    """A JSON array of Status entities, joined from each post's encoding remembered with
    its entity: a page of posts seen before is not encoded again."""
    encoded = _encoder(site)
    return b"[" + b",".join([encoded(view) for view in views]) + b"]"


# One remembered encoding per site, keyed by the view alone: hashing the Site (a
# dataclass, hashed in Python) for each post of a page cost more than the look-up.
# A view met again as the same object (hydrate shares the views of plain posts) is
# found by its identity first, which spares hashing every field of the view, its post
# and its author on each read; the memo holds its views, so their ids stay theirs.
@lru_cache(maxsize=4)
def _encoder(site: Site) -> Callable[[StatusView], bytes]:
    by_identity: OrderedDict[int, tuple[StatusView, bytes]] = OrderedDict()

    @lru_cache(maxsize=ENTITY_CACHE_SIZE)
    def by_value(view: StatusView) -> bytes:
        return orjson.dumps(_status_entity(site, view))

    def encoded(view: StatusView) -> bytes:
        found = by_identity.get(id(view))
        if found is not None and found[0] is view:
            return found[1]
        data = by_value(view)
        by_identity[id(view)] = (view, data)
        if len(by_identity) > ENTITY_CACHE_SIZE:
            by_identity.popitem(last=False)
        return data

    return encoded


@lru_cache(maxsize=ENTITY_CACHE_SIZE)
def _status_entity(site: Site, view: StatusView) -> dict[str, Any]:
    post = view.status
    account = account_entity(site, view.account)
    reblog = status_entity(site, view.reblog) if view.reblog is not None else None
    entity: dict[str, Any] = {
        "id": str(post.id),
        "uri": post.uri or site.status_uri(view.account.username, post.id),
        "url": post.url if post.reblog_of_id is None else None,
        "created_at": iso(post.created_at),
        "edited_at": iso(post.edited_at),
        "account": account,
        "content": _content(view),
        "visibility": post.visibility,
        "sensitive": post.sensitive,
        "spoiler_text": post.spoiler_text,
        "media_attachments": [media_entity(m) for m in view.media],
        "application": (
            {"name": view.application_name, "website": view.application_website}
            if view.application_name
            else None
        ),
        "mentions": [
            {
                "id": str(m.id),
                "username": m.username,
                "url": site.profile_url(m.acct),
                "acct": m.acct,
            }
            for m in view.mentions
        ],
        "tags": [{"name": t.name, "url": site.tag_url(t.name)} for t in view.tags],
        "emojis": [],
        "reblogs_count": post.reblogs_count,
        "favourites_count": post.favourites_count,
        "replies_count": post.replies_count,
        "quotes_count": post.quotes_count,
        "in_reply_to_id": str(post.in_reply_to_id) if post.in_reply_to_id else None,
        "in_reply_to_account_id": (
            str(post.in_reply_to_account_id) if post.in_reply_to_account_id else None
        ),
        "reblog": reblog,
        "poll": None,
        "card": None,
        "language": post.language,
        "favourited": view.flags.favourited,
        "reblogged": view.flags.reblogged,
        "muted": False,
        "bookmarked": view.flags.bookmarked,
        "pinned": view.flags.pinned,
        "filtered": _moderation_filtered(view)
        + [filter_result_entity(match) for match in view.filtered],
        "quote": quote_entity(site, view),
        "quote_approval": {
            "automatic": ["public"] if post.visibility in ("public", "unlisted") else [],
            "manual": [],
            "current_user": "automatic" if post.visibility in ("public", "unlisted") else "denied",
        },
        "townsquare_moderation": _moderation_extension(site, view),
    }
    return entity


def context_entity(
    site: Site, ancestors: list[StatusView], descendants: list[StatusView]
) -> dict[str, Any]:
    return {
        "ancestors": [status_entity(site, view) for view in ancestors],
        "descendants": [status_entity(site, view) for view in descendants],
    }


def status_edit_entity(site: Site, version: Edit, view: StatusView) -> dict[str, Any]:
    """One version of a post (StatusEdit). Attachments and quote are the current ones:
    earlier versions of those are not kept."""
    entity: dict[str, Any] = {
        "content": version.content_html,
        "spoiler_text": version.spoiler_text,
        "sensitive": version.sensitive,
        "created_at": iso(version.created_at),
        "account": account_entity(site, view.account),
        "poll": None,
        "media_attachments": [media_entity(m) for m in view.media],
        "emojis": [],
    }
    if view.quote_state is not None:
        quoted_id = view.status.quote_of_id
        entity["quote"] = {
            "state": view.quote_state,
            "quoted_status_id": str(quoted_id) if view.quote_state == "accepted" else None,
        }
    return entity


def status_source_entity(post: Status) -> dict[str, Any]:
    return {"id": str(post.id), "text": post.text, "spoiler_text": post.spoiler_text}
