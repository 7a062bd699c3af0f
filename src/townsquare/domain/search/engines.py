"""The one place that speaks each engine's full-text dialect (ADR 13).

Both answer the same question, "which index rows hold every one of these terms", over
terms that ``core.normalize.search_terms`` already cut and folded: SQLite asks its FTS5
table, PostgreSQL a GIN index over a stored ``array_to_tsvector`` of the same
terms. Terms hold
only letters, marks and digits, so neither query language sees an operator from a user.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    Table,
    TextualSelect,
    cast,
    column,
    literal,
    literal_column,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.storage.schema import status_search

_FTS_TABLES = {"status_search": "fts_statuses", "account_search": "fts_accounts"}


def matching(
    conn: AsyncConnection, index: Table, terms: Sequence[str], *, prefix: bool = False
) -> ColumnElement[bool]:
    """SQL condition on ``index`` (``status_search`` or ``account_search``): the row holds
    every term (with ``prefix``, a term starting with each)."""
    key = index.c.status_id if index is status_search else index.c.account_id
    if conn.dialect.name == "sqlite":
        fts = _FTS_TABLES[index.name]
        star = "*" if prefix else ""
        expression = " ".join(f'"{term.replace(chr(34), "")}"{star}' for term in terms)
        rows = (
            text(f"SELECT rowid FROM {fts} WHERE {fts} MATCH :{fts}_match")  # noqa: S608 - fixed names
            .bindparams(**{f"{fts}_match": expression})
            .columns(column("rowid", BigInteger))
        )
        return key.in_(rows)
    star = ":*" if prefix else ""
    query = " & ".join(f"'{term.replace(chr(39), '')}'{star}" for term in terms)
    # the stored array_to_tsvector of ``terms`` (migration 0003)
    vector: ColumnElement[object] = literal_column(f"{index.name}.fts_terms")
    return vector.bool_op("@@")(cast(literal(query), TSQUERY))


def newest_matching(
    conn: AsyncConnection,
    terms: Sequence[str],
    phrases: Sequence[Sequence[str]],
    *,
    below: int | None,
    above: int | None,
    size: int,
) -> Select[tuple[int]] | TextualSelect:
    """The ids of the newest ``size`` posts (below ``below``, above ``above``) whose
    index rows hold every term, and may hold each phrase: a superset of the posts that
    do, which ``contains_phrase`` then decides. Only the index is read, newest first,
    so a common word costs ``size`` rows rather than every post that has it.
    """
    if conn.dialect.name == "sqlite":
        # FTS5 walks its doclists backwards for ORDER BY rowid DESC and stops at LIMIT;
        # a quoted string of several terms is one of its phrases (terms hold no quote)
        words = [f'"{term.replace(chr(34), "")}"' for term in terms]
        words += ['"' + " ".join(phrase).replace(chr(34), "") + '"' for phrase in phrases]
        bounds = {"below": "AND rowid < :below", "above": "AND rowid > :above"}
        values: dict[str, object] = {"below": below, "above": above}
        where = " ".join(bounds[name] for name, value in values.items() if value is not None)
        statement = text(
            f"SELECT rowid FROM fts_statuses WHERE fts_statuses MATCH :search_match {where} "  # noqa: S608 - fixed text
            "ORDER BY rowid DESC LIMIT :search_size"
        ).bindparams(
            search_match=" ".join(words),
            search_size=size,
            **{name: value for name, value in values.items() if value is not None},
        )
        return statement.columns(column("rowid", BigInteger))
    found = select(status_search.c.status_id).where(matching(conn, status_search, terms))
    # array_to_tsvector keeps no positions, so a tsquery phrase never matches: the
    # phrase is checked on the terms, here in the index before any post is read
    found = found.where(*(contains_phrase(status_search, phrase) for phrase in phrases))
    if below is not None:
        found = found.where(status_search.c.status_id < below)
    if above is not None:
        found = found.where(status_search.c.status_id > above)
    return found.order_by(status_search.c.status_id.desc()).limit(size)


def contains_phrase(index: Table, terms: Sequence[str]) -> ColumnElement[bool]:
    """SQL condition: the terms stand next to each other, in order, in the row's terms.

    Plain LIKE on the space-joined terms: both engines read it alike, and the terms hold
    no LIKE wildcards (``%`` and ``_`` are not letters).
    """
    padded = literal(" ").concat(index.c.terms).concat(" ")
    return padded.like(f"% {' '.join(terms)} %")
