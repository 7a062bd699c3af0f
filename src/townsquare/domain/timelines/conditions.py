"""Conditions on posts that more than one timeline applies."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Exists, String, and_, exists, literal_column, or_, select

from townsquare.storage.schema import followed_tags, follows, status_tags, statuses

# The stored languages of a follow are a JSON list of ISO 639 codes (``encode_languages``)
# checked against [a-z]{2,3} when written, so a code between double quotes can only match
# a whole element: a LIKE on the text is an exact membership test on either engine, with
# no JSON functions (which differ between SQLite and PostgreSQL) and nothing to escape.
_OPEN_QUOTE = literal_column("'%\"'", String)
_CLOSE_QUOTE = literal_column("'\"%'", String)


def not_a_reply_to_others() -> ColumnElement[bool]:
    """Mastodon's ``without_replies``: top-level posts and replies to oneself."""
    return or_(
        statuses.c.in_reply_to_account_id.is_(None),
        statuses.c.in_reply_to_account_id == statuses.c.account_id,
    )


def in_follow_languages(
    languages: ColumnElement[str | None], language: ColumnElement[str | None]
) -> ColumnElement[bool]:
    """A post in ``language`` may reach home through a follow with ``languages`` (its
    ``languages[]``): as in Mastodon, the follow must name languages and the post have
    one for the post to be held back. Never NULL, so it can be negated safely."""
    return or_(
        languages.is_(None),
        language.is_(None),
        languages.like(_OPEN_QUOTE + language + _CLOSE_QUOTE),
    )


def held_back_by_follow(owner: ColumnElement[int] | int) -> Exists:
    """``owner`` follows the post's author with ``languages[]`` that leave the post's
    language out (correlated with ``statuses``)."""
    return (
        select(follows.c.id)
        .where(
            follows.c.account_id == owner,
            follows.c.target_account_id == statuses.c.account_id,
            ~in_follow_languages(follows.c.languages, statuses.c.language),
        )
        .exists()
    )


def with_followed_tag(owner: ColumnElement[int] | int) -> ColumnElement[bool]:
    """A public post with a hashtag ``owner`` follows (correlated with ``statuses``): what
    fan-out delivers to the owner whatever else holds (ADR 22)."""
    followed = select(followed_tags.c.tag_id).where(followed_tags.c.account_id == owner)
    return and_(
        statuses.c.visibility == literal_column("'public'"),
        exists().where(
            status_tags.c.status_id == statuses.c.id, status_tags.c.tag_id.in_(followed)
        ),
    )
