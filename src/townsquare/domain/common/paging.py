"""Id-based pagination as the Mastodon API does it (max_id, since_id, min_id, limit)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import BigInteger, ColumnElement, Integer, Select, bindparam

T = TypeVar("T")
S = TypeVar("S", bound=Select[Any])


@dataclass(frozen=True, slots=True)
class Page:
    """``max_id``: older than; ``since_id``: newer than (newest first);
    ``min_id``: the page immediately newer than (oldest first, then reversed)."""

    max_id: int | None = None
    since_id: int | None = None
    min_id: int | None = None
    limit: int = 20

    @classmethod
    def of(
        cls,
        *,
        max_id: int | None = None,
        since_id: int | None = None,
        min_id: int | None = None,
        limit: int | None = None,
        default_limit: int = 20,
        max_limit: int = 40,
    ) -> Page:
        wanted = default_limit if limit is None else limit
        return cls(max_id, since_id, min_id, max(1, min(wanted, max_limit)))


def paginate(query: S, key: ColumnElement[int], page: Page) -> S:
    """Apply the page bounds and order to a query whose rows are keyed by ``key``."""
    if page.max_id is not None:
        query = query.where(key < page.max_id)
    if page.since_id is not None:
        query = query.where(key > page.since_id)
    if page.min_id is not None:
        return query.where(key > page.min_id).order_by(key.asc()).limit(page.limit)
    return query.order_by(key.desc()).limit(page.limit)


def newest_first(page: Page, items: Sequence[T]) -> list[T]:
    """Rows read oldest-first for a ``min_id`` page come back newest first."""
    return list(reversed(items)) if page.min_id is not None else list(items)


# Page bounds as placeholders, for statements built once and run many times.
PageShape = tuple[bool, bool, bool]


def page_shape(page: Page) -> PageShape:
    return (page.max_id is not None, page.since_id is not None, page.min_id is not None)


def page_params(page: Page) -> dict[str, int]:
    params = {"page_limit": page.limit}
    for name in ("max_id", "since_id", "min_id"):
        value = getattr(page, name)
        if value is not None:
            params[f"page_{name}"] = value
    return params


def paginate_bound(query: S, key: ColumnElement[int], shape: PageShape) -> S:
    """``paginate`` with placeholders; run the result with ``page_params(page)``."""
    has_max, has_since, has_min = shape
    if has_max:
        query = query.where(key < bindparam("page_max_id", type_=BigInteger))
    if has_since:
        query = query.where(key > bindparam("page_since_id", type_=BigInteger))
    limit = bindparam("page_limit", type_=Integer)
    if has_min:
        query = query.where(key > bindparam("page_min_id", type_=BigInteger))
        return query.order_by(key.asc()).limit(limit)
    return query.order_by(key.desc()).limit(limit)
