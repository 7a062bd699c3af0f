"""When a web session or app token was last used, kept coarse on purpose.

Writing the time on every request would turn every page view and API read into a
write: on SQLite a wait for the one writer, on PostgreSQL a dead row per request. So
a token's ``last_used_at`` moves at most once per ``PRECISION``: each process
remembers when it last wrote for a token and skips the write until then, and the
UPDATE's own condition keeps several processes (or one just restarted) from writing
more often than that. The sessions page says "last used" to within that precision.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from sqlalchemy import or_, update
from sqlalchemy.exc import SQLAlchemyError

from townsquare.core.clock import utcnow
from townsquare.storage.database import Database
from townsquare.storage.schema import oauth_tokens

PRECISION = timedelta(minutes=5)
# Bound the memory of the per-process memo under very many distinct tokens.
_MAX_REMEMBERED = 50_000

log = logging.getLogger("townsquare.auth")
_noted: dict[int, float] = {}


def _due(token_id: int, now: float) -> bool:
    last = _noted.get(token_id)
    if last is not None and now - last < PRECISION.total_seconds():
        return False
    if len(_noted) >= _MAX_REMEMBERED:
        _noted.clear()
    _noted[token_id] = now
    return True


async def note_use(db: Database, token_id: int) -> None:
    """Remember that the token was used now, unless that was noted lately. A failed
    write is logged and forgotten: "last used" must never fail the request it rides on."""
    if not _due(token_id, time.monotonic()):
        return
    now = utcnow()
    try:
        async with db.write() as conn:
            await conn.execute(
                update(oauth_tokens)
                .where(
                    oauth_tokens.c.id == token_id,
                    or_(
                        oauth_tokens.c.last_used_at.is_(None),
                        oauth_tokens.c.last_used_at < now - PRECISION,
                    ),
                )
                .values(last_used_at=now)
            )
    except SQLAlchemyError:
        _noted.pop(token_id, None)
        log.warning("could not note the use of token %s", token_id, exc_info=True)
