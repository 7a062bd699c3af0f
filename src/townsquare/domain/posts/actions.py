"""Writes to posts: create (post, reply, quote), edit and delete (reposts: ``reblogs``).

Each action checks the rules, writes the post and everything that follows from it
(mentions, tags, counters, notifications, jobs) in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import as_utc, utcnow
from townsquare.core.errors import NotFound
from townsquare.core.ids import new_id
from townsquare.core.text import hashtags
from townsquare.domain.accounts.access import ensure_can_act
from townsquare.domain.accounts.models import Account
from townsquare.domain.accounts.queries import get_account
from townsquare.domain.common.site import Site
from townsquare.domain.languages.detection import detect_language
from townsquare.domain.media.actions import MediaChange, change_attached, schedule_removal
from townsquare.domain.moderation.actions import moderate_post
from townsquare.domain.notifications.actions import notify
from townsquare.domain.posts.drafts import (
    MAX_MEDIA,
    check_media,
    check_text,
    invalid,
    normalise_language,
    quoted_post,
    render,
    reply_parent,
    resolve_mentions,
)
from townsquare.domain.posts.drafts import Draft as Draft  # the type callers build
from townsquare.domain.posts.models import VISIBILITIES, Status
from townsquare.domain.posts.queries import own_status
from townsquare.domain.posts.reblogs import decrement_statuses_count, remove_reblog
from townsquare.domain.posts.tags import ensure_tags
from townsquare.domain.search.index import schedule_status
from townsquare.domain.timelines.feeds import fan_out
from townsquare.domain.trends.recording import schedule_post
from townsquare.domain.trends.withdrawal import schedule_deletion
from townsquare.storage.jobs import enqueue
from townsquare.storage.schema import (
    accounts,
    idempotency_keys,
    media_attachments,
    mentions,
    notifications,
    pins,
    status_edits,
    status_tags,
    statuses,
)

MAX_IDEMPOTENCY_KEY = 255
# As Mastodon: a retry with the same key within this time returns the first post.
IDEMPOTENCY_WINDOW = timedelta(hours=1)


def _moderated_text(spoiler_text: str, text: str) -> str:
    """What moderation reads; evidence offsets are into this (the text alone, or the
    content warning, a newline and the text)."""
    return f"{spoiler_text.strip()}\n{text}" if spoiler_text.strip() else text


async def _idempotent_post(conn: AsyncConnection, author_id: int, key: str) -> Status | None:
    """The post an earlier request with this key made, if it is recent and still there."""
    row = (
        await conn.execute(
            select(idempotency_keys.c.status_id, idempotency_keys.c.created_at).where(
                idempotency_keys.c.account_id == author_id, idempotency_keys.c.key == key
            )
        )
    ).first()
    if row is None:
        return None
    if as_utc(row.created_at) > utcnow() - IDEMPOTENCY_WINDOW:
        try:
            return await own_status(conn, author_id, row.status_id)
        except NotFound:
            pass  # deleted since: the key is free again
    await conn.execute(
        delete(idempotency_keys).where(
            idempotency_keys.c.account_id == author_id, idempotency_keys.c.key == key
        )
    )
    return None


# Statement objects built once and run with parameters: SQLAlchemy then finds their
# compiled form without building a statement and its cache key for every post.
_INSERT_POST = statuses.insert()
_COUNT_POST = (
    update(accounts)
    .where(accounts.c.id == bindparam("author_id"))
    .values(
        statuses_count=accounts.c.statuses_count + 1,
        last_status_at=bindparam("now", type_=accounts.c.last_status_at.type),
    )
)


async def _insert_with_key(
    conn: AsyncConnection, author_id: int, key: str, row: dict[str, Any], now: datetime
) -> Status | None:
    """Insert the post and its idempotency key together; None when they went in, or the
    post that won when a concurrent request with the same key got there first."""
    try:
        # a concurrent request with the same key fails here and undoes its post
        async with conn.begin_nested():
            await conn.execute(_INSERT_POST, row)
            await conn.execute(
                idempotency_keys.insert().values(
                    account_id=author_id, key=key, status_id=row["id"], created_at=now
                )
            )
    except IntegrityError:
        winner = await _idempotent_post(conn, author_id, key)
        if winner is None:
            raise
        return winner
    return None


async def create_post(
    conn: AsyncConnection,
    site: Site,
    author: Account,
    draft: Draft,
    *,
    default_visibility: str = "public",
) -> Status:
    """Publish a post. With an idempotency key, a retry returns the first post instead."""
    ensure_can_act(author)
    key = draft.idempotency_key[:MAX_IDEMPOTENCY_KEY] if draft.idempotency_key else None
    if key:
        earlier = await _idempotent_post(conn, author.id, key)
        if earlier is not None:
            return earlier

    visibility = draft.visibility or default_visibility
    if visibility not in VISIBILITIES:
        raise invalid("Visibility must be public, unlisted, private or direct", "visibility")
    media_ids = list(dict.fromkeys(draft.media_ids))
    check_text(site, draft.text, draft.spoiler_text, bool(media_ids))
    await check_media(conn, author.id, media_ids)
    # The client's language wins; otherwise the detector's, or none when it is unsure.
    language = normalise_language(draft.language) or detect_language(
        f"{draft.spoiler_text}\n{draft.text}", site.languages
    )

    parent = (
        None
        if draft.in_reply_to_id is None
        else await reply_parent(conn, author, draft.in_reply_to_id)
    )
    quoted = (
        None if draft.quote_of_id is None else await quoted_post(conn, author, draft.quote_of_id)
    )

    mentioned, found = await resolve_mentions(conn, site, draft.text)
    # Replying speaks to the parent's author, even without typing their name.
    if (
        parent is not None
        and parent.account_id != author.id
        and all(a.id != parent.account_id for a in mentioned)
    ):
        mentioned.append(await get_account(conn, parent.account_id))
    if quoted is not None:
        if quoted.visibility == "private" and visibility in ("public", "unlisted"):
            visibility = "private"  # a quote never shows a post to more people than it had
        if (
            visibility == "direct"
            and quoted.account_id != author.id
            and all(a.id != quoted.account_id for a in mentioned)
        ):
            raise invalid("A private mention must mention the author it quotes", "visibility")

    status_id = new_id()
    now = utcnow()
    # a moderator's "mark sensitive" applies to everything the account posts from then on
    sensitive = bool(draft.sensitive) or bool(draft.spoiler_text.strip()) or author.sensitized
    row = {
        "id": status_id,
        "account_id": author.id,
        "text": draft.text,
        "content_html": render(site, draft.text, found),
        "spoiler_text": draft.spoiler_text.strip(),
        "visibility": visibility,
        "sensitive": sensitive,
        "language": language,
        "in_reply_to_id": parent.id if parent else None,
        "in_reply_to_account_id": parent.account_id if parent else None,
        "quote_of_id": quoted.id if quoted else None,
        "conversation_id": (parent.conversation_id or parent.id) if parent else status_id,
        "application_id": draft.application_id,
        "created_at": now,
        "uri": site.status_uri(author.username, status_id),
        "url": site.status_url(author.username, status_id),
        "local": True,
    }
    if not key:
        # nothing can collide: no savepoint (two statements more) is needed
        await conn.execute(_INSERT_POST, row)
    else:
        winner = await _insert_with_key(conn, author.id, key, row, now)
        if winner is not None:
            return winner
    if media_ids:
        await conn.execute(
            update(media_attachments)
            .where(media_attachments.c.id.in_(media_ids))
            .values(status_id=status_id)
        )
    if mentioned:
        await conn.execute(
            mentions.insert(), [{"status_id": status_id, "account_id": a.id} for a in mentioned]
        )
    tag_rows = await ensure_tags(conn, hashtags(draft.text))
    if tag_rows:
        await conn.execute(
            status_tags.insert(), [{"status_id": status_id, "tag_id": t.id} for t in tag_rows]
        )

    await conn.execute(_COUNT_POST, {"author_id": author.id, "now": now})
    if parent is not None:
        await conn.execute(
            update(statuses)
            .where(statuses.c.id == parent.id)
            .values(replies_count=statuses.c.replies_count + 1)
        )
    if quoted is not None:
        await conn.execute(
            update(statuses)
            .where(statuses.c.id == quoted.id)
            .values(quotes_count=statuses.c.quotes_count + 1)
        )
        await notify(
            conn, recipient_id=quoted.account_id, actor_id=author.id, type="quote",
            status_id=status_id,
        )  # fmt: skip
    for account in mentioned:
        await notify(
            conn, recipient_id=account.id, actor_id=author.id, type="mention", status_id=status_id
        )
    if visibility in ("public", "unlisted", "private") and parent is None:
        # Followers who asked to hear about every post: possibly many, so a job.
        await enqueue(conn, "notify_subscribers", {"status_id": status_id})
    await schedule_status(conn, status_id)
    await schedule_post(conn, status_id, visibility)
    await moderate_post(
        conn, site.moderation_policy, status_id, _moderated_text(draft.spoiler_text, draft.text),
        language, draft.stance, new_post_by=author.id,
    )  # fmt: skip
    await fan_out(conn, status_id, author.id)
    return await own_status(conn, author.id, status_id)


async def edit_post(
    conn: AsyncConnection,
    site: Site,
    author: Account,
    status_id: int,
    *,
    text: str | None = None,
    spoiler_text: str | None = None,
    sensitive: bool | None = None,
    language: str | None = None,
    media_ids: Sequence[int] | None = None,
    media_changes: Sequence[MediaChange] = (),
) -> Status:
    """Change one's own post; None leaves a part as it is. The version replaced is kept
    for the edit history; an edit that changes nothing records nothing."""
    post = await own_status(conn, author.id, status_id)
    if post.reblog_of_id:
        raise NotFound()
    new_text = post.text if text is None else text
    spoiler = post.spoiler_text if spoiler_text is None else spoiler_text.strip()
    current_media = list(
        (
            await conn.execute(
                select(media_attachments.c.id)
                .where(media_attachments.c.status_id == post.id)
                .order_by(media_attachments.c.id)
            )
        ).scalars()
    )
    wanted_media = current_media if media_ids is None else list(dict.fromkeys(media_ids))
    if len(wanted_media) > MAX_MEDIA:
        raise invalid("You can attach at most 4 files", "media_ids")
    check_text(site, new_text, spoiler, bool(wanted_media))
    added_media = [m for m in wanted_media if m not in current_media]
    await check_media(conn, author.id, added_media)
    new_language = normalise_language(language) if language is not None else post.language
    if language is None and (new_text, spoiler) != (post.text, post.spoiler_text):
        # New words may be in another language; an unsure detector keeps the old one.
        new_language = detect_language(f"{spoiler}\n{new_text}", site.languages) or new_language
    new_sensitive = (
        (post.sensitive if sensitive is None else sensitive) or bool(spoiler) or author.sensitized
    )
    media_changed = await change_attached(conn, wanted_media, media_changes)
    if not media_changed and (
        new_text,
        spoiler,
        new_sensitive,
        new_language,
        set(wanted_media),
    ) == (
        post.text,
        post.spoiler_text,
        post.sensitive,
        post.language,
        set(current_media),
    ):
        return post

    now = utcnow()
    # Keep the version being replaced (the original, on the first edit).
    await conn.execute(
        status_edits.insert().values(
            id=new_id(),
            status_id=post.id,
            text=post.text,
            content_html=post.content_html,
            spoiler_text=post.spoiler_text,
            sensitive=post.sensitive,
            created_at=post.edited_at or post.created_at,
        )
    )
    mentioned, found = await resolve_mentions(conn, site, new_text)
    await conn.execute(
        update(statuses)
        .where(statuses.c.id == post.id)
        .values(
            text=new_text,
            content_html=render(site, new_text, found),
            spoiler_text=spoiler,
            sensitive=new_sensitive,
            language=new_language,
            edited_at=now,
        )
    )
    if media_ids is not None:
        await conn.execute(
            update(media_attachments)
            .where(
                media_attachments.c.status_id == post.id,
                media_attachments.c.id.not_in(wanted_media),
            )
            .values(status_id=None)
        )
        if added_media:
            await conn.execute(
                update(media_attachments)
                .where(media_attachments.c.id.in_(added_media))
                .values(status_id=post.id)
            )
        # taken off the post: kept a day in case it goes back on, as any upload is
        await schedule_removal(conn, [m for m in current_media if m not in wanted_media])
    old_mentions = set(
        (await conn.execute(select(mentions.c.account_id).where(mentions.c.status_id == post.id)))
        .scalars()
        .all()
    )
    # the implicit mention of the parent's author survives edits
    keep = {i for i in old_mentions if i == post.in_reply_to_account_id}
    new_mentions = {a.id for a in mentioned} | keep
    for added in new_mentions - old_mentions:
        await conn.execute(mentions.insert().values(status_id=post.id, account_id=added))
        await notify(
            conn, recipient_id=added, actor_id=author.id, type="mention", status_id=post.id
        )
    removed = old_mentions - new_mentions
    if removed:
        await conn.execute(
            delete(mentions).where(
                mentions.c.status_id == post.id, mentions.c.account_id.in_(removed)
            )
        )
    await conn.execute(delete(status_tags).where(status_tags.c.status_id == post.id))
    tag_rows = await ensure_tags(conn, hashtags(new_text))
    if tag_rows:
        await conn.execute(
            status_tags.insert(), [{"status_id": post.id, "tag_id": t.id} for t in tag_rows]
        )
    # People who reposted or quoted it hear that it changed.
    rows = await conn.execute(
        select(statuses.c.account_id)
        .where(
            (statuses.c.reblog_of_id == post.id) | (statuses.c.quote_of_id == post.id),
            statuses.c.deleted_at.is_(None),
        )
        .distinct()
    )
    for row in rows:
        await notify(conn, recipient_id=row.account_id, actor_id=author.id, type="update",
                     status_id=post.id)  # fmt: skip
    await schedule_status(conn, post.id)
    await schedule_post(conn, post.id, post.visibility)  # tags and links it gained
    await moderate_post(
        conn, site.moderation_policy, post.id, _moderated_text(spoiler, new_text), new_language
    )
    return await own_status(conn, author.id, post.id)


async def delete_post(
    conn: AsyncConnection, author: Account, status_id: int, *, keep_media: bool = True
) -> Status:
    """Delete one's own post (or repost); its reposts and notifications go with it.

    With ``keep_media`` its attachments are let go rather than deleted, so a client can
    attach them to a new post ("delete and redraft").
    """
    post = await own_status(conn, author.id, status_id)
    if post.reblog_of_id:
        return await remove_reblog(conn, author, post)
    now = utcnow()
    await conn.execute(update(statuses).where(statuses.c.id == post.id).values(deleted_at=now))
    await schedule_deletion(conn, post)
    media_ids = list(
        (
            await conn.execute(
                select(media_attachments.c.id).where(media_attachments.c.status_id == post.id)
            )
        ).scalars()
    )
    if keep_media and media_ids:
        await conn.execute(
            update(media_attachments)
            .where(media_attachments.c.status_id == post.id)
            .values(status_id=None)
        )
    # let go, they are kept a day for a redraft; deleted with the post, they go now
    await schedule_removal(conn, media_ids, at=None if keep_media else utcnow())
    reblogs = (
        await conn.execute(
            select(statuses.c.id, statuses.c.account_id).where(
                statuses.c.reblog_of_id == post.id, statuses.c.deleted_at.is_(None)
            )
        )
    ).all()
    if reblogs:
        await conn.execute(
            update(statuses)
            .where(statuses.c.id.in_([r.id for r in reblogs]))
            .values(deleted_at=now)
        )
        for reblog in reblogs:
            await decrement_statuses_count(conn, reblog.account_id)
    await decrement_statuses_count(conn, author.id)
    if post.in_reply_to_id is not None:
        await conn.execute(
            update(statuses)
            .where(statuses.c.id == post.in_reply_to_id, statuses.c.replies_count > 0)
            .values(replies_count=statuses.c.replies_count - 1)
        )
    if post.quote_of_id is not None:
        await conn.execute(
            update(statuses)
            .where(statuses.c.id == post.quote_of_id, statuses.c.quotes_count > 0)
            .values(quotes_count=statuses.c.quotes_count - 1)
        )
    await conn.execute(delete(pins).where(pins.c.status_id == post.id))
    await conn.execute(
        delete(notifications).where(
            notifications.c.status_id.in_([post.id, *[r.id for r in reblogs]])
        )
    )
    await schedule_status(conn, post.id)
    return post
