"""Sessions, CSRF and log-in limits over plain HTTP: what the cookies and answers say."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlencode

import httpx
import pytest
from mastodon import Mastodon

from tests.servers import Server, own_server
from tests.web.conftest import Person, new_person


def _csrf(client: httpx.Client, path: str) -> str:
    answer = client.get(path)
    assert answer.status_code == 200, answer.text
    found = re.search(r'name="csrf_token" value="([^"]+)"', answer.text)
    assert found is not None
    return found.group(1)


def _signed_up(server: Server, person: Person) -> httpx.Client:
    client = httpx.Client(base_url=server.url)
    answer = client.post(
        "/auth/sign_up",
        data={
            "csrf_token": _csrf(client, "/auth/sign_up"),
            "username": person.username,
            "email": person.email,
            "password": person.password,
            "password_confirmation": person.password,
            "agreement": "1",
        },
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/home"
    return client


def _log_in(server: Server, person: Person, password: str, **extra: str) -> httpx.Response:
    client = httpx.Client(base_url=server.url)
    token = _csrf(client, "/auth/sign_in")
    return client.post(
        "/auth/sign_in",
        data={"csrf_token": token, "login": person.username, "password": password, **extra},
    )


def test_session_cookie_is_httponly_samesite_and_remember_me_lasts(server: Server) -> None:
    person = new_person("cookie")
    _signed_up(server, person).close()
    plain = _log_in(server, person, person.password)
    cookie = plain.headers["set-cookie"]
    assert plain.status_code == 303
    assert "ts_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Max-Age" not in cookie  # ends with the browser
    remembered = _log_in(server, person, person.password, remember="1")
    assert "Max-Age=2592000" in remembered.headers["set-cookie"]


def test_log_out_ends_the_session_on_the_server(server: Server) -> None:
    person = new_person("out")
    client = _signed_up(server, person)
    secret = client.cookies["ts_session"]
    token = _csrf(client, "/home")
    assert client.post("/auth/sign_out", data={"csrf_token": token}).status_code == 303
    # The old cookie, replayed, is no longer anyone's session.
    replay = httpx.get(f"{server.url}/home", cookies={"ts_session": secret})
    assert replay.status_code == 303 and replay.headers["location"].startswith("/auth/sign_in")


def test_a_session_secret_is_not_an_api_token(server: Server) -> None:
    person = new_person("nobearer")
    client = _signed_up(server, person)
    secret = client.cookies["ts_session"]
    assert client.get("/home").status_code == 200
    answer = httpx.get(
        f"{server.url}/api/v1/accounts/verify_credentials",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert answer.status_code == 401
    assert "error" in answer.json()


def test_password_change_logs_out_other_sessions(server: Server) -> None:
    person = new_person("pwchange")
    first = _signed_up(server, person)
    second = httpx.Client(
        base_url=server.url, cookies=_log_in(server, person, person.password).cookies
    )
    assert second.get("/home").status_code == 200
    answer = first.post(
        "/settings/password",
        data={
            "csrf_token": _csrf(first, "/settings"),
            "current_password": person.password,
            "new_password": "a brand new password",
            "new_password_confirmation": "a brand new password",
        },
    )
    assert answer.status_code == 303
    assert first.get("/settings?saved=password").status_code == 200
    assert second.get("/home").status_code == 303
    assert _log_in(server, person, "a brand new password").status_code == 303
    refused = _log_in(server, person, person.password)
    assert refused.status_code == 401 and "Invalid email/username or password" in refused.text


def test_a_form_from_another_site_is_refused(server: Server) -> None:
    client = _signed_up(server, new_person("origin"))
    token = _csrf(client, "/home")
    answer = client.post(
        "/compose",
        data={"csrf_token": token, "text": "posted by another site"},
        headers={"origin": "https://evil.example"},
    )
    assert answer.status_code == 403
    assert "did not come from this site" in answer.text
    assert "posted by another site" not in client.get("/home").text


def test_pages_carry_strict_security_headers(server: Server) -> None:
    answer = httpx.get(f"{server.url}/auth/sign_up")
    csp = answer.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert answer.headers["referrer-policy"] == "same-origin"
    assert answer.headers["x-content-type-options"] == "nosniff"


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server that allows three log-in attempts per name in five minutes."""
    yield from own_server(tmp_path_factory, "strict", {"TOWNSQUARE_LOGIN_ATTEMPTS_PER_5MIN": "3"})


def test_log_in_attempts_are_limited(strict_server: Server) -> None:
    person = new_person("limit")
    _signed_up(strict_server, person).close()
    for _ in range(3):
        assert _log_in(strict_server, person, "wrong password").status_code == 401
    refused = _log_in(strict_server, person, person.password)
    assert refused.status_code == 429
    assert "Too many log-in attempts; try again in a few minutes." in refused.text


def test_the_authorisation_page_shares_the_log_in_limit(strict_server: Server) -> None:
    """One allowance per name, whichever page the password is typed on: after three
    wrong ones on the sign-in page, the right one on the OAuth page is refused too."""
    person = new_person("olimit")
    _signed_up(strict_server, person).close()
    for _ in range(3):
        assert _log_in(strict_server, person, "wrong password").status_code == 401
    oob = "urn:ietf:wg:oauth:2.0:oob"
    client_id, _secret = Mastodon.create_app(
        "limited", scopes=["read"], redirect_uris=oob, api_base_url=strict_server.url
    )
    query = {"response_type": "code", "client_id": client_id, "redirect_uri": oob}
    with httpx.Client(base_url=strict_server.url) as client:
        token = _csrf(client, f"/oauth/authorize?{urlencode(query)}")
        refused = client.post(
            "/oauth/authorize",
            data={**query, "csrf_token": token, "login": person.username,
                  "password": person.password, "decision": "approve"},
        )  # fmt: skip
    assert refused.status_code == 429
    assert "Too many log-in attempts; try again in a few minutes." in refused.text
    assert 'id="authorization-code"' not in refused.text
