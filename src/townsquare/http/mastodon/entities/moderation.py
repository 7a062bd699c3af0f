"""Report, Admin::Report and Admin::Account entities, and audit log entries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from townsquare.domain.accounts.models import Account
from townsquare.domain.common.site import Site
from townsquare.domain.moderation.audit import AuditEntry
from townsquare.domain.moderation.queries import StaffAccount
from townsquare.domain.moderation.reports import Report
from townsquare.domain.posts.models import StatusView
from townsquare.http.mastodon.entities.account import account_entity, role_entity
from townsquare.http.mastodon.entities.common import iso
from townsquare.http.mastodon.entities.status import status_entity


def report_entity(site: Site, report: Report, target: Account) -> dict[str, Any]:
    return {
        "id": str(report.id),
        "action_taken": report.resolved,
        "action_taken_at": iso(report.action_taken_at),
        "category": report.category,
        "comment": report.comment,
        "forwarded": report.forward,
        "created_at": iso(report.created_at),
        "status_ids": [str(i) for i in report.status_ids],
        "rule_ids": list(report.rule_ids),
        "collection_ids": [],
        "target_account": account_entity(site, target),
    }


def admin_account_entity(site: Site, staff: StaffAccount) -> dict[str, Any]:
    account = staff.account
    return {
        "id": str(account.id),
        "username": account.username,
        "domain": account.domain or None,
        "created_at": iso(account.created_at),
        "email": staff.email,
        "ip": staff.sign_up_ip,
        "ips": [],
        "locale": staff.locale,
        "invite_request": staff.reason,
        "role": role_entity(account.role),
        "confirmed": staff.confirmed,
        "approved": staff.approved,
        "disabled": account.disabled,
        "sensitized": account.sensitized,
        "silenced": account.silenced,
        "suspended": account.suspended,
        "account": account_entity(site, account),
        "created_by_application_id": None,
        "invited_by_account_id": None,
    }


def admin_report_entity(
    site: Site,
    report: Report,
    people: dict[int, StaffAccount],
    posts: Sequence[StatusView],
    rules: Sequence[str],
) -> dict[str, Any]:
    def person(account_id: int | None) -> dict[str, Any] | None:
        found = people.get(account_id) if account_id is not None else None
        return admin_account_entity(site, found) if found else None

    return {
        "id": str(report.id),
        "action_taken": report.resolved,
        "action_taken_at": iso(report.action_taken_at),
        "category": report.category,
        "comment": report.comment,
        "forwarded": report.forward,
        "created_at": iso(report.created_at),
        "updated_at": iso(report.updated_at),
        "account": person(report.account_id),
        "target_account": person(report.target_account_id),
        "assigned_account": person(report.assigned_account_id),
        "action_taken_by_account": person(report.action_taken_by_id),
        "statuses": [status_entity(site, view) for view in posts],
        "rules": [
            {"id": rule_id, "text": rules[int(rule_id) - 1], "hint": ""}
            for rule_id in report.rule_ids
            if rule_id.isdigit() and 0 < int(rule_id) <= len(rules)
        ],
    }


def audit_entry_entity(
    site: Site, entry: AuditEntry, people: Mapping[int, StaffAccount]
) -> dict[str, Any]:
    """One audit log entry (townsquare's own entity): who did what to which target."""
    moderator = people.get(entry.account_id) if entry.account_id is not None else None
    return {
        "id": str(entry.id),
        "action": entry.action,
        "account": account_entity(site, moderator.account) if moderator else None,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "details": {k: str(v) if type(v) is int else v for k, v in entry.details.items()},
        "created_at": iso(entry.created_at),
    }
