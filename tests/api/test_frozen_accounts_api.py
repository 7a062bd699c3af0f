"""A frozen ("disabled") account through the Mastodon API: its tokens still read, every
write is refused with Mastodon's 403, and no new token is issued to it."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from mastodon import Mastodon
from mastodon.errors import MastodonAPIError, MastodonIllegalArgumentError

from tests.api.test_moderation_api import Staff, moderator, staff_app  # noqa: F401
from tests.conftest import ClientApp, User
from tests.servers import Server

DISABLED = {"error": "Your login is currently disabled"}


def test_a_frozen_account_reads_but_cannot_write(
    make_user: Callable[..., User],
    moderator: Staff,  # noqa: F811
    server: Server,
    client_app: ClientApp,
) -> None:
    frozen, other = make_user("frz"), make_user("oth")
    mine = frozen.api.status_post("before the freeze")
    theirs = other.api.status_post("something to like")
    moderator.api.admin_account_moderate(frozen.id, "disable", text="spam links")
    assert moderator.api.admin_account(frozen.id)["disabled"] is True

    # reading still works with the token it had
    assert str(frozen.api.account_verify_credentials()["id"]) == frozen.id
    assert str(frozen.api.status(theirs["id"])["id"]) == str(theirs["id"])
    # every write is refused, as Mastodon refuses a disabled login
    headers = {"Authorization": f"Bearer {frozen.api.access_token}"}
    writes = [
        ("POST", "/api/v1/statuses", {"status": "after the freeze"}),
        ("POST", f"/api/v1/statuses/{theirs['id']}/favourite", None),
        ("POST", f"/api/v1/statuses/{theirs['id']}/reblog", None),
        ("POST", f"/api/v1/accounts/{other.id}/follow", None),
        ("DELETE", f"/api/v1/statuses/{mine['id']}", None),
        ("PATCH", "/api/v1/accounts/update_credentials", {"note": "still here"}),
    ]
    for method, path, body in writes:
        answer = httpx.request(method, f"{server.url}{path}", headers=headers, data=body)
        assert (answer.status_code, answer.json()) == (403, DISABLED), (method, path)
    with pytest.raises(MastodonAPIError):
        frozen.api.status_post("through the client library")
    # the post stays, and nothing was written
    assert str(other.api.status(mine["id"])["id"]) == str(mine["id"])
    assert other.api.status(theirs["id"])["favourites_count"] == 0
    # no new token for a frozen account
    again = Mastodon(
        client_id=client_app.client_id, client_secret=client_app.client_secret,
        api_base_url=server.url,
    )  # fmt: skip
    with pytest.raises(MastodonIllegalArgumentError, match="invalid_grant"):
        again.log_in(frozen.email, frozen.password, allow_http=True)

    moderator.api.admin_account_enable(frozen.id)
    assert frozen.api.status_post("thawed")["content"]
