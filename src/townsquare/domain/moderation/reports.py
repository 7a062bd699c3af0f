"""Reports: a user flags an account (and some of its posts) for the moderators.

Filing checks everything before writing: the target account and every post must
exist and be visible to the reporter through the one guard (a hidden post answers
as missing, so a report never reveals what the reporter could not see). Handling a
report (assign, note, resolve, reopen) is for moderators, and each step is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import as_utc, utcnow
from townsquare.core.errors import NotFound, ValidationFailed
from townsquare.core.ids import new_id
from townsquare.domain.accounts.models import Account
from townsquare.domain.accounts.queries import find_account
from townsquare.domain.moderation.audit import audit, require_moderator
from townsquare.domain.posts.queries import visible_statuses
from townsquare.storage.schema import report_notes, reports

CATEGORIES = ("spam", "legal", "violation", "other")
MAX_COMMENT = 1000
MAX_STATUSES = 50


@dataclass(frozen=True, slots=True)
class Report:
    id: int
    account_id: int
    target_account_id: int
    status_ids: tuple[int, ...]
    category: str
    rule_ids: tuple[str, ...]
    comment: str
    forward: bool
    assigned_account_id: int | None
    action_taken_by_id: int | None
    action_taken_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @property
    def resolved(self) -> bool:
        return self.action_taken_at is not None

    @classmethod
    def from_row(cls, r: Any) -> Report:
        return cls(
            id=r.id,
            account_id=r.account_id,
            target_account_id=r.target_account_id,
            status_ids=tuple(int(i) for i in orjson.loads(r.status_ids_json)),
            category=r.category,
            rule_ids=tuple(str(i) for i in orjson.loads(r.rule_ids_json)),
            comment=r.comment,
            forward=bool(r.forward),
            assigned_account_id=r.assigned_account_id,
            action_taken_by_id=r.action_taken_by_id,
            action_taken_at=as_utc(r.action_taken_at) if r.action_taken_at else None,
            created_at=as_utc(r.created_at),
            updated_at=as_utc(r.updated_at),
        )


@dataclass(frozen=True, slots=True)
class NewReport:
    target_account_id: int
    status_ids: Sequence[int] = ()
    category: str | None = None
    rule_ids: Sequence[str] = ()
    comment: str = ""
    forward: bool = False


@dataclass(frozen=True, slots=True)
class ReportNote:
    id: int
    report_id: int
    account_id: int
    content: str
    created_at: datetime


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"Validation failed: {message}", details={field: [message]})


async def file_report(
    conn: AsyncConnection, reporter: Account, new: NewReport, rules: Sequence[str] = ()
) -> Report:
    """Record a report, or raise (NotFound, ValidationFailed) having written nothing.

    ``rules`` are the server's rules; ``rule_ids`` name them by position from "1", as
    ``/api/v1/instance/rules`` does. Citing rules makes the category ``violation``, as
    Mastodon does."""
    target = await find_account(conn, new.target_account_id)
    if target is None or target.suspended:
        raise NotFound("Account not found")
    if target.id == reporter.id:
        raise _invalid("account_id", "You cannot report yourself")
    category = new.category or ("violation" if new.rule_ids else "other")
    if category not in CATEGORIES:
        raise _invalid("category", f"Category must be one of {', '.join(CATEGORIES)}")
    rule_ids = list(dict.fromkeys(str(r) for r in new.rule_ids))
    known = {str(i) for i in range(1, len(rules) + 1)}
    unknown = [r for r in rule_ids if r not in known]
    if unknown:
        raise _invalid("rule_ids", f"Unknown rule ids: {', '.join(unknown)}")
    if rule_ids and category != "violation":
        raise _invalid("rule_ids", "Rule ids are only for the category violation")
    if category == "violation" and not rule_ids and rules:
        raise _invalid("rule_ids", "A violation report names the rules it is about")
    if len(new.comment) > MAX_COMMENT:
        raise _invalid("comment", f"Comment is longer than {MAX_COMMENT} characters")
    status_ids = list(dict.fromkeys(new.status_ids))
    if len(status_ids) > MAX_STATUSES:
        raise _invalid("status_ids", f"At most {MAX_STATUSES} posts per report")
    seen = await visible_statuses(conn, reporter.id, status_ids)
    if len(seen) != len(status_ids):
        raise NotFound("Status not found")
    if any(post.account_id != target.id for post in seen):
        raise _invalid("status_ids", "Reported posts must be by the reported account")
    now = utcnow()
    report_id = new_id()
    values = {
        "id": report_id,
        "account_id": reporter.id,
        "target_account_id": target.id,
        "status_ids_json": orjson.dumps(status_ids).decode(),
        "category": category,
        "rule_ids_json": orjson.dumps(rule_ids).decode(),
        "comment": new.comment,
        "forward": bool(new.forward) and not target.is_local,
        "assigned_account_id": None,
        "action_taken_by_id": None,
        "action_taken_at": None,
        "created_at": now,
        "updated_at": now,
    }
    await conn.execute(reports.insert().values(**values))
    return await get_report(conn, report_id)


async def get_report(conn: AsyncConnection, report_id: int) -> Report:
    row = (await conn.execute(select(reports).where(reports.c.id == report_id))).first()
    if row is None:
        raise NotFound("Report not found")
    return Report.from_row(row)


async def list_reports(
    conn: AsyncConnection,
    *,
    resolved: bool | None = False,
    assigned_to: int | None = None,
    account_id: int | None = None,
    target_account_id: int | None = None,
    max_id: int | None = None,
    limit: int = 100,
) -> list[Report]:
    """Reports for the queue, newest first; ``resolved=None`` lists both kinds."""
    query = select(reports).order_by(reports.c.id.desc()).limit(limit)
    if resolved is True:
        query = query.where(reports.c.action_taken_at.is_not(None))
    elif resolved is False:
        query = query.where(reports.c.action_taken_at.is_(None))
    if assigned_to is not None:
        query = query.where(reports.c.assigned_account_id == assigned_to)
    if account_id is not None:
        query = query.where(reports.c.account_id == account_id)
    if target_account_id is not None:
        query = query.where(reports.c.target_account_id == target_account_id)
    if max_id is not None:
        query = query.where(reports.c.id < max_id)
    return [Report.from_row(row) for row in await conn.execute(query)]


async def _change(
    conn: AsyncConnection, moderator: Account, report_id: int, action: str, **values: object
) -> Report:
    require_moderator(moderator)
    await get_report(conn, report_id)
    await conn.execute(
        update(reports).where(reports.c.id == report_id).values(updated_at=utcnow(), **values)
    )
    await audit(conn, moderator.id, action, "report", report_id, **{
        k: v for k, v in values.items() if not isinstance(v, datetime)
    })  # fmt: skip
    return await get_report(conn, report_id)


async def assign_report(conn: AsyncConnection, moderator: Account, report_id: int) -> Report:
    return await _change(
        conn, moderator, report_id, "report.assign", assigned_account_id=moderator.id
    )


async def unassign_report(conn: AsyncConnection, moderator: Account, report_id: int) -> Report:
    return await _change(conn, moderator, report_id, "report.unassign", assigned_account_id=None)


async def resolve_report(conn: AsyncConnection, moderator: Account, report_id: int) -> Report:
    return await _change(
        conn, moderator, report_id, "report.resolve",
        action_taken_at=utcnow(), action_taken_by_id=moderator.id,
    )  # fmt: skip


async def reopen_report(conn: AsyncConnection, moderator: Account, report_id: int) -> Report:
    return await _change(
        conn, moderator, report_id, "report.reopen", action_taken_at=None, action_taken_by_id=None
    )


async def add_report_note(
    conn: AsyncConnection, moderator: Account, report_id: int, content: str
) -> ReportNote:
    require_moderator(moderator)
    await get_report(conn, report_id)
    content = content.strip()
    if not content:
        raise _invalid("content", "A note cannot be empty")
    if len(content) > 5000:
        raise _invalid("content", "A note is at most 5000 characters")
    note = ReportNote(new_id(), report_id, moderator.id, content, utcnow())
    await conn.execute(
        report_notes.insert().values(
            id=note.id, report_id=report_id, account_id=moderator.id, content=content,
            created_at=note.created_at,
        )
    )  # fmt: skip
    await conn.execute(
        update(reports).where(reports.c.id == report_id).values(updated_at=note.created_at)
    )
    await audit(conn, moderator.id, "report.note", "report", report_id, note_id=note.id)
    return note


async def notes_of(conn: AsyncConnection, report_id: int) -> list[ReportNote]:
    rows = await conn.execute(
        select(report_notes)
        .where(report_notes.c.report_id == report_id)
        .order_by(report_notes.c.id)
    )
    return [
        ReportNote(r.id, r.report_id, r.account_id, r.content, as_utc(r.created_at)) for r in rows
    ]
