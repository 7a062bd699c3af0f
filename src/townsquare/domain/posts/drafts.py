"""A draft post and the checks it must pass before anything is written: text and
length, language, attachments, mentions, and what it replies to or quotes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import regex
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.errors import Forbidden, NotFound, ValidationFailed
from townsquare.core.text import mentioned_usernames, render_html, status_length
from townsquare.domain.accounts.models import Account
from townsquare.domain.accounts.queries import account_by_username
from townsquare.domain.common.site import Site
from townsquare.domain.posts.models import Status
from townsquare.domain.posts.queries import visible_original, visible_status
from townsquare.storage.schema import media_attachments

MAX_SPOILER = 500
MAX_MEDIA = 4
_LANGUAGE = regex.compile(r"^([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]{1,8})*$")


@dataclass(frozen=True, slots=True)
class Draft:
    text: str = ""
    spoiler_text: str = ""
    visibility: str | None = None
    sensitive: bool | None = None
    language: str | None = None
    in_reply_to_id: int | None = None
    quote_of_id: int | None = None
    media_ids: Sequence[int] = field(default_factory=tuple)
    application_id: int | None = None
    idempotency_key: str | None = None
    # the author's own account of their stance towards what they mention (moderation)
    stance: str | None = None


def invalid(message: str, field_name: str = "text") -> ValidationFailed:
    return ValidationFailed(f"Validation failed: {message}", details={field_name: ["ERR_INVALID"]})


def normalise_language(language: str | None) -> str | None:
    if language is None or not language.strip():
        return None
    match = _LANGUAGE.match(language.strip())
    if not match:
        raise invalid("Language is not a valid ISO 639 code", "language")
    return match.group(1).lower()


def check_text(site: Site, text: str, spoiler_text: str, has_media: bool) -> None:
    if not text.strip() and not has_media:
        raise invalid("Text can't be blank")
    if status_length(text) + status_length(spoiler_text) > site.max_status_chars:
        raise invalid(f"Text character limit of {site.max_status_chars} exceeded")
    if len(spoiler_text) > MAX_SPOILER * 4:
        raise invalid("Content warning is too long", "spoiler_text")
    if "\x00" in text or "\x00" in spoiler_text:
        raise invalid("Text contains a NUL character")


async def resolve_mentions(
    conn: AsyncConnection, site: Site, text: str
) -> tuple[list[Account], dict[tuple[str, str], Account]]:
    found: dict[tuple[str, str], Account] = {}
    for username, domain in mentioned_usernames(text):
        local = domain in ("", site.domain.lower())
        account = await account_by_username(conn, username, "" if local else domain)
        if account is not None and not account.suspended:
            found[(username.lower(), domain)] = account
    unique = list({a.id: a for a in found.values()}.values())
    return unique, found


def render(site: Site, text: str, found: dict[tuple[str, str], Account]) -> str:
    def mention_url(username: str, domain: str) -> str | None:
        account = found.get((username.lower(), domain.lower()))
        return site.profile_url(account.acct) if account else None

    return render_html(text, mention_url=mention_url, tag_url=site.tag_url)


async def check_media(conn: AsyncConnection, author_id: int, media_ids: Sequence[int]) -> None:
    if len(media_ids) > MAX_MEDIA:
        raise invalid("You can attach at most 4 files", "media_ids")
    if not media_ids:
        return
    owned = await conn.scalar(
        select(func.count())
        .select_from(media_attachments)
        .where(
            media_attachments.c.id.in_(list(media_ids)),
            media_attachments.c.account_id == author_id,
            media_attachments.c.status_id.is_(None),
        )
    )
    if owned != len(set(media_ids)):
        raise invalid("Media attachment not found or already used", "media_ids")


async def reply_parent(conn: AsyncConnection, author: Account, status_id: int) -> Status:
    try:
        parent = await visible_status(conn, author.id, status_id)
    except NotFound:
        raise NotFound("The post you are trying to reply to does not appear to exist") from None
    if parent.reblog_of_id:
        raise invalid("Cannot reply to a repost", "in_reply_to_id")
    return parent


async def quoted_post(conn: AsyncConnection, author: Account, status_id: int) -> Status:
    """The post to quote. Anyone may quote public and unlisted posts; authors may also
    quote their own followers-only posts; nobody quotes a private mention."""
    try:
        quoted = await visible_original(conn, author.id, status_id)
    except NotFound:
        raise NotFound("The post you are trying to quote does not appear to exist") from None
    own = quoted.account_id == author.id
    if quoted.visibility == "direct" or (quoted.visibility == "private" and not own):
        raise Forbidden("This post cannot be quoted")
    return quoted
