"""The one guard that decides who may see which post.

Every read of posts (a single post, timelines, threads, search, notifications,
profiles, favourites and bookmarks lists) filters with these SQL conditions, so a
rule changed here changes everywhere at once. The rules:

- a deleted post, or one by a suspended account, is seen by nobody;
- authors always see their own posts;
- between two accounts where either blocks the other, neither sees the other's posts;
- ``public`` and ``unlisted`` posts are seen by everyone else, signed in or not;
- ``private`` posts by the author's followers and the accounts they mention;
- ``direct`` posts only by the accounts they mention;
- a post that moderation removed or holds for review is seen only by its author
  (moderators read it through the moderation queries);
- a disabled ("frozen") account's posts stay visible; a limited ("silenced") account's
  posts leave public timelines, tag timelines, trends and search (``in_public_reach``)
  for everyone but its followers (and itself), and stay on its followers' homes,
  threads and profiles; its notifications reach only its followers (``limited_for``);
- a repost is seen when both the repost and the reposted post are.

Mutes do not hide a post from someone who asks for it; ``not_muted`` keeps muted
accounts out of timelines, threads, search and notifications.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    BindParameter,
    ColumnElement,
    DateTime,
    FromClause,
    and_,
    bindparam,
    exists,
    literal_column,
    or_,
    select,
    true,
    union_all,
)

from townsquare.core.clock import utcnow
from townsquare.storage.schema import accounts, blocks, follows, mentions, mutes, statuses

PUBLIC_VISIBILITIES = ("public", "unlisted")
# Spelled as literals, not a bound list: a bound list is expanded per execution, which
# statements compiled once (storage.prepared) cannot do.
_PUBLIC_LITERALS: list[ColumnElement[str]] = [
    literal_column(f"'{name}'") for name in PUBLIC_VISIBILITIES
]

# Hot queries are built once with this placeholder for the viewer and run with
# {"viewer_id": ...}; building the guard's expression tree on every request costs
# more than running the query.
VIEWER: BindParameter[int] = bindparam("viewer_id", type_=BigInteger)
# Evaluated when the statement runs, so a statement built once never goes stale.
_NOW = bindparam("guard_now", callable_=utcnow, type_=DateTime(timezone=True))

Viewer = int | BindParameter[int]

# statuses.moderation_action values that take a post off every surface; downranked
# posts stay readable but leave public surfaces (``in_public_reach``).
_HIDDEN_BY_MODERATION: list[ColumnElement[str]] = [
    literal_column("'removed'"), literal_column("'held'")
]  # fmt: skip
_OUT_OF_REACH: list[ColumnElement[str]] = [
    *_HIDDEN_BY_MODERATION, literal_column("'downranked'")
]  # fmt: skip


def _not_hidden(post: FromClause) -> ColumnElement[bool]:
    action = post.c.moderation_action
    return or_(action.is_(None), action.not_in(_HIDDEN_BY_MODERATION))


def in_public_reach(
    post: FromClause = statuses, viewer_id: Viewer | None = None
) -> ColumnElement[bool]:
    """SQL condition for public and tag timelines, search and trends: not downranked,
    removed or held, and not by a limited account (unless ``viewer_id`` follows it).
    A column check and one short list of limited accounts, no joins."""
    action = post.c.moderation_action
    post_reach = or_(action.is_(None), action.not_in(_OUT_OF_REACH))
    return and_(post_reach, post.c.account_id.not_in(limited_for(viewer_id)))


def limited_for(viewer_id: Viewer | None) -> ColumnElement[int]:
    """The limited ("silenced") accounts ``viewer_id`` does not follow (every limited
    account for a visitor): their posts stay off the viewer's public surfaces and their
    notifications do not reach the viewer. A short list (a partial index), no joins."""
    if viewer_id is None:
        return _SILENCED
    return (
        select(accounts.c.id)
        .where(
            accounts.c.silenced_at.is_not(None),
            accounts.c.id != viewer_id,
            accounts.c.id.not_in(
                select(follows.c.target_account_id).where(follows.c.account_id == viewer_id)
            ),
        )
        .scalar_subquery()
    )


# Built once: constructing aliases and subqueries on every request costs more than
# running the query they are part of.
_REBLOGGED = statuses.alias("reblogged")
_MUTED_ORIGINAL = statuses.alias("muted_original")
_SUSPENDED = select(accounts.c.id).where(accounts.c.suspended_at.is_not(None)).scalar_subquery()
_SILENCED = select(accounts.c.id).where(accounts.c.silenced_at.is_not(None)).scalar_subquery()


def _suspended_accounts() -> ColumnElement[bool]:
    return _SUSPENDED


def blocked_between(viewer_id: Viewer, other: ColumnElement[int]) -> ColumnElement[bool]:
    """Either account blocks the other.

    Spelled as membership in the viewer's blocks both ways, a list the database works
    out once per statement, rather than a look-up per row: a timeline checks dozens
    of rows."""
    blocked_either_way = union_all(
        select(blocks.c.target_account_id).where(blocks.c.account_id == viewer_id),
        select(blocks.c.account_id).where(blocks.c.target_account_id == viewer_id),
    )
    return other.in_(blocked_either_way)


def _own_visibility(viewer_id: Viewer | None, post: FromClause) -> ColumnElement[bool]:
    """The rules for one status row, ignoring what it reposts."""
    alive = and_(post.c.deleted_at.is_(None), post.c.account_id.not_in(_suspended_accounts()))
    if viewer_id is None:
        return and_(alive, post.c.visibility.in_(_PUBLIC_LITERALS), _not_hidden(post))
    follows_author = post.c.account_id.in_(
        select(follows.c.target_account_id).where(follows.c.account_id == viewer_id)
    )
    mentioned = exists().where(
        mentions.c.status_id == post.c.id, mentions.c.account_id == viewer_id
    )
    audience = or_(
        post.c.visibility.in_(_PUBLIC_LITERALS),
        and_(post.c.visibility == "private", follows_author),
        mentioned,
    )
    return and_(
        alive,
        or_(
            post.c.account_id == viewer_id,
            and_(~blocked_between(viewer_id, post.c.account_id), audience, _not_hidden(post)),
        ),
    )


def can_see(viewer_id: Viewer | None, post: FromClause = statuses) -> ColumnElement[bool]:
    """SQL condition: ``viewer_id`` (None for a visitor) may see the row ``post``."""
    original = _REBLOGGED
    reblog_visible = exists().where(
        original.c.id == post.c.reblog_of_id, _own_visibility(viewer_id, original)
    )
    return and_(
        _own_visibility(viewer_id, post),
        or_(post.c.reblog_of_id.is_(None), reblog_visible),
    )


def _muted_accounts(viewer_id: Viewer) -> ColumnElement[bool]:
    now = _NOW
    return (
        select(mutes.c.target_account_id)
        .where(
            mutes.c.account_id == viewer_id,
            or_(mutes.c.expires_at.is_(None), mutes.c.expires_at > now),
        )
        .scalar_subquery()
    )


def not_muted(viewer_id: Viewer | None, post: FromClause = statuses) -> ColumnElement[bool]:
    """SQL condition: neither the post's author nor a reposted author is muted by the viewer."""
    if viewer_id is None:
        return true()
    muted = _muted_accounts(viewer_id)
    original = _MUTED_ORIGINAL
    reblog_of_muted = exists().where(
        original.c.id == post.c.reblog_of_id, original.c.account_id.in_(muted)
    )
    return and_(post.c.account_id.not_in(muted), ~reblog_of_muted)


def account_hidden(viewer_id: Viewer | None, account: FromClause = accounts) -> ColumnElement[bool]:
    """SQL condition: the account is suspended or blocks/is blocked by the viewer."""
    suspended = account.c.suspended_at.is_not(None)
    if viewer_id is None:
        return suspended
    return or_(suspended, blocked_between(viewer_id, account.c.id))
