"""The home timeline: the viewer's feed (filled on write, see ``feeds``) above its
horizon, and below it a merge on read of the posts of the viewer and the accounts they
follow, walking the ``(account_id, id)`` index. Both go through the same rules and guard.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Integer,
    and_,
    bindparam,
    cast,
    false,
    literal,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import utcnow
from townsquare.core.ids import id_at, id_span
from townsquare.domain.common.paging import (
    Page,
    PageShape,
    newest_first,
    page_params,
    page_shape,
    paginate_bound,
)
from townsquare.domain.posts.models import NO_FLAGS, Status, ViewerFlags
from townsquare.domain.posts.remembered import CHANGING, remembered_posts
from townsquare.domain.timelines.conditions import (
    held_back_by_follow,
    not_a_reply_to_others,
    with_followed_tag,
)
from townsquare.domain.visibility.access import VIEWER, Viewer, can_see, not_muted
from townsquare.storage.prepared import Prepared, in_ids
from townsquare.storage.schema import (
    accounts,
    bookmarks,
    favourites,
    follows,
    home_feed_entries,
    home_feeds,
    pins,
    statuses,
)


def _followed_or_self(viewer_id: Viewer) -> CompoundSelect[tuple[int]]:
    own = (
        select(viewer_id)
        if isinstance(viewer_id, BindParameter)
        else select(literal(viewer_id, follows.c.target_account_id.type))
    )
    return union_all(
        select(follows.c.target_account_id).where(follows.c.account_id == viewer_id), own
    )


# How many candidate posts one round of the home timeline reads per requested post, and
# how many rounds it may take when the guard or the filters drop many candidates.
HOME_WINDOW_FACTOR = 2
HOME_MAX_ROUNDS = 8

# Candidates are looked for in a span of time first (ids are timestamps), doubled until
# the window fills: the newest posts of busy accounts are then a short index range each,
# instead of every post they ever made sorted to find the newest. After this many
# doublings the search is unbounded.
HOME_FIRST_SPAN = timedelta(hours=6)
HOME_SPAN_DOUBLINGS = 9


@cache
def _home_candidates(shape: PageShape) -> Prepared:
    """Ids of the newest posts by the viewer and the accounts they follow: an index-only
    walk of (account_id, id), before any of the costlier rules run."""
    query = select(statuses.c.id).where(statuses.c.account_id.in_(_followed_or_self(VIEWER)))
    return Prepared(paginate_bound(query, statuses.c.id, shape))


def _spans(bounds: Page, ascending: bool, now_id: int) -> Iterator[tuple[Page, bool]]:
    """Bounds for candidates walking away from the page's edge (back in time for
    newest-first pages) over spans that double, the last one reaching the page's far
    end; each with whether it is the last."""
    span = id_span(HOME_FIRST_SPAN)
    if ascending:
        lower, limit = bounds.min_id or 0, bounds.max_id
        for doubling in range(HOME_SPAN_DOUBLINGS + 1):
            reach = lower + span
            if doubling == HOME_SPAN_DOUBLINGS or reach > now_id or (limit and reach >= limit):
                yield Page(max_id=limit, min_id=lower, limit=bounds.limit), True
                return
            yield Page(max_id=reach, min_id=lower, limit=bounds.limit), False
            lower, span = reach - 1, span * 2  # bounds are exclusive
        return
    top, floor = bounds.max_id, bounds.since_id
    for doubling in range(HOME_SPAN_DOUBLINGS + 1):
        reach = (top or now_id) - span
        if doubling == HOME_SPAN_DOUBLINGS or reach <= 0 or (floor and reach <= floor):
            yield Page(max_id=top, since_id=floor, limit=bounds.limit), True
            return
        yield Page(max_id=top, since_id=reach, limit=bounds.limit), False
        top, span = reach + 1, span * 2


async def _candidate_ids(
    conn: AsyncConnection, viewer_id: int, bounds: Page, ascending: bool
) -> list[int]:
    """The ``bounds.limit`` candidate ids nearest the page's edge, in page order: what one
    unbounded query would give, found in widening spans of time."""
    found: list[int] = []
    for span, last in _spans(bounds, ascending, id_at(utcnow())):
        wanted = Page(span.max_id, span.since_id, span.min_id, bounds.limit - len(found))
        rows = await _home_candidates(page_shape(wanted)).all(
            conn, {"viewer_id": viewer_id, **page_params(wanted)}
        )
        found.extend(row.id for row in rows)
        if last or len(found) >= bounds.limit:
            break
    return found


@cache
def _home_filter(ascending: bool) -> Prepared:
    """The first ``:wanted`` candidates among ``:ids`` that pass the home timeline's
    rules and the guard."""
    query = select(*CHANGING).where(
        in_ids(statuses.c.id, "ids"), *_home_rules(VIEWER), _in_follow_languages(VIEWER)
    )
    order = statuses.c.id.asc() if ascending else statuses.c.id.desc()
    return Prepared(query.order_by(order).limit(bindparam("wanted", type_=Integer)))


async def home_candidate_ids(conn: AsyncConnection, viewer_id: int, limit: int) -> list[int]:
    """Ids of the viewer's and followed accounts' newest ``limit`` posts, newest first,
    before any rule or the guard (what a feed is rebuilt from)."""
    return await _candidate_ids(conn, viewer_id, Page(limit=limit), ascending=False)


async def _merged_home(
    conn: AsyncConnection, viewer_id: int, page: Page, ascending: bool
) -> list[Status]:
    """The home page merged on read, in page order (oldest first for ``ascending``).

    Read in rounds: a window of the newest candidate ids first (cheap), then the rules
    and the guard on that window only, until the page is full or the candidates run out.
    """
    window = page.limit * HOME_WINDOW_FACTOR
    bounds = Page(page.max_id, page.since_id, page.min_id, window)
    found: list[Status] = []
    for _ in range(HOME_MAX_ROUNDS):
        candidates = await _candidate_ids(conn, viewer_id, bounds, ascending)
        if not candidates:
            break
        rows = await _home_filter(ascending).all(
            conn,
            {"viewer_id": viewer_id, "ids": candidates, "wanted": page.limit - len(found)},
            convert=False,
        )
        found.extend(await remembered_posts(conn, rows))
        if len(found) >= page.limit or len(candidates) < window:
            break
        last = candidates[-1]
        bounds = (
            Page(bounds.max_id, bounds.since_id, last, window)
            if ascending
            else Page(last, bounds.since_id, None, window)
        )
    return found


def _home_rules(viewer: Viewer) -> list[ColumnElement[bool]]:
    """What keeps a followed account's post off home, and the guard."""
    authors = _followed_or_self(viewer)
    hiding_reblogs = select(follows.c.target_account_id).where(
        follows.c.account_id == viewer, follows.c.show_reblogs == false()
    )
    return [
        or_(statuses.c.reblog_of_id.is_(None), statuses.c.account_id.not_in(hiding_reblogs)),
        or_(not_a_reply_to_others(), statuses.c.in_reply_to_account_id.in_(authors)),
        can_see(viewer),
        not_muted(viewer),
    ]


def _in_follow_languages(viewer: Viewer) -> ColumnElement[bool]:
    """The post is not held back by the ``languages[]`` of the viewer's follow of its
    author (the viewer's own posts have no follow, so always pass), or it is a public
    post with a hashtag the viewer follows, which fan-out delivers whatever the
    follow's languages (as Mastodon's tag delivery does).

    Only the merge on read asks this. The feed read (``_feed_page``) does not: fan-out,
    a follow's backfill and a rebuild leave such posts out when they write entries, as
    Mastodon filters at push time, so changing a follow's languages applies to the
    posts that arrive from then on, while older history merged on read follows the
    current setting."""
    return or_(~held_back_by_follow(viewer), with_followed_tag(viewer))


@cache
def _feed_horizon() -> Prepared:
    return Prepared(select(home_feeds.c.horizon_id).where(home_feeds.c.account_id == VIEWER))


# Each feed row is the post's key (``CHANGING``), its author's key (id and version, see
# ``domain.accounts.remembered``) and the viewer's own marks on the post, one number.
_AUTHOR_AT = len(CHANGING)
_MARKS_AT = _AUTHOR_AT + 2
_author = accounts.alias("author")
_favourite = favourites.alias("viewer_favourite")
_bookmark = bookmarks.alias("viewer_bookmark")
_pin = pins.alias("viewer_pin")
_repost = statuses.alias("viewer_repost")


def _marked(table: Any, column: str) -> ColumnElement[bool]:
    return and_(table.c.account_id == VIEWER, table.c[column] == statuses.c.id)


def _with_marks(joined: Any) -> Any:
    """``joined`` and the viewer's favourite, repost, bookmark and pin of each post: a
    probe of each one's unique (account, post) index per row of the page, cheaper than
    a statement of their own for the page's ids."""
    return (
        joined.outerjoin(_favourite, _marked(_favourite, "status_id"))
        .outerjoin(_repost, and_(_marked(_repost, "reblog_of_id"), _repost.c.deleted_at.is_(None)))
        .outerjoin(_bookmark, _marked(_bookmark, "status_id"))
        .outerjoin(_pin, _marked(_pin, "status_id"))
    )


# The four marks as the bits of one value (every value read back costs a step through
# the driver); the joined columns are in the unique indexes, so a probe that finds
# nothing (most do) reads the index alone.
def _bit(found: ColumnElement[Any], value: int) -> ColumnElement[int]:
    bit = cast(found.is_not(None), Integer)
    return bit * literal_column(str(value)) if value != 1 else bit


_MARKS = (
    _bit(_favourite.c.status_id, 1)
    + _bit(_repost.c.reblog_of_id, 2)
    + _bit(_bookmark.c.status_id, 4)
    + _bit(_pin.c.status_id, 8)
).label("marks")
# the flags of each value of _MARKS
_FLAGS_OF_MARKS = tuple(
    ViewerFlags(bool(m & 1), bool(m & 2), bool(m & 4), bool(m & 8)) if m else NO_FLAGS
    for m in range(16)
)


@cache
def _feed_page(shape: PageShape, *, above_horizon: bool = False) -> Prepared:
    """A page of the viewer's feed entries that pass the rules and the guard: one range
    of the entries' primary key, rows of posts by accounts still followed, each with its
    author's key and the viewer's marks (``_MARKS``), which spare the page the look-ups
    of its authors and of the viewer's flags (each a statement of its own; the author's
    key is two values since ADR 24, where joining all that can change of an author
    cost more than the look-up saved). With ``above_horizon`` the range also starts
    above the viewer's horizon (none without a feed), which saves reading the horizon
    first when the page fills from the feed."""
    entry = home_feed_entries
    posts = entry.join(statuses, statuses.c.id == entry.c.status_id).join(
        _author, _author.c.id == statuses.c.account_id
    )
    query = (
        select(
            *CHANGING,
            _author.c.id.label("author_id"),
            _author.c.version.label("author_version"),
            _MARKS,
        )
        .select_from(_with_marks(posts))
        .where(
            entry.c.account_id == VIEWER,
            # "+ 0" keeps both planners from walking the authors' posts by index (all
            # they ever wrote) instead of the feed's range, which is already in order;
            # an entry by anyone else is there for a followed hashtag (ADR 22), which
            # is asked only of such entries
            or_(
                (statuses.c.account_id + literal_column("0")).in_(_followed_or_self(VIEWER)),
                with_followed_tag(VIEWER),
            ),
            *_home_rules(VIEWER),
        )
    )
    if above_horizon:
        horizon = select(home_feeds.c.horizon_id).where(home_feeds.c.account_id == VIEWER)
        query = query.where(entry.c.status_id > horizon.scalar_subquery())
    return Prepared(paginate_bound(query, entry.c.status_id, shape))


class HomePage(NamedTuple):
    """A page of home posts, and what the feed gave with them (for ``hydrate``): the
    viewer's flags on those posts and their authors' keys."""

    posts: list[Status]
    flags: dict[int, ViewerFlags]
    author_keys: list[tuple[int, int]]


async def _from_feed(
    conn: AsyncConnection, viewer_id: int, page: Page, *, above_horizon: bool = False
) -> HomePage:
    rows = await _feed_page(page_shape(page), above_horizon=above_horizon).raw(
        conn, {"viewer_id": viewer_id, **page_params(page)}
    )
    posts = await remembered_posts(conn, rows)
    author, marks, of_marks = _AUTHOR_AT, _MARKS_AT, _FLAGS_OF_MARKS
    flags = {row[0]: of_marks[row[marks]] for row in rows}
    return HomePage(posts, flags, [(row[author], row[author + 1]) for row in rows])


async def home_timeline(conn: AsyncConnection, viewer_id: int, page: Page) -> list[Status]:
    """The viewer's own posts and reposts and those of the accounts they follow (see
    ``home_page``)."""
    return (await home_page(conn, viewer_id, page)).posts


async def home_page(conn: AsyncConnection, viewer_id: int, page: Page) -> HomePage:
    """The viewer's own posts and reposts and those of the accounts they follow.

    As in Mastodon: reposts by accounts followed with ``show_reblogs`` off are left out,
    and so are replies to accounts the viewer does not follow (self-replies stay).

    Above the viewer's feed horizon the page is one range of their feed; below it (old
    history, or an account without a feed) it is merged on read. Both apply the same
    rules and guard, so a page that spans the horizon reads as one.
    """
    ascending = page.min_id is not None
    newest: list[Status] = []
    met = HomePage([], {}, [])
    if not ascending:
        # the common case, the newest page or the next one: the feed alone fills it
        met = await _from_feed(conn, viewer_id, page, above_horizon=True)
        newest = met.posts
        if len(newest) == page.limit:
            return met
    horizon_row = await _feed_horizon().first(conn, {"viewer_id": viewer_id})
    if horizon_row is None:
        merged = await _merged_home(conn, viewer_id, page, ascending)
        return met._replace(posts=newest_first(page, merged))
    horizon: int = horizon_row.horizon_id
    # The feed holds ids above the horizon; merging on read covers ids up to it
    # (max_id is exclusive, hence horizon + 1).
    below = horizon + 1 if page.max_id is None else min(page.max_id, horizon + 1)
    if ascending:
        lower = page.min_id or 0
        found = (
            await _merged_home(conn, viewer_id, Page(below, None, lower, page.limit), True)
            if lower < horizon
            else []
        )
        if len(found) < page.limit:
            above = Page(page.max_id, None, max(lower, horizon), page.limit - len(found))
            met = await _from_feed(conn, viewer_id, above)
            found += met.posts
        return met._replace(posts=newest_first(page, found))
    floor = page.since_id or 0
    # what the feed holds of this page was read above; should the horizon have risen
    # since, the merge still starts below the last post read, so none comes twice
    found = newest
    if found:
        below = min(below, found[-1].id)
    if len(found) < page.limit and floor < horizon:
        rest = Page(below, page.since_id, None, page.limit - len(found))
        found += await _merged_home(conn, viewer_id, rest, False)
    return met._replace(posts=found)
