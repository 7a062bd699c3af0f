"""Sign-up and log-in through Mastodon.py against a running server."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from mastodon import Mastodon, MastodonIllegalArgumentError

from tests.conftest import ClientApp, User, unique_name
from tests.servers import Server


def test_register_then_log_in_with_password_grant(
    server: Server, client_app: ClientApp, make_user: Callable[..., User]
) -> None:
    user = make_user()
    api = Mastodon(client_id=client_app.client_id, client_secret=client_app.client_secret,
                   api_base_url=server.url)  # fmt: skip
    token = api.log_in(user.username, user.password, scopes=["read", "write"], allow_http=True)
    assert token
    me = api.account_verify_credentials()
    assert me["username"] == user.username
    assert me["source"]["privacy"] == "public"
    # the e-mail address works as the log-in name too
    by_email = Mastodon(client_id=client_app.client_id, client_secret=client_app.client_secret,
                        api_base_url=server.url)  # fmt: skip
    by_email.log_in(user.email, user.password, scopes=["read"], allow_http=True)
    assert by_email.account_verify_credentials()["id"] == me["id"]


def test_wrong_password_is_refused(
    server: Server, client_app: ClientApp, make_user: Callable[..., User]
) -> None:
    user = make_user()
    api = Mastodon(client_id=client_app.client_id, client_secret=client_app.client_secret,
                   api_base_url=server.url)  # fmt: skip
    with pytest.raises(MastodonIllegalArgumentError, match="invalid_grant"):
        api.log_in(user.username, "not the password", allow_http=True)


def test_duplicate_username_is_refused_case_insensitively(
    anonymous: Mastodon, make_user: Callable[..., User]
) -> None:
    user = make_user()
    token, error = anonymous.create_account(
        user.username.upper(),
        "password123",
        f"{unique_name()}@example.org",
        agreement=True,
        return_detailed_error=True,
    )
    assert token is None
    assert error["details"]["username"][0]["error"] == "ERR_TAKEN"
