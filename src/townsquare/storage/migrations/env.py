"""Alembic environment: runs on the connection ``storage.migrate`` hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from townsquare.storage.schema import engine_specific, metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        # the search engines' own indexes are made by hand in migration 0003
        include_name=lambda name, _type, _parents: not engine_specific(name),
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `townsquare migrate`")
_run(connection)
