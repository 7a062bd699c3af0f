"""Reads of posts, always through the visibility guard, and their loading for display."""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Mapping, Sequence, Set
from functools import cache
from typing import Any

from sqlalchemy import (
    Select,
    and_,
    bindparam,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import as_utc
from townsquare.core.errors import NotFound
from townsquare.domain.accounts.models import Account
from townsquare.domain.accounts.queries import accounts_by_ids
from townsquare.domain.common.paging import Page, newest_first, paginate
from townsquare.domain.moderation.outcomes import label_choices, label_presentation
from townsquare.domain.posts.attachments import Attachments, attachments_of
from townsquare.domain.posts.models import NO_FLAGS, Edit, Status, StatusView, ViewerFlags
from townsquare.domain.posts.remembered import CHANGING, remembered_posts
from townsquare.domain.visibility.access import VIEWER, can_see, not_muted
from townsquare.storage.prepared import Prepared, in_ids
from townsquare.storage.schema import (
    bookmarks,
    favourites,
    oauth_apps,
    pins,
    status_edits,
    statuses,
)

NO_ATTACHMENTS = Attachments()

# Threads longer than this are cut; it bounds the work one request can cause.
MAX_THREAD_POSTS = 4000


@cache
def _guarded(signed_in: bool, columns: str) -> Prepared:
    """Posts among the ids ``:ids`` that ``:viewer_id`` may see, built once."""
    selected = select(*CHANGING) if columns == "changing" else select(statuses.c.id)
    return Prepared(
        selected.where(in_ids(statuses.c.id, "ids"), can_see(VIEWER if signed_in else None))
    )


def _guard_params(viewer_id: int | None, ids: list[int]) -> dict[str, object]:
    return {"ids": ids, "viewer_id": viewer_id} if viewer_id is not None else {"ids": ids}


async def visible_status(conn: AsyncConnection, viewer_id: int | None, status_id: int) -> Status:
    """The post if the viewer may see it; otherwise NotFound (never Forbidden: a
    hidden post's existence is not revealed)."""
    rows = await _guarded(viewer_id is not None, "changing").all(
        conn, _guard_params(viewer_id, [status_id]), convert=False
    )
    found = await remembered_posts(conn, rows)
    if not found:
        raise NotFound()
    return found[0]


async def visible_statuses(
    conn: AsyncConnection, viewer_id: int | None, ids: Iterable[int]
) -> list[Status]:
    """The visible posts among ``ids``, in the order asked."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    rows = await _guarded(viewer_id is not None, "changing").all(
        conn, _guard_params(viewer_id, wanted), convert=False
    )
    found = {post.id: post for post in await remembered_posts(conn, rows)}
    return [found[i] for i in wanted if i in found]


async def visible_original(conn: AsyncConnection, viewer_id: int | None, status_id: int) -> Status:
    """The post, or the post it reposts: what favourites, quotes and reposts act on."""
    post = await visible_status(conn, viewer_id, status_id)
    if post.reblog_of_id is not None:
        post = await visible_status(conn, viewer_id, post.reblog_of_id)
    return post


async def _visible_ids(conn: AsyncConnection, viewer_id: int | None, ids: set[int]) -> set[int]:
    if not ids:
        return set()
    rows = await _guarded(viewer_id is not None, "ids").all(
        conn, _guard_params(viewer_id, list(ids))
    )
    return {row.id for row in rows}


async def _live_ids(conn: AsyncConnection, ids: set[int]) -> set[int]:
    if not ids:
        return set()
    rows = await _hydrate_statements()["live"].all(conn, {"ids": list(ids)})
    return {row.id for row in rows}


@cache
def _own_status() -> Prepared:
    # built once: every new post is read back through it
    return Prepared(
        select(statuses).where(
            statuses.c.id == bindparam("status_id"),
            statuses.c.account_id == bindparam("account_id"),
            statuses.c.deleted_at.is_(None),
        )
    )


async def own_status(conn: AsyncConnection, account_id: int, status_id: int) -> Status:
    """A live post of the account's own (for edit, delete, pin)."""
    rows = await _own_status().all(conn, {"status_id": status_id, "account_id": account_id})
    if not rows:
        raise NotFound()
    return Status.from_row(rows[0])


@cache
def _hydrate_statements() -> dict[str, Prepared]:
    """The by-id look-ups ``hydrate`` makes for every page, built once."""
    statements: dict[str, Select[Any]] = {
        "apps": select(oauth_apps.c.id, oauth_apps.c.name, oauth_apps.c.website).where(
            in_ids(oauth_apps.c.id, "ids")
        ),
        "live": select(statuses.c.id).where(
            in_ids(statuses.c.id, "ids"), statuses.c.deleted_at.is_(None)
        ),
    }
    return {name: Prepared(statement) for name, statement in statements.items()}


async def hydrate(
    conn: AsyncConnection,
    viewer_id: int | None,
    posts: Sequence[Status],
    *,
    flags: Mapping[int, ViewerFlags] | None = None,
    author_keys: Iterable[Sequence[Any]] = (),
) -> list[StatusView]:
    """Load authors, reposted and quoted posts, mentions, tags, media and the viewer's
    own flags for ``posts`` in a fixed number of queries, keeping their order.
    ``flags`` are the viewer's flags and ``author_keys`` the authors' keys (see
    ``domain.accounts.remembered``) that the caller read with the posts (in the same
    statement), which are then not looked up again."""
    if not posts:
        return []
    by_id: dict[int, Status] = {post.id: post for post in posts}
    quotable: Set[int] = by_id.keys()
    existing_hidden: set[int] = set()
    # most pages repost and quote nothing: they skip the look-ups of what they would show
    if any(p.reblog_of_id or p.quote_of_id for p in posts):
        inner_ids = {p.reblog_of_id for p in posts if p.reblog_of_id} - by_id.keys()
        inner = await visible_statuses(conn, viewer_id, inner_ids)
        by_id.update({post.id: post for post in inner})
        quote_ids = {p.quote_of_id for p in by_id.values() if p.quote_of_id} - by_id.keys()
        quoted = await visible_statuses(conn, viewer_id, quote_ids)
        by_id.update({post.id: post for post in quoted})
        # What a quoted post quotes in turn is shown only as a state and an id.
        nested_ids = {p.quote_of_id for p in quoted if p.quote_of_id} - by_id.keys()
        quotable = by_id.keys() | await _visible_ids(conn, viewer_id, nested_ids)
        # quotes that exist but are hidden from this viewer are told apart from deleted ones
        existing_hidden = await _live_ids(conn, (quote_ids | nested_ids) - quotable)

    ids = list(by_id)
    statements = _hydrate_statements()
    attached = await attachments_of(conn, list(by_id.values()))
    account_ids = {p.account_id for p in by_id.values()}
    for attachments in attached.values():
        account_ids.update(attachments.mentioned)
    accounts = await accounts_by_ids(conn, account_ids, author_keys)
    apps: dict[int, tuple[str, str | None]] = {}
    # the application a post was made with is shown to its author only
    app_ids = {
        p.application_id for p in by_id.values() if p.application_id and p.account_id == viewer_id
    }
    if app_ids and viewer_id is not None:
        rows = await statements["apps"].all(conn, {"ids": list(app_ids)})
        apps = {row.id: (row.name, row.website) for row in rows}

    marked = flags or {}
    unmarked = [i for i in ids if i not in marked] if marked else ids
    if unmarked:
        marked = {**marked, **await _viewer_flags(conn, viewer_id, unmarked)}
    # the reader's choices matter only for labelled posts (a bare warning stays a warning)
    choices: dict[str, str] = {}
    if viewer_id is not None and any(p.moderation_label is not None for p in by_id.values()):
        choices = await label_choices(conn, viewer_id)

    def view(post: Status, depth: int = 0) -> StatusView:
        # depth 0: the post asked for; 1: what it reposts; 2 and 3: a quoted post
        reblog = None
        if post.reblog_of_id and post.reblog_of_id in by_id and depth == 0:
            reblog = view(by_id[post.reblog_of_id], depth + 1)
        quote = None
        quote_state = None
        if post.quote_of_id:
            if post.quote_of_id in quotable:
                quote_state = "accepted"
                if depth < 2:
                    quote = view(by_id[post.quote_of_id], depth + 2)
            else:
                quote_state = "unauthorized" if post.quote_of_id in existing_hidden else "deleted"
        app = apps.get(post.application_id or 0) if post.account_id == viewer_id else None
        attachments = attached.get(post.id, NO_ATTACHMENTS)
        mentioned = attachments.mentioned
        if (
            reblog is None and quote_state is None and app is None and depth < 2
            and post.moderation_action is None and post.moderation_label is None
        ):  # fmt: skip
            return _plain_view(post, accounts, attachments, marked.get(post.id, NO_FLAGS))
        # positional, in field order: a page builds a view per post on every request
        return StatusView(
            post,
            accounts[post.account_id],
            tuple([accounts[a] for a in mentioned if a in accounts]) if mentioned else (),
            attachments.tags,
            attachments.media,
            marked.get(post.id, NO_FLAGS),
            reblog,
            quote,
            quote_state,
            depth >= 2,
            app[0] if app else None,
            app[1] if app else None,
            label_presentation(post.moderation_action, post.moderation_label, choices)
            if post.moderation_action is not None or post.moderation_label is not None
            else None,
            (),
        )

    views = []
    for post in posts:
        if post.reblog_of_id and post.reblog_of_id not in by_id:
            continue  # the reposted post is hidden from this viewer
        views.append(view(post))
    return views


# Views of plain posts (no repost, quote, moderation state or application shown), by
# the identities of what they are built from. Such a view does not depend on who reads
# it beyond the flags, so readers share it, and the same view object lets the JSON
# encoding be found by identity instead of by hashing every field of the view again.
# The post's attachments are not in the key: a remembered post is one version of it,
# and its attachments are remembered per version. The memo's views hold the objects
# whose ids make its keys, so no id in it can be reused.
REMEMBERED_VIEWS = 20_000
_plain_views: OrderedDict[tuple[Any, ...], StatusView] = OrderedDict()


def _plain_view(
    post: Status, accounts: Mapping[int, Account], attachments: Attachments, flags: ViewerFlags
) -> StatusView:
    author = accounts[post.account_id]
    mentions = (
        tuple([accounts[a] for a in attachments.mentioned if a in accounts])
        if attachments.mentioned
        else ()
    )
    key = (id(post), id(author), flags, *map(id, mentions))
    found = _plain_views.get(key)
    if found is not None:
        return found
    made = StatusView(post, author, mentions, attachments.tags, attachments.media, flags)
    _plain_views[key] = made
    if len(_plain_views) > REMEMBERED_VIEWS:
        _plain_views.popitem(last=False)
    return made


@cache
def _flags_statement() -> Prepared:
    """The viewer's favourites, bookmarks, pins and reposts among ``:ids``, in one trip."""
    marked = [
        select(table.c.status_id, literal_column(f"'{name}'").label("mark")).where(
            table.c.account_id == VIEWER, in_ids(table.c.status_id, "ids")
        )
        for name, table in (("favourited", favourites), ("bookmarked", bookmarks), ("pinned", pins))
    ]
    reposted = select(statuses.c.reblog_of_id, literal_column("'reblogged'")).where(
        statuses.c.account_id == VIEWER,
        in_ids(statuses.c.reblog_of_id, "ids"),
        statuses.c.deleted_at.is_(None),
    )
    return Prepared(union_all(*marked, reposted))


async def _viewer_flags(
    conn: AsyncConnection, viewer_id: int | None, ids: list[int]
) -> dict[int, ViewerFlags]:
    if viewer_id is None:
        return {}
    marks: dict[int, set[str]] = defaultdict(set)
    rows = await _flags_statement().all(conn, {"viewer_id": viewer_id, "ids": ids})
    for row in rows:
        marks[row[0]].add(str(row[1]))
    return {
        status_id: ViewerFlags(
            favourited="favourited" in names,
            reblogged="reblogged" in names,
            bookmarked="bookmarked" in names,
            pinned="pinned" in names,
        )
        for status_id, names in marks.items()
    }


async def thread_context(
    conn: AsyncConnection, viewer_id: int | None, status_id: int
) -> tuple[list[Status], list[Status]]:
    """Ancestors (oldest first) and descendants (depth first, oldest replies first)
    of a post, leaving out what the viewer may not see or has muted.

    The thread's shape is walked with every post in it, so a post hidden from the
    viewer (or deleted) in the middle leaves out only itself, not what lies beyond.
    """
    post = await visible_original(conn, viewer_id, status_id)
    root = post.conversation_id or post.id
    in_thread = and_(statuses.c.conversation_id == root, statuses.c.reblog_of_id.is_(None))
    shape = await conn.execute(
        select(statuses.c.id, statuses.c.in_reply_to_id)
        .where(in_thread)
        .order_by(statuses.c.id)
        .limit(MAX_THREAD_POSTS)
    )
    parent_of = {row.id: row.in_reply_to_id for row in shape}

    ancestor_ids: list[int] = []
    cursor = post.in_reply_to_id
    while cursor is not None and cursor in parent_of and len(ancestor_ids) < MAX_THREAD_POSTS:
        ancestor_ids.append(cursor)
        cursor = parent_of[cursor]
    ancestor_ids.reverse()

    children: dict[int, list[int]] = defaultdict(list)
    for child, parent in parent_of.items():  # ids ascend, so children come oldest first
        if parent is not None:
            children[parent].append(child)
    descendant_ids: list[int] = []
    stack = list(reversed(children.get(post.id, [])))
    while stack and len(descendant_ids) < MAX_THREAD_POSTS:
        item = stack.pop()
        descendant_ids.append(item)
        stack.extend(reversed(children.get(item, [])))

    wanted = ancestor_ids + descendant_ids
    shown: dict[int, Status] = {}
    if wanted:
        rows = await conn.execute(
            select(statuses).where(
                statuses.c.id.in_(wanted), in_thread, can_see(viewer_id), not_muted(viewer_id)
            )
        )
        shown = {row.id: Status.from_row(row) for row in rows}
    return (
        [shown[i] for i in ancestor_ids if i in shown],
        [shown[i] for i in descendant_ids if i in shown],
    )


async def quotes_of(
    conn: AsyncConnection, viewer_id: int | None, status_id: int, page: Page
) -> list[Status]:
    """The posts quoting a post that the viewer may see, newest first."""
    post = await visible_original(conn, viewer_id, status_id)
    query = select(statuses).where(
        statuses.c.quote_of_id == post.id,
        statuses.c.reblog_of_id.is_(None),
        can_see(viewer_id),
        not_muted(viewer_id),
    )
    rows = (await conn.execute(paginate(query, statuses.c.id, page))).all()
    return newest_first(page, [Status.from_row(row) for row in rows])


async def edit_history(conn: AsyncConnection, post: Status) -> list[Edit]:
    """Every version of a post the caller has already found visible, oldest first,
    ending with the current one."""
    rows = await conn.execute(
        select(status_edits).where(status_edits.c.status_id == post.id).order_by(status_edits.c.id)
    )
    versions = [
        Edit(
            row.text,
            row.content_html,
            row.spoiler_text,
            bool(row.sensitive),
            as_utc(row.created_at),
        )
        for row in rows
    ]
    versions.append(
        Edit(post.text, post.content_html, post.spoiler_text, post.sensitive,
             post.edited_at or post.created_at)
    )  # fmt: skip
    return versions
