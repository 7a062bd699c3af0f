"""Reports and the Mastodon admin API, driven through Mastodon.py against a real server."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest
from mastodon import Mastodon
from mastodon.errors import MastodonAPIError, MastodonNotFoundError

from tests.api.test_spec_schemas import conforms
from tests.conftest import ClientApp, User, unique_name
from tests.moderation.dsa_schema import validate_statement
from tests.servers import Server

ADMIN_SCOPES = ["read", "write", "admin:read", "admin:write"]


@dataclass
class Staff:
    api: Mastodon
    id: str
    username: str
    password: str


def _staff_app(server: Server) -> ClientApp:
    client_id, client_secret = Mastodon.create_app(
        "townsquare moderation tests", scopes=ADMIN_SCOPES,
        redirect_uris="urn:ietf:wg:oauth:2.0:oob", api_base_url=server.url,
    )  # fmt: skip
    return ClientApp(client_id, client_secret)


def _log_in(server: Server, app: ClientApp, username: str, password: str) -> Mastodon:
    api = Mastodon(
        client_id=app.client_id, client_secret=app.client_secret, api_base_url=server.url,
        ratelimit_method="throw",
    )  # fmt: skip
    api.log_in(username, password, scopes=ADMIN_SCOPES, allow_http=True)
    return api


@pytest.fixture(scope="module")
def staff_app(server: Server) -> ClientApp:
    return _staff_app(server)


@pytest.fixture
def moderator(server: Server, staff_app: ClientApp) -> Staff:
    name, password = unique_name("mod"), secrets.token_urlsafe(12)
    made = server.cli(
        "admin", "create-user", name, f"{name}@example.org", "--role", "moderator",
        "--password", password,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    api = _log_in(server, staff_app, name, password)
    return Staff(api, str(api.me()["id"]), name, password)


def test_report_a_post_and_handle_it_in_the_admin_api(
    make_user: Callable[..., User], moderator: Staff, server: Server
) -> None:
    reporter, target = make_user("rep"), make_user("tgt")
    post = target.api.status_post("a post worth reporting")
    report = reporter.api.report(target.id, [post["id"]], comment="spam!", category="spam")
    assert (report["category"], report["status_ids"], report["action_taken"]) == (
        "spam", [str(post["id"])], False,
    )  # fmt: skip
    assert str(report["target_account"]["id"]) == target.id
    # Mastodon.py turns ids into ints; the spec check reads the raw JSON
    raw = httpx.get(
        f"{server.url}/api/v1/admin/reports/{report['id']}",
        headers={"Authorization": f"Bearer {moderator.api.access_token}"},
    )
    conforms("AdminReport", raw.json())

    listed = moderator.api.admin_reports()
    assert report["id"] in [r["id"] for r in listed]
    assigned = moderator.api.admin_report_assign(report["id"])
    assert str(assigned["assigned_account"]["id"]) == moderator.id
    assert [s["id"] for s in assigned["statuses"]] == [post["id"]]
    moderator.api.admin_account_moderate(
        target.id, "silence", report_id=report["id"], text="Please stop"
    )
    handled = moderator.api.admin_report(report["id"])
    assert handled["action_taken"] and str(handled["action_taken_by_account"]["id"]) == moderator.id
    assert report["id"] not in [r["id"] for r in moderator.api.admin_reports()]
    assert report["id"] in [r["id"] for r in moderator.api.admin_reports(resolved=True)]
    account = moderator.api.admin_account(target.id)
    assert account["silenced"] and not account["suspended"]
    # everyone's view of the account says it is limited, as Mastodon's does
    assert reporter.api.account(target.id)["limited"] is True
    raw_account = httpx.get(
        f"{server.url}/api/v1/admin/accounts/{target.id}",
        headers={"Authorization": f"Bearer {moderator.api.access_token}"},
    )
    conforms("AdminAccount", raw_account.json())
    assert not moderator.api.admin_account_unsilence(target.id)["silenced"]
    # (raw JSON: Mastodon.py fills every attribute it knows of, absent or not)
    assert "limited" not in httpx.get(f"{server.url}/api/v1/accounts/{target.id}").json()
    reopened = moderator.api.admin_report_reopen(report["id"])
    assert not reopened["action_taken"]
    assert moderator.api.admin_report_unassign(report["id"])["assigned_account"] is None
    assert moderator.api.admin_report_resolve(report["id"])["action_taken"]


def test_report_entity_matches_the_spec(make_user: Callable[..., User], server: Server) -> None:
    reporter, target = make_user("rep"), make_user("tgt")
    post = target.api.status_post("reported")
    raw = httpx.post(
        f"{server.url}/api/v1/reports",
        headers={"Authorization": f"Bearer {reporter.api.access_token}"},
        json={"account_id": target.id, "status_ids": [str(post["id"])], "comment": "why"},
    )
    assert raw.status_code == 200, raw.text
    conforms("Report", raw.json())


def test_reports_on_missing_or_invisible_things_are_refused(
    make_user: Callable[..., User], moderator: Staff
) -> None:
    reporter, target = make_user("rep"), make_user("tgt")
    hidden = target.api.status_post("followers only", visibility="private")
    with pytest.raises(MastodonNotFoundError):
        reporter.api.report(target.id, [hidden["id"]])
    with pytest.raises(MastodonNotFoundError):
        reporter.api.report(target.id, [123456789])
    with pytest.raises(MastodonNotFoundError):
        reporter.api.report(987654321)
    assert target.id not in [str(r["target_account"]["id"]) for r in moderator.api.admin_reports()]


def test_admin_api_is_for_moderators_only(
    make_user: Callable[..., User],
    server: Server,
    staff_app: ClientApp,
    client_app: ClientApp,
    moderator: Staff,
) -> None:
    plain = make_user("plain")
    target = make_user("tgt")
    # a plain user with admin scopes on the token is still refused
    api = _log_in(server, staff_app, plain.username, plain.password)
    for call in (
        lambda: api.admin_reports(),
        lambda: api.admin_account(target.id),
        lambda: api.admin_account_moderate(target.id, "suspend"),
    ):
        with pytest.raises(MastodonAPIError) as refused:
            call()
        assert refused.value.args[1] == 403
    # a moderator whose token lacks the admin scopes is refused too
    narrow = Mastodon(
        client_id=client_app.client_id, client_secret=client_app.client_secret,
        api_base_url=server.url,
    )  # fmt: skip
    narrow.log_in(moderator.username, moderator.password, scopes=["read", "write"], allow_http=True)
    with pytest.raises(MastodonAPIError) as unscoped:
        narrow.admin_account(target.id)
    assert unscoped.value.args[1] == 403
    assert not moderator.api.admin_account(target.id)["suspended"]
    with pytest.raises(MastodonAPIError) as bad_type:
        moderator.api.admin_account_moderate(target.id, "obliterate")
    assert bad_type.value.args[1] == 422
    assert "Unknown action type" in str(bad_type.value)
    headers = {"Authorization": f"Bearer {moderator.api.access_token}"}
    for method, path in (
        ("GET", "/api/v1/admin/reports/not-a-number"),
        ("GET", "/api/v1/admin/reports/123456789"),
        ("POST", "/api/v1/admin/reports/123456789/assign_to_self"),
        ("POST", f"/api/v1/admin/accounts/{target.id}/obliterate"),
    ):
        answer = httpx.request(method, f"{server.url}{path}", headers=headers)
        assert answer.status_code == 404 and "error" in answer.json(), (path, answer.text)
    assert not moderator.api.admin_account(target.id)["suspended"]


def test_suspension_and_freeze_through_the_api(
    make_user: Callable[..., User], moderator: Staff, anonymous: Mastodon
) -> None:
    target = make_user("tgt")
    post = target.api.status_post("soon gone")
    moderator.api.admin_account_moderate(target.id, "suspend")
    with pytest.raises(MastodonNotFoundError):
        anonymous.status(post["id"])
    with pytest.raises(MastodonAPIError) as gone:
        target.api.me()
    assert gone.value.args[1] == 401
    assert moderator.api.admin_account(target.id)["suspended"]
    assert not moderator.api.admin_account_unsuspend(target.id)["suspended"]
    assert anonymous.status(post["id"])["id"] == post["id"]

    moderator.api.admin_account_moderate(target.id, "disable")
    # a frozen account's token reads (its owner may read and appeal), never writes
    assert str(target.api.me()["id"]) == target.id
    with pytest.raises(MastodonAPIError) as refused:
        target.api.status_post("while frozen")
    assert refused.value.args[1] == 403
    assert anonymous.status(post["id"])["id"] == post["id"]  # frozen, still visible
    assert not moderator.api.admin_account_enable(target.id)["disabled"]
    assert str(target.api.me()["id"]) == target.id


def _dsa_statements(server: Server, token: str) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    url: str | None = f"{server.url}/api/v1/admin/transparency/dsa?limit=200"
    for _ in range(100):  # bounded: a broken Link header must not loop forever
        if url is None:
            break
        answer = httpx.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        assert answer.status_code == 200, answer.text
        found.extend(answer.json())
        url = answer.links.get("next", {}).get("url")
    return found


def test_acting_on_a_report_may_cite_a_legal_ground(
    make_user: Callable[..., User], moderator: Staff, server: Server
) -> None:
    reporter, target = make_user("rep"), make_user("tgt")
    post = target.api.status_post("join us, the attack is tomorrow")
    report = reporter.api.report(target.id, [post["id"]], comment="incitement", category="other")
    url = f"{server.url}/api/v1/admin/accounts/{target.id}/action"
    headers = {"Authorization": f"Bearer {moderator.api.access_token}"}
    # unique: other tests on the same server cite laws too
    ground = f"Regulation (EU) 2021/784, Article 2(7), case {target.username}"
    # half a ground is refused with the field named, and nothing is applied
    half = httpx.post(
        url, headers=headers, timeout=30,
        data={"type": "suspend", "report_id": str(report["id"]), "legal_ground": ground},
    )  # fmt: skip
    assert half.status_code == 422, half.text
    assert "explanation" in half.json()["error"]
    assert not moderator.api.admin_account(target.id)["suspended"]
    assert not moderator.api.admin_report(report["id"])["action_taken"]

    acted = httpx.post(
        url, headers=headers, timeout=30,
        data={"type": "suspend", "report_id": str(report["id"]), "legal_ground": ground,
              "illegal_content_explanation": "It calls on readers to join an attack."},
    )  # fmt: skip
    assert acted.status_code == 200, acted.text
    assert moderator.api.admin_account(target.id)["suspended"]
    assert moderator.api.admin_report(report["id"])["action_taken"]
    mine = [
        s for s in _dsa_statements(server, moderator.api.access_token)
        if s.get("decision_ground") == "DECISION_GROUND_ILLEGAL_CONTENT"
        and s.get("illegal_content_legal_ground") == ground
    ]  # fmt: skip
    assert len(mine) == 1
    assert mine[0]["illegal_content_explanation"] == "It calls on readers to join an attack."
    assert mine[0]["source_type"] == "SOURCE_ARTICLE_16"
    assert validate_statement(mine[0]) == []
    entries = httpx.get(
        f"{server.url}/api/v1/admin/townsquare/audit_log",
        params={"target_type": "account", "target_id": target.id}, headers=headers, timeout=30,
    ).json()  # fmt: skip
    assert [e["action"] for e in entries] == ["account.suspend"]
    assert entries[0]["details"]["legal_ground"] == ground
