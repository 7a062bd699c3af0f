"""Post search (ADR 13): what the searcher may see of what matches, best first.

Ranking is computed from plain columns, so it is the same on both engines: posts
holding the whole query as a phrase first, then the newest (ids are time-ordered, so
"newest" is "highest id" and ties cannot happen).

A common word matches a good part of all posts, and checking every one of them
against the guard before sorting costs more the bigger the instance grows. So the
index is asked for its newest matches first, a window at a time (``_Windows``), and
only those are read and checked; the search stops as soon as the page is full. After
a few windows it falls back to one query over everything older than the last window,
which gives the same answer as the windows would. Phrase-first is kept exactly: the
phrase matches are paged through first, and only when they run out does the search
go on to the other matches (ADR 23).

When the query's words are confidently in one language (``query_language``; a query
with ``lang:`` is filtered instead), posts in that language come first within each of
those two ranks: four ranks in all, each one more pass of windows, paged through in
turn just as the phrase matches are.

Searches narrowed to an author, a tag or posts with media skip the windows: those
filters already leave few posts, and windows of common-word matches would mostly miss
them before falling back anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Row, and_, case, exists, func, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.ids import id_at
from townsquare.domain.languages.choices import in_chosen_languages
from townsquare.domain.languages.detection import detect_language
from townsquare.domain.posts.models import Status
from townsquare.domain.search.engines import contains_phrase, matching, newest_matching
from townsquare.domain.search.parse import ParsedQuery
from townsquare.domain.visibility.access import can_see, in_public_reach, not_muted
from townsquare.storage.schema import (
    accounts,
    media_attachments,
    status_search,
    status_tags,
    statuses,
    tags,
)

__all__ = ["FIRST_WINDOW", "WINDOWS", "query_language", "search_statuses"]

# The first window holds this many index matches (or twice the page, if more); each
# next one four times as many; after WINDOWS of them, one query takes all the rest.
FIRST_WINDOW = 64
WINDOWS = 3
_GROWTH = 4
# A page this deep (offset and limit) is read by the fallback straight away: windows
# would have to hold every match before it, and their sizes must stay within a LIMIT.
DEEPEST_WINDOWED = 1000


def _authored_by(parsed: ParsedQuery, local_domain: str) -> ColumnElement[bool]:
    chosen = []
    for author in parsed.authors:
        domain = "" if author.domain in (None, local_domain) else author.domain
        chosen.append(and_(accounts.c.username_key == author.username_key,
                           accounts.c.domain == domain))  # fmt: skip
    return statuses.c.account_id.in_(select(accounts.c.id).where(or_(*chosen)))


def _in_index(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    """The post's index row meets ``conditions`` (checked per candidate post)."""
    return exists().where(status_search.c.status_id == statuses.c.id, *conditions)


def _bounds(
    parsed: ParsedQuery, max_id: int | None, min_id: int | None
) -> tuple[int | None, int | None]:
    """The exclusive id bounds (below, above) that paging and before:/after: set."""
    below = [max_id] if max_id is not None else []
    if parsed.before is not None:
        below.append(id_at(parsed.before))
    above = [min_id] if min_id is not None else []
    if parsed.after is not None:
        above.append(id_at(parsed.after) - 1)
    return min(below, default=None), max(above, default=None)


def _conditions(
    viewer_id: int,
    parsed: ParsedQuery,
    *,
    account_id: int | None,
    local_domain: str,
    below: int | None,
    above: int | None,
) -> list[ColumnElement[bool]]:
    """Everything a found post must meet, except holding the query's terms."""
    # "+ 0" keeps SQLite from walking the reposts index for "IS NULL", which nearly
    # every post matches, instead of starting from the search matches.
    found: list[ColumnElement[bool]] = [
        (statuses.c.reblog_of_id + 0).is_(None), can_see(viewer_id), not_muted(viewer_id),
        # moderation's "downrank" keeps a post out of search, except for its author
        or_(in_public_reach(viewer_id=viewer_id), statuses.c.account_id == viewer_id),
        # as Mastodon: people who turned "indexable" off are found by themselves only
        statuses.c.account_id.not_in(
            select(accounts.c.id).where(~accounts.c.indexable, accounts.c.id != viewer_id)
        ),
    ]  # fmt: skip
    found += [_in_index(contains_phrase(status_search, phrase)) for phrase in parsed.phrases]
    if parsed.authors:
        found.append(_authored_by(parsed, local_domain))
    for key in parsed.tags:
        found.append(
            statuses.c.id.in_(
                select(status_tags.c.status_id)
                .join(tags, tags.c.id == status_tags.c.tag_id)
                .where(tags.c.name_key == key)
            )
        )
    if parsed.language:
        found.append(statuses.c.language == parsed.language)
    elif chosen := in_chosen_languages(viewer_id):
        # the viewer's own posts are found whatever languages they chose to read
        found.append(or_(statuses.c.account_id == viewer_id, *chosen))
    if parsed.has_media:
        found.append(exists().where(media_attachments.c.status_id == statuses.c.id))
    if account_id is not None:
        found.append(statuses.c.account_id == account_id)
    if below is not None:
        found.append(statuses.c.id < below)
    if above is not None:
        found.append(statuses.c.id > above)
    return found


@dataclass(slots=True)
class _Page:
    """Matches met so far, newest first: the first ``skip`` are passed over, the next
    ``take`` kept."""

    skip: int
    take: int
    seen: int = 0
    rows: list[Row[object]] = field(default_factory=list)

    @property
    def full(self) -> bool:
        return len(self.rows) >= self.take

    @property
    def wanted(self) -> int:
        """How many more matches, counted from the next one, could still be kept."""
        return self.skip + self.take - self.seen

    def add(self, rows: Sequence[Row[object]]) -> None:
        for row in rows:
            if self.seen >= self.skip and not self.full:
                self.rows.append(row)
            self.seen += 1


@dataclass(frozen=True, slots=True)
class _Windows:
    """Matches of ``terms`` (with ``phrases``) meeting ``conditions``, newest first,
    read from the index a window at a time."""

    terms: Sequence[str]
    phrases: Sequence[Sequence[str]]
    conditions: Sequence[ColumnElement[bool]]
    below: int | None
    above: int | None

    async def page(self, conn: AsyncConnection, skip: int, take: int) -> tuple[_Page, int | None]:
        """The page, and how many matches there are in all when it did not fill (None
        when it did: the rest was never counted)."""
        page = _Page(skip, take)
        below = self.below
        size = max(FIRST_WINDOW, 2 * (skip + take))
        for _ in range(WINDOWS if skip + take <= DEEPEST_WINDOWED else 0):
            window = newest_matching(
                conn, self.terms, self.phrases, below=below, above=self.above, size=size
            )
            ids = list((await conn.execute(window)).scalars())
            if ids:
                rows = await conn.execute(
                    select(statuses)
                    .where(statuses.c.id.in_(ids), *self.conditions)
                    .order_by(statuses.c.id.desc())
                    .limit(min(page.wanted, len(ids)))
                )
                page.add(rows.all())
                if page.full:
                    return page, None
            if len(ids) < size:
                return page, page.seen
            below = ids[-1]
            size *= _GROWTH
        return page, await self._rest(conn, page, below)

    async def _rest(self, conn: AsyncConnection, page: _Page, below: int | None) -> int | None:
        """Everything older than the last window, in one query (the fallback)."""
        rest = [*self.conditions, statuses.c.id.in_(
            select(status_search.c.status_id).where(matching(conn, status_search, self.terms))
        )]  # fmt: skip
        if below is not None:
            rest.append(statuses.c.id < below)
        # the offset left over is applied by the database, not by reading the rows
        skipped = max(0, page.skip - page.seen)
        wanted = page.take - len(page.rows)
        query = select(statuses).where(*rest).order_by(statuses.c.id.desc())
        rows = (await conn.execute(query.limit(wanted).offset(skipped))).all()
        page.rows.extend(rows)
        if page.full:
            return None
        if rows or not skipped:
            return page.seen + skipped + len(rows)
        # an offset past the end says nothing of where the end is
        counted = await conn.scalar(select(func.count()).select_from(statuses).where(*rest))
        return page.seen + int(counted or 0)


def query_language(parsed: ParsedQuery, languages: tuple[str, ...]) -> str | None:
    """The language the query's words are confidently written in, among ``languages``;
    None when the query names one with ``lang:`` (which filters instead) or is unsure."""
    if parsed.language or not parsed.text or not languages:
        return None
    return detect_language(parsed.text, languages)


@dataclass(frozen=True, slots=True)
class _Tier:
    """One rank of matches: those meeting ``conditions`` too, found in the index with
    ``phrases`` too."""

    conditions: Sequence[ColumnElement[bool]] = ()
    phrases: Sequence[Sequence[str]] = ()


def _in_language(language: str) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """In ``language``, and in any other or none: together, every post once."""
    return (
        statuses.c.language == language,
        or_(statuses.c.language.is_(None), statuses.c.language != language),
    )


def _tiers(parsed: ParsedQuery, preferred: str | None) -> list[_Tier]:
    """The ranks, best first: the whole query as a phrase, then the other matches (for
    several words); within each, posts in the query's language first (when detected)."""
    tiers = [_Tier()]
    if len(parsed.terms) > 1:
        whole = _in_index(contains_phrase(status_search, parsed.terms))
        tiers = [_Tier((whole,), (parsed.terms,))]
        # a query that is one quoted phrase has no other matches to go on to
        if parsed.terms not in parsed.phrases:
            tiers.append(_Tier((not_(whole),)))
    if preferred is None:
        return tiers
    return [
        _Tier((*tier.conditions, language), tier.phrases)
        for tier in tiers
        for language in _in_language(preferred)
    ]


async def search_statuses(
    conn: AsyncConnection,
    viewer_id: int,
    parsed: ParsedQuery,
    *,
    limit: int = 20,
    offset: int = 0,
    account_id: int | None = None,
    max_id: int | None = None,
    min_id: int | None = None,
    local_domain: str = "",
    languages: tuple[str, ...] = (),
) -> list[Status]:
    """The posts ``viewer_id`` may see that match ``parsed``, best first (see above);
    the query's language is detected among ``languages`` (none: not detected)."""
    if parsed.is_empty:
        return []
    below, above = _bounds(parsed, max_id, min_id)
    found = _conditions(
        viewer_id, parsed, account_id=account_id, local_domain=local_domain, below=below,
        above=above,
    )  # fmt: skip
    preferred = query_language(parsed, languages)
    narrow = parsed.authors or parsed.tags or parsed.has_media or account_id is not None
    if not parsed.terms or narrow:
        return await _narrow(conn, parsed, found, limit=limit, offset=offset, preferred=preferred)
    rows: list[Row[object]] = []
    skip = offset
    for tier in _tiers(parsed, preferred):
        windows = _Windows(
            parsed.terms, [*parsed.phrases, *tier.phrases], [*found, *tier.conditions], below,
            above,
        )  # fmt: skip
        page, matches = await windows.page(conn, skip, limit - len(rows))
        rows += page.rows
        # a tier's total is known only when it ran out before the page did; the next
        # tier's offset is what the earlier tiers left of it
        if matches is None:
            break
        skip = max(0, skip - matches)
    return [Status.from_row(row) for row in rows]


async def _narrow(
    conn: AsyncConnection,
    parsed: ParsedQuery,
    found: list[ColumnElement[bool]],
    *,
    limit: int,
    offset: int,
    preferred: str | None = None,
) -> list[Status]:
    """A search without words, or narrowed to an author or a tag: one query, ranked
    as the tiers of the windowed search are."""
    query = select(statuses).where(*found)
    if parsed.terms:
        query = query.where(
            statuses.c.id.in_(
                select(status_search.c.status_id).where(matching(conn, status_search, parsed.terms))
            )
        )
    order: list[ColumnElement[object]] = []
    if len(parsed.terms) > 1:
        whole = _in_index(contains_phrase(status_search, parsed.terms))
        order.append(case((whole, 0), else_=1))
    if preferred is not None:
        # a NULL language is not equal, so it ranks with the other languages
        order.append(case((statuses.c.language == preferred, 0), else_=1))
    order.append(statuses.c.id.desc())
    rows = await conn.execute(query.order_by(*order).limit(limit).offset(offset))
    return [Status.from_row(row) for row in rows]
