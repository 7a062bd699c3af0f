"""Posts (statuses) and the fully loaded view a surface serialises.

The values a page of posts is built from are named tuples, not dataclasses: a page
builds dozens of them and the entity caches hash and compare them, which tuples do in C
(see ADR 8 on the hot read path)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from townsquare.core.clock import as_utc
from townsquare.domain.accounts.models import Account
from townsquare.domain.filters.models import FilterMatch

VISIBILITIES = ("public", "unlisted", "private", "direct")


class Status(NamedTuple):
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
        # positional, in field order: rows of a page are built by the dozen per request
        edited_at = row.edited_at
        return cls(
            row.id,
            row.account_id,
            row.text,
            row.content_html,
            row.spoiler_text,
            row.visibility,
            bool(row.sensitive),
            row.language,
            row.in_reply_to_id,
            row.in_reply_to_account_id,
            row.reblog_of_id,
            row.quote_of_id,
            row.conversation_id,
            row.application_id,
            as_utc(row.created_at),
            as_utc(edited_at) if edited_at else None,
            row.deleted_at is not None,
            max(row.replies_count, 0),
            max(row.reblogs_count, 0),
            max(row.favourites_count, 0),
            max(row.quotes_count, 0),
            row.uri,
            row.url,
            bool(row.local),
            # rows of narrower selects may lack the moderation columns
            getattr(row, "moderation_action", None),
            getattr(row, "moderation_label", None),
        )


class Media(NamedTuple):
    id: int
    type: str
    url: str
    preview_url: str | None
    description: str | None
    meta_json: str
    blurhash: str | None


class Tag(NamedTuple):
    id: int
    name: str


class ViewerFlags(NamedTuple):
    favourited: bool = False
    reblogged: bool = False
    bookmarked: bool = False
    pinned: bool = False


NO_FLAGS = ViewerFlags()


class StatusView(NamedTuple):
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
    flags: ViewerFlags = ViewerFlags()
    reblog: StatusView | None = None
    quote: StatusView | None = None
    quote_state: str | None = None
    shallow_quote: bool = False
    application_name: str | None = None
    application_website: str | None = None
    # for a labelled or warned post, how this viewer sees it: show | warn | hide
    # (``moderation.outcomes.label_presentation``)
    presentation: str | None = None
    # the reader's own filters (filters v2) this post matched in the page's context;
    # set after hydrate by ``domain.filters.apply``, only for readers with filters
    filtered: tuple[FilterMatch, ...] = ()


@dataclass(frozen=True, slots=True)
class Edit:
    """One version of a post in its edit history."""

    text: str
    content_html: str
    spoiler_text: str
    sensitive: bool
    created_at: datetime
