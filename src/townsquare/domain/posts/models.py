"""Posts (statuses) and the fully loaded view a surface serialises."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from townsquare.core.clock import as_utc
from townsquare.domain.accounts.models import Account

VISIBILITIES = ("public", "unlisted", "private", "direct")


@dataclass(frozen=True, slots=True)
class Status:
    id: int
    account_id: int
    text: str
    content_html: str
    spoiler_text: str
    visibility: str
    sensitive: bool
    language: str | None
    in_reply_to_id: int | None
    in_reply_to_account_id: int | None
    reblog_of_id: int | None
    quote_of_id: int | None
    conversation_id: int | None
    application_id: int | None
    created_at: datetime
    edited_at: datetime | None
    deleted: bool
    replies_count: int
    reblogs_count: int
    favourites_count: int
    quotes_count: int
    uri: str | None
    url: str | None
    local: bool
    # statuses.moderation_action / moderation_label (ADR 12): NULL, labelled, warned,
    # downranked, held or removed, and the label a rule gave
    moderation_action: str | None = None
    moderation_label: str | None = None

    @classmethod
    def from_row(cls, row: Any) -> Status:
        mapping = getattr(row, "_mapping", {})
        return cls(
            id=row.id,
            account_id=row.account_id,
            text=row.text,
            content_html=row.content_html,
            spoiler_text=row.spoiler_text,
            visibility=row.visibility,
            sensitive=bool(row.sensitive),
            language=row.language,
            in_reply_to_id=row.in_reply_to_id,
            in_reply_to_account_id=row.in_reply_to_account_id,
            reblog_of_id=row.reblog_of_id,
            quote_of_id=row.quote_of_id,
            conversation_id=row.conversation_id,
            application_id=row.application_id,
            created_at=as_utc(row.created_at),
            edited_at=as_utc(row.edited_at) if row.edited_at else None,
            deleted=row.deleted_at is not None,
            replies_count=max(row.replies_count, 0),
            reblogs_count=max(row.reblogs_count, 0),
            favourites_count=max(row.favourites_count, 0),
            quotes_count=max(row.quotes_count, 0),
            uri=row.uri,
            url=row.url,
            local=bool(row.local),
            moderation_action=mapping.get("moderation_action"),
            moderation_label=mapping.get("moderation_label"),
        )


@dataclass(frozen=True, slots=True)
class Media:
    id: int
    type: str
    url: str
    preview_url: str | None
    description: str | None
    meta_json: str
    blurhash: str | None


@dataclass(frozen=True, slots=True)
class Tag:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class ViewerFlags:
    favourited: bool = False
    reblogged: bool = False
    bookmarked: bool = False
    pinned: bool = False


@dataclass(frozen=True, slots=True)
class StatusView:
    """A post with everything a surface shows about it, for one viewer.

    ``quote_state`` follows Mastodon 4.5: "accepted" when the quoted post is shown,
    "deleted" or "unauthorized" when it is gone or hidden from this viewer. A post
    that is itself shown as a quote carries only the state and id of what it quotes
    (``shallow_quote``), as Mastodon nests quotes one level deep.
    """

    status: Status
    account: Account
    mentions: tuple[Account, ...] = ()
    tags: tuple[Tag, ...] = ()
    media: tuple[Media, ...] = ()
    flags: ViewerFlags = field(default_factory=ViewerFlags)
    reblog: StatusView | None = None
    quote: StatusView | None = None
    quote_state: str | None = None
    shallow_quote: bool = False
    application_name: str | None = None
    application_website: str | None = None


@dataclass(frozen=True, slots=True)
class Edit:
    """One version of a post in its edit history."""

    text: str
    content_html: str
    spoiler_text: str
    sensitive: bool
    created_at: datetime
