"""Writes to posts: create (post, reply, quote), edit, delete, repost and undo.

Each action checks the rules, writes the post and everything that follows from it
(mentions, tags, counters, notifications, jobs) in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import regex
from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import utcnow
from townsquare.core.errors import Forbidden, NotFound, ValidationFailed
from townsquare.core.ids import new_id
from townsquare.core.text import hashtags, mentioned_usernames, render_html, status_length
from townsquare.domain.accounts.models import Account
from townsquare.domain.accounts.queries import account_by_username, get_account
from townsquare.domain.common.site import Site
from townsquare.domain.notifications.actions import notify, withdraw
from townsquare.domain.posts.models import VISIBILITIES, Status
from townsquare.domain.posts.queries import own_status, visible_status
from townsquare.domain.posts.tags import ensure_tags
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


def _invalid(message: str, field_name: str = "text") -> ValidationFailed:
    return ValidationFailed(f"Validation failed: {message}", details={field_name: ["ERR_INVALID"]})


def normalise_language(language: str | None) -> str | None:
    if language is None or not language.strip():
        return None
    match = _LANGUAGE.match(language.strip())
    if not match:
        raise _invalid("Language is not a valid ISO 639 code", "language")
    return match.group(1).lower()


def check_text(site: Site, text: str, spoiler_text: str, has_media: bool) -> None:
    if not text.strip() and not has_media:
        raise _invalid("Text can't be blank")
    if status_length(text) + status_length(spoiler_text) > site.max_status_chars:
        raise _invalid(f"Text character limit of {site.max_status_chars} exceeded")
    if len(spoiler_text) > MAX_SPOILER * 4:
        raise _invalid("Content warning is too long", "spoiler_text")
    if "\x00" in text or "\x00" in spoiler_text:
        raise _invalid("Text contains a NUL character")


async def _resolve_mentions(
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


def _render(site: Site, text: str, found: dict[tuple[str, str], Account]) -> str:
    def mention_url(username: str, domain: str) -> str | None:
        account = found.get((username.lower(), domain.lower()))
        return site.profile_url(account.acct) if account else None

    return render_html(text, mention_url=mention_url, tag_url=site.tag_url)


async def _check_media(conn: AsyncConnection, author_id: int, media_ids: Sequence[int]) -> None:
    if len(media_ids) > MAX_MEDIA:
        raise _invalid("You can attach at most 4 files", "media_ids")
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
        raise _invalid("Media attachment not found or already used", "media_ids")


async def create_post(
    conn: AsyncConnection,
    site: Site,
    author: Account,
    draft: Draft,
    *,
    default_visibility: str = "public",
) -> Status:
    if draft.idempotency_key:
        existing = await conn.scalar(
            select(idempotency_keys.c.status_id).where(
                idempotency_keys.c.account_id == author.id,
                idempotency_keys.c.key == draft.idempotency_key[:255],
            )
        )
        if existing is not None:
            return await own_status(conn, author.id, existing)

    visibility = draft.visibility or default_visibility
    if visibility not in VISIBILITIES:
        raise _invalid("Visibility must be public, unlisted, private or direct", "visibility")
    media_ids = list(dict.fromkeys(draft.media_ids))
    check_text(site, draft.text, draft.spoiler_text, bool(media_ids))
    await _check_media(conn, author.id, media_ids)
    language = normalise_language(draft.language)

    parent: Status | None = None
    if draft.in_reply_to_id is not None:
        parent = await visible_status(conn, author.id, draft.in_reply_to_id)
        if parent.reblog_of_id:
            raise _invalid("Cannot reply to a repost", "in_reply_to_id")
    quoted: Status | None = None
    if draft.quote_of_id is not None:
        quoted = await visible_status(conn, author.id, draft.quote_of_id)
        if quoted.reblog_of_id:
            quoted = await visible_status(conn, author.id, quoted.reblog_of_id)
        if quoted.visibility not in ("public", "unlisted") and quoted.account_id != author.id:
            raise Forbidden("Only public posts can be quoted")

    mentioned, found = await _resolve_mentions(conn, site, draft.text)
    # Replying speaks to the parent's author, even without typing their name.
    if (
        parent is not None
        and parent.account_id != author.id
        and all(a.id != parent.account_id for a in mentioned)
    ):
        mentioned.append(await get_account(conn, parent.account_id))

    status_id = new_id()
    now = utcnow()
    sensitive = bool(draft.sensitive) or bool(draft.spoiler_text.strip())
    await conn.execute(
        statuses.insert().values(
            id=status_id,
            account_id=author.id,
            text=draft.text,
            content_html=_render(site, draft.text, found),
            spoiler_text=draft.spoiler_text.strip(),
            visibility=visibility,
            sensitive=sensitive,
            language=language,
            in_reply_to_id=parent.id if parent else None,
            in_reply_to_account_id=parent.account_id if parent else None,
            quote_of_id=quoted.id if quoted else None,
            conversation_id=(parent.conversation_id or parent.id) if parent else status_id,
            application_id=draft.application_id,
            created_at=now,
            uri=site.status_uri(author.username, status_id),
            url=site.status_url(author.username, status_id),
            local=True,
        )
    )
    if draft.idempotency_key:
        try:
            async with conn.begin_nested():
                await conn.execute(
                    idempotency_keys.insert().values(
                        account_id=author.id,
                        key=draft.idempotency_key[:255],
                        status_id=status_id,
                        created_at=now,
                    )
                )
        except IntegrityError:
            pass  # a concurrent request with the same key; ours still stands
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

    await conn.execute(
        update(accounts)
        .where(accounts.c.id == author.id)
        .values(statuses_count=accounts.c.statuses_count + 1, last_status_at=now)
    )
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
    return await own_status(conn, author.id, status_id)


async def edit_post(
    conn: AsyncConnection,
    site: Site,
    author: Account,
    status_id: int,
    *,
    text: str,
    spoiler_text: str | None = None,
    sensitive: bool | None = None,
    language: str | None = None,
    media_ids: Sequence[int] | None = None,
) -> Status:
    post = await own_status(conn, author.id, status_id)
    if post.reblog_of_id:
        raise NotFound()
    spoiler = post.spoiler_text if spoiler_text is None else spoiler_text.strip()
    current_media = list(
        (
            await conn.execute(
                select(media_attachments.c.id).where(media_attachments.c.status_id == post.id)
            )
        ).scalars()
    )
    check_text(site, text, spoiler, bool(current_media if media_ids is None else media_ids))
    new_language = normalise_language(language) if language is not None else post.language
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
    mentioned, found = await _resolve_mentions(conn, site, text)
    await conn.execute(
        update(statuses)
        .where(statuses.c.id == post.id)
        .values(
            text=text,
            content_html=_render(site, text, found),
            spoiler_text=spoiler,
            sensitive=(post.sensitive if sensitive is None else sensitive) or bool(spoiler),
            language=new_language,
            edited_at=now,
        )
    )
    if media_ids is not None:
        wanted = list(dict.fromkeys(media_ids))
        new_media = [m for m in wanted if m not in current_media]
        await _check_media(conn, author.id, new_media)
        if len(wanted) > MAX_MEDIA:
            raise _invalid("You can attach at most 4 files", "media_ids")
        await conn.execute(
            update(media_attachments)
            .where(media_attachments.c.status_id == post.id, media_attachments.c.id.not_in(wanted))
            .values(status_id=None)
        )
        if new_media:
            await conn.execute(
                update(media_attachments)
                .where(media_attachments.c.id.in_(new_media))
                .values(status_id=post.id)
            )
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
    tag_rows = await ensure_tags(conn, hashtags(text))
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
    return await own_status(conn, author.id, post.id)


async def delete_post(conn: AsyncConnection, author: Account, status_id: int) -> Status:
    """Delete one's own post (or repost); its reposts and notifications go with it."""
    post = await own_status(conn, author.id, status_id)
    if post.reblog_of_id:
        return await _remove_reblog(conn, author, post)
    now = utcnow()
    await conn.execute(update(statuses).where(statuses.c.id == post.id).values(deleted_at=now))
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
            await _decrement_statuses_count(conn, reblog.account_id)
    await _decrement_statuses_count(conn, author.id)
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
    return post


async def _decrement_statuses_count(conn: AsyncConnection, account_id: int) -> None:
    await conn.execute(
        update(accounts)
        .where(accounts.c.id == account_id, accounts.c.statuses_count > 0)
        .values(statuses_count=accounts.c.statuses_count - 1)
    )


async def reblog(
    conn: AsyncConnection, site: Site, account: Account, status_id: int, visibility: str = "public"
) -> Status:
    """Repost a post; reposting twice returns the first repost."""
    target = await visible_status(conn, account.id, status_id)
    if target.reblog_of_id:
        target = await visible_status(conn, account.id, target.reblog_of_id)
    if target.visibility in ("private", "direct"):
        raise Forbidden("This post cannot be reposted")
    if visibility not in VISIBILITIES or visibility == "direct":
        raise _invalid("Visibility must be public, unlisted or private", "visibility")
    existing = (
        await conn.execute(
            select(statuses).where(
                statuses.c.account_id == account.id,
                statuses.c.reblog_of_id == target.id,
                statuses.c.deleted_at.is_(None),
            )
        )
    ).first()
    if existing is not None:
        return Status.from_row(existing)
    reblog_id = new_id()
    now = utcnow()
    try:
        async with conn.begin_nested():
            await conn.execute(
                statuses.insert().values(
                    id=reblog_id,
                    account_id=account.id,
                    visibility=visibility,
                    reblog_of_id=target.id,
                    created_at=now,
                    uri=f"{site.status_uri(account.username, reblog_id)}/activity",
                    local=True,
                )
            )
    except IntegrityError:
        row = (
            await conn.execute(
                select(statuses).where(
                    and_(
                        statuses.c.account_id == account.id,
                        statuses.c.reblog_of_id == target.id,
                        statuses.c.deleted_at.is_(None),
                    )
                )
            )
        ).one()
        return Status.from_row(row)
    await conn.execute(
        update(statuses)
        .where(statuses.c.id == target.id)
        .values(reblogs_count=statuses.c.reblogs_count + 1)
    )
    await conn.execute(
        update(accounts)
        .where(accounts.c.id == account.id)
        .values(statuses_count=accounts.c.statuses_count + 1, last_status_at=now)
    )
    await notify(
        conn,
        recipient_id=target.account_id,
        actor_id=account.id,
        type="reblog",
        status_id=target.id,
    )
    return await own_status(conn, account.id, reblog_id)


async def unreblog(conn: AsyncConnection, account: Account, status_id: int) -> Status:
    """Undo a repost of ``status_id``; returns the post that was reposted."""
    target = await visible_status(conn, account.id, status_id)
    if target.reblog_of_id:
        target = await visible_status(conn, account.id, target.reblog_of_id)
    row = (
        await conn.execute(
            select(statuses).where(
                statuses.c.account_id == account.id,
                statuses.c.reblog_of_id == target.id,
                statuses.c.deleted_at.is_(None),
            )
        )
    ).first()
    if row is not None:
        await _remove_reblog(conn, account, Status.from_row(row))
    return await visible_status(conn, account.id, target.id)


async def _remove_reblog(conn: AsyncConnection, account: Account, post: Status) -> Status:
    await conn.execute(update(statuses).where(statuses.c.id == post.id).values(deleted_at=utcnow()))
    await _decrement_statuses_count(conn, account.id)
    if post.reblog_of_id is not None:
        await conn.execute(
            update(statuses)
            .where(statuses.c.id == post.reblog_of_id, statuses.c.reblogs_count > 0)
            .values(reblogs_count=statuses.c.reblogs_count - 1)
        )
        await withdraw(conn, actor_id=account.id, type="reblog", status_id=post.reblog_of_id)
    return post
