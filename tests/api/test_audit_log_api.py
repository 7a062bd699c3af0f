"""GET /api/v1/admin/townsquare/audit_log: moderators read the audit log, filtered and
paged; everyone else is refused. A real server, Mastodon.py and raw HTTP."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

import httpx

from tests.api.test_moderation_api import Staff, _log_in, moderator, staff_app  # noqa: F401
from tests.conftest import ClientApp, User, unique_name
from tests.servers import Server

PATH = "/api/v1/admin/townsquare/audit_log"


def _get(server: Server, token: str | None, **params: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.get(f"{server.url}{PATH}", headers=headers, params=params)


def test_moderators_read_filter_and_page_the_audit_log(
    make_user: Callable[..., User],
    moderator: Staff,  # noqa: F811
    server: Server,
) -> None:
    target, reporter = make_user("aud"), make_user("aur")
    report = reporter.api.report(target.id, comment="noisy")
    moderator.api.admin_report_assign(report["id"])
    moderator.api.admin_account_moderate(target.id, "silence", report_id=report["id"])
    moderator.api.admin_account_unsilence(target.id)
    token = moderator.api.access_token

    mine = _get(server, token, account_id=moderator.id)
    assert mine.status_code == 200, mine.text
    entries = mine.json()
    assert [e["action"] for e in entries[:3]] == [
        "account.unsilence", "account.silence", "report.assign",
    ]  # fmt: skip
    assert all(e["account"]["id"] == moderator.id for e in entries)
    silence = entries[1]
    assert (silence["target_type"], silence["target_id"]) == ("account", target.id)
    assert silence["details"]["report_id"] == str(report["id"])
    assert re.match(r"^\d{4}-\d\d-\d\dT", silence["created_at"])

    # filters: one action, a family of actions, one target
    only = _get(server, token, account_id=moderator.id, action="account.silence").json()
    assert [e["id"] for e in only] == [silence["id"]]
    family = _get(server, token, account_id=moderator.id, action="account").json()
    assert [e["action"] for e in family] == ["account.unsilence", "account.silence"]
    about = _get(server, token, target_type="report", target_id=str(report["id"])).json()
    assert [e["action"] for e in about] == ["report.assign"]

    # paging: one at a time, following the Link header, then back with since_id
    first = _get(server, token, account_id=moderator.id, limit="1")
    assert [e["id"] for e in first.json()] == [entries[0]["id"]]
    older = first.links["next"]["url"]
    assert f"max_id={entries[0]['id']}" in older and "account_id=" in older
    second = httpx.get(older, headers={"Authorization": f"Bearer {token}"})
    assert [e["id"] for e in second.json()] == [entries[1]["id"]]
    newer = _get(server, token, account_id=moderator.id, since_id=entries[1]["id"]).json()
    assert [e["id"] for e in newer] == [entries[0]["id"]]


def test_bad_filters_unknown_ids_and_outsiders_are_refused(
    make_user: Callable[..., User],
    moderator: Staff,  # noqa: F811
    server: Server,
    staff_app: ClientApp,  # noqa: F811
) -> None:
    token = moderator.api.access_token
    for params in (
        {"account_id": "not-an-id"},
        {"action": "DROP TABLE"},
        {"target_type": "planet"},
        {"target_id": "12"},  # without a target type
    ):
        answer = _get(server, token, **params)
        assert answer.status_code == 422, (params, answer.text)
        assert set(answer.json()) >= {"error"}
    unknown = _get(server, token, account_id="123456789")
    assert (unknown.status_code, unknown.json()) == (404, {"error": "Account not found"})
    # a plain user's ordinary token, a plain user's admin:read token, and a visitor
    user = make_user("aup")
    refused = _get(server, user.api.access_token)
    assert refused.status_code == 403 and "error" in refused.json()
    name, password = unique_name("aun"), secrets.token_urlsafe(12)
    made = server.cli(
        "admin", "create-user", name, f"{name}@example.org", "--password", password
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    scoped_user = _log_in(server, staff_app, name, password)
    not_staff = _get(server, scoped_user.access_token)
    assert not_staff.status_code == 403
    assert not_staff.json() == {"error": "This action is only allowed to moderators"}
    assert _get(server, None).status_code == 401
