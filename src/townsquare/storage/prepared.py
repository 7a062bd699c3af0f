"""Hot statements: compiled once per dialect, run on the driver connection itself.

SQLAlchemy's execution path (execution context, events, result metadata, the async
adaption) costs a couple of hundred microseconds a statement, where SQLite answers a
primary-key look-up in a few. A timeline page makes several statements, so the
statements on the hot paths are ``Prepared``: written in SQLAlchemy Core like every
other query, compiled once for the connection's dialect, then handed straight to
``sqlite3`` or ``asyncpg`` on the request's own connection (so inside its transaction),
with the same type conversions SQLAlchemy would apply. ADR 8 records the choice.

Lists of ids are bound as one parameter (``in_ids``): a JSON array read by
``json_each`` on SQLite, a ``bigint[]`` on PostgreSQL. The statement text then never
changes with the list's length, which keeps it compiled once.
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
import orjson
from sqlalchemy import BigInteger, ColumnElement, Text, TypeDecorator, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.selectable import CompoundSelect, Select
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import TypeEngine


class IdArray(TypeDecorator[Sequence[int]]):
    """A list of integer ids as one bound value."""

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(ARRAY(BigInteger()))
        return dialect.type_descriptor(Text())

    def process_bind_param(self, value: Sequence[int] | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        ids = [int(v) for v in value]
        return ids if dialect.name == "postgresql" else orjson.dumps(ids).decode()

    def process_result_value(self, value: Any, dialect: Dialect) -> Sequence[int] | None:
        raise NotImplementedError("IdArray is a parameter type only")


class InIds(ColumnElement[bool]):
    """``column IN (the ids bound as :name)``."""

    # the cache key comes from the column and the parameter (_traverse_internals)
    inherit_cache = True
    _traverse_internals = [  # noqa: RUF012  (SQLAlchemy declares it per instance)
        ("column", InternalTraversal.dp_clauseelement),
        ("param", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column: ColumnElement[Any], name: str) -> None:
        self.column = column
        self.param: BindParameter[Sequence[int]] = bindparam(name, type_=IdArray())
        self.type = self.column.type


def in_ids(column: ColumnElement[Any], name: str) -> ColumnElement[bool]:
    return InIds(column, name)


@compiles(InIds)
def _in_ids_sqlite(element: InIds, compiler: SQLCompiler, **kw: Any) -> str:
    # both parts are compiled SQL (a column and a placeholder), never a value
    column = compiler.process(element.column, **kw)
    param = compiler.process(element.param, **kw)
    return f"{column} IN (SELECT value FROM json_each({param}))"  # noqa: S608


@compiles(InIds, "postgresql")
def _in_ids_postgresql(element: InIds, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    param = compiler.process(element.param, **kw)
    return f"{column} = ANY(CAST({param} AS BIGINT[]))"


_Processor = Callable[[Any], Any]

# What asyncpg raises when the server end of a connection is gone.
_GONE = (asyncpg.PostgresConnectionError, asyncpg.InterfaceError, OSError)


async def _after_losing(
    conn: AsyncConnection, sql: str, arguments: Sequence[Any], error: Exception
) -> list[Sequence[Any]]:
    """A statement's connection was found closed (see ``storage.liveness``). As
    SQLAlchemy does for its own statements, every connection the pool opened before
    this one is replaced at its next check-out (one found dead while hot means the
    server end went away, which ends its siblings too), and this one is invalidated. A
    read outside any transaction (``Database.read`` on PostgreSQL) runs once more on a
    fresh connection; in a transaction the error stands."""
    sync = conn.sync_connection
    assert sync is not None
    autocommit = sync.get_execution_options().get("isolation_level") == "AUTOCOMMIT"
    sync.engine.pool._invalidate(await conn.get_raw_connection(), error, _checkin=False)
    await conn.invalidate(error)
    if not autocommit:
        raise error
    # the logical transaction SQLAlchemy began (no BEGIN was sent in autocommit) must
    # be closed before the connection may reconnect
    await conn.rollback()
    fresh = (await conn.get_raw_connection()).driver_connection
    return await fresh.fetch(sql, *arguments)  # type: ignore[union-attr, no-any-return]


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    # positional drivers (asyncpg) take values in this order; sqlite3 takes a mapping
    names: tuple[str, ...] | None
    defaults: tuple[tuple[str, BindParameter[Any]], ...]
    bind_processors: tuple[tuple[str, _Processor], ...]
    row_type: Any
    # (column index, converter) for the columns whose values need converting
    result_processors: tuple[tuple[int, _Processor], ...]


Selectable = Select[Any] | CompoundSelect[Any]


_NAMED: dict[type[Dialect], Dialect] = {}


def _named_variant(dialect: Dialect) -> Dialect:
    """The dialect compiling ``:name`` placeholders: sqlite3 then binds a repeated
    parameter (the viewer, a dozen times in the guard) once, from a mapping."""
    kind = type(dialect)
    if kind not in _NAMED:
        _NAMED[kind] = kind(paramstyle="named")  # type: ignore[call-arg]
    return _NAMED[kind]


def _result_processors(
    statement: Selectable, dialect: Dialect
) -> tuple[tuple[int, _Processor], ...]:
    processors = (
        column.type.dialect_impl(dialect).result_processor(dialect, None)
        for column in statement.selected_columns
    )
    return tuple((index, p) for index, p in enumerate(processors) if p is not None)


class Prepared:
    """A SELECT built once, compiled once per dialect, run without SQLAlchemy's
    execution machinery. Rows have attribute access, as SQLAlchemy's do."""

    def __init__(self, statement: Selectable) -> None:
        self.statement = statement
        self._by_dialect: dict[str, _Compiled] = {}

    def _compile(self, dialect: Dialect) -> _Compiled:
        found = self._by_dialect.get(dialect.name)
        if found is not None:
            return found
        named = dialect.name == "sqlite"
        compiled = self.statement.compile(dialect=_named_variant(dialect) if named else dialect)
        if "POSTCOMPILE" in str(compiled):
            # a bound list (column.in_([...])) would need expanding on every run
            raise TypeError("Prepared statements take lists through in_ids(), not in_()")
        binds = dict(compiled.binds)
        found = _Compiled(
            sql=str(compiled),
            names=None if named else tuple(compiled.positiontup or ()),
            defaults=tuple(
                (name, bind)
                for name, bind in binds.items()
                if bind.callable is not None or bind.value is not None
            ),
            bind_processors=tuple(
                (name, processor)
                for name, bind in binds.items()
                if (processor := bind.type.dialect_impl(dialect).bind_processor(dialect))
            ),
            row_type=namedtuple("Row", [str(c.key) for c in self.statement.selected_columns]),
            result_processors=_result_processors(self.statement, dialect),
        )
        self._by_dialect[dialect.name] = found
        return found

    @staticmethod
    def _arguments(compiled: _Compiled, params: Mapping[str, Any]) -> Any:
        values = dict(params)
        for name, bind in compiled.defaults:
            if name not in values:
                values[name] = bind.callable() if bind.callable is not None else bind.value
        for name, processor in compiled.bind_processors:
            if name in values:
                values[name] = processor(values[name])
        if compiled.names is None:
            return values
        return [values[name] for name in compiled.names]

    async def _fetch(
        self, conn: AsyncConnection, params: Mapping[str, Any]
    ) -> tuple[_Compiled, list[Sequence[Any]]]:
        dialect = conn.dialect
        compiled = self._compile(dialect)
        arguments = self._arguments(compiled, params)
        driver = conn.sync_connection.connection.driver_connection  # type: ignore[union-attr]
        if dialect.name == "sqlite":
            sqlite: sqlite3.Connection = driver.raw  # type: ignore[union-attr]
            return compiled, sqlite.execute(compiled.sql, arguments).fetchall()
        try:
            return compiled, await driver.fetch(compiled.sql, *arguments)  # type: ignore[union-attr]
        except _GONE as error:
            if not driver.is_closed():  # type: ignore[union-attr]
                raise
            return compiled, await _after_losing(conn, compiled.sql, arguments, error)

    async def raw(self, conn: AsyncConnection, params: Mapping[str, Any]) -> list[Sequence[Any]]:
        """The rows as the driver gave them, read by position only (``sqlite3`` tuples or
        ``asyncpg`` records, whose slices are tuples): for rows used as keys, which the
        busiest reads would otherwise spend a named tuple each on."""
        return (await self._fetch(conn, params))[1]

    async def all(
        self, conn: AsyncConnection, params: Mapping[str, Any], *, convert: bool = True
    ) -> list[Any]:
        """The rows; with ``convert=False`` the values come as the driver gave them (a
        datetime is then text on SQLite), for rows used as keys (see ``converted``)."""
        compiled, raw = await self._fetch(conn, params)
        make = compiled.row_type._make
        processors = compiled.result_processors
        if not processors or not convert:
            return [make(row) for row in raw]
        rows = []
        # only the few converting columns are visited: most values come back as they are
        for row in raw:
            values = list(row)
            for index, processor in processors:
                value = values[index]
                if value is not None:
                    values[index] = processor(value)
            rows.append(make(values))
        return rows

    def converted(self, conn: AsyncConnection, row: Sequence[Any]) -> Any:
        """A row read with ``convert=False``, converted as ``all`` would have."""
        compiled = self._compile(conn.dialect)
        values = list(row)
        for index, processor in compiled.result_processors:
            value = values[index]
            if value is not None:
                values[index] = processor(value)
        return compiled.row_type._make(values)

    async def first(self, conn: AsyncConnection, params: Mapping[str, Any]) -> Any | None:
        rows = await self.all(conn, params)
        return rows[0] if rows else None
