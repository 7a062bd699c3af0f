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
    Table,
    cast,
    column,
    literal,
    literal_column,
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


def contains_phrase(index: Table, terms: Sequence[str]) -> ColumnElement[bool]:
    """SQL condition: the terms stand next to each other, in order, in the row's terms.

    Plain LIKE on the space-joined terms: both engines read it alike, and the terms hold
    no LIKE wildcards (``%`` and ``_`` are not letters).
    """
    padded = literal(" ").concat(index.c.terms).concat(" ")
    return padded.like(f"% {' '.join(terms)} %")
