"""OAuth 2 against the running server: Mastodon.py where a client acts, httpx where a
browser would (the authorisation page and its redirect)."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from mastodon import Mastodon, MastodonIllegalArgumentError

from tests.conftest import ClientApp, User
from tests.servers import Server

# Never contacted: the tests read the Location header of the redirect instead.
REDIRECT = "http://127.0.0.1:9/callback"
OOB = "urn:ietf:wg:oauth:2.0:oob"
APP_NAME = "Chowk <Reader> ٹیسٹ"


@dataclass
class WebApp:
    client_id: str
    client_secret: str


@pytest.fixture
def http(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, follow_redirects=False, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def web_app(server: Server) -> WebApp:
    """An app with a real redirect URI and the out-of-band one, registered by Mastodon.py."""
    client_id, client_secret = Mastodon.create_app(
        APP_NAME,
        scopes=["read", "write", "profile"],
        redirect_uris=[REDIRECT, OOB],
        website="https://reader.example",
        api_base_url=server.url,
    )
    return WebApp(client_id, client_secret)


def mastodon_for(server: Server, app: WebApp | ClientApp, token: str | None = None) -> Mastodon:
    return Mastodon(
        client_id=app.client_id,
        client_secret=app.client_secret,
        access_token=token,
        api_base_url=server.url,
    )


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class _FormReader(HTMLParser):
    """The hidden inputs of the authorisation form (the page's layout has other forms):
    what a browser would send back, the CSRF token with them."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.code: str | None = None
        self._in_code = False
        self._in_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            self._in_form = values.get("action") == "/oauth/authorize"
        in_form = self._in_form and tag == "input" and values.get("type") == "hidden"
        if in_form and values.get("name"):
            self.hidden[values["name"] or ""] = values.get("value") or ""
        self._in_code = tag == "code" and values.get("id") == "authorization-code"

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False

    def handle_data(self, data: str) -> None:
        if self._in_code:
            self.code = data.strip()
            self._in_code = False


def read_page(html: str) -> _FormReader:
    reader = _FormReader()
    reader.feed(html)
    return reader


def authorize_url(
    server: Server,
    app: WebApp,
    *,
    scopes: list[str],
    redirect: str = REDIRECT,
    state: str | None = None,
) -> str:
    """The URL Mastodon.py sends the person to (it finds the endpoint in the metadata)."""
    api = mastodon_for(server, app)
    return api.auth_request_url(redirect_uris=redirect, scopes=scopes, state=state, allow_http=True)


def with_query(url: str, **extra: str) -> str:
    return f"{url}&{urlencode(extra)}" if extra else url


def approve(http: httpx.Client, page_url: str, user: User, **extra: str) -> httpx.Response:
    """Open the authorisation page, then submit its form as the person would."""
    page = http.get(with_query(page_url, **extra))
    assert page.status_code == 200, page.text
    form = read_page(page.text).hidden
    return http.post(
        "/oauth/authorize",
        data={**form, "login": user.username, "password": user.password, "decision": "approve"},
    )


def redirect_query(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith(REDIRECT + "?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def exchange(http: httpx.Client, app: WebApp, code: str, **extra: str) -> httpx.Response:
    return http.post(
        "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            **extra,
        },
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# --- registering apps ----------------------------------------------------------------


def test_registration_keeps_every_redirect_uri(http: httpx.Client, web_app: WebApp) -> None:
    token = http.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": web_app.client_id,
            "client_secret": web_app.client_secret,
        },
    ).json()["access_token"]
    app = http.get("/api/v1/apps/verify_credentials", headers=bearer(token)).json()
    assert app["redirect_uris"] == [REDIRECT, OOB]
    assert app["redirect_uri"] == f"{REDIRECT}\n{OOB}"
    assert app["scopes"] == ["read", "write", "profile"]
    assert app["website"] == "https://reader.example"


@pytest.mark.parametrize(
    "change",
    [
        {"redirect_uris": "javascript:alert(1)"},
        {"redirect_uris": "https://app.example/cb#fragment"},
        {"redirect_uris": "not a uri"},
        {"redirect_uris": ""},
        {"scopes": "read everything"},
        {"client_name": "   "},
        {"website": "javascript:alert(1)"},
        {"website": "app.example"},
    ],
)
def test_bad_registrations_are_422(http: httpx.Client, change: dict[str, str]) -> None:
    data = {"client_name": "App", "redirect_uris": OOB, "scopes": "read", **change}
    answer = http.post("/api/v1/apps", data=data)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"].startswith("Validation failed")


def test_apps_with_their_own_scheme_register(http: httpx.Client) -> None:
    answer = http.post(
        "/api/v1/apps",
        json={"client_name": "Phone", "redirect_uris": ["org.example.app://oauth", OOB]},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["redirect_uris"] == ["org.example.app://oauth", OOB]
    assert answer.json()["scopes"] == ["read"]


# --- authorisation code ---------------------------------------------------------------


def test_code_flow_with_pkce(
    server: Server, http: httpx.Client, web_app: WebApp, make_user: Callable[..., User]
) -> None:
    user = make_user()
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(16)
    url = authorize_url(server, web_app, scopes=["read", "write"], state=state)

    page = http.get(with_query(url, code_challenge=challenge, code_challenge_method="S256"))
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    # the page names the app (escaped) and every scope asked for
    assert "Chowk &lt;Reader&gt; ٹیسٹ" in page.text
    assert '<code dir="auto">read</code>' in page.text
    assert '<code dir="auto">write</code>' in page.text
    assert "<code" not in page.text.split('<code dir="auto">write</code>')[1]
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]

    answer = approve(http, url, user, code_challenge=challenge, code_challenge_method="S256")
    query = redirect_query(answer)
    assert query["state"] == state

    token = exchange(http, web_app, query["code"], code_verifier=verifier)
    assert token.status_code == 200, token.text
    body = token.json()
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "read write"
    assert token.headers["cache-control"] == "no-store"
    me = mastodon_for(server, web_app, body["access_token"]).account_verify_credentials()
    assert me["username"] == user.username

    # a code is good once
    again = exchange(http, web_app, query["code"], code_verifier=verifier)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    "verifier",
    [None, "wrong-" + "x" * 50, "short"],
    ids=["missing", "wrong", "malformed"],
)
def test_a_bad_verifier_fails_and_spends_the_code(
    server: Server,
    http: httpx.Client,
    web_app: WebApp,
    make_user: Callable[..., User],
    verifier: str | None,
) -> None:
    user = make_user()
    good, challenge = pkce_pair()
    url = authorize_url(server, web_app, scopes=["read"])
    code = redirect_query(
        approve(http, url, user, code_challenge=challenge, code_challenge_method="S256")
    )["code"]
    failed = exchange(http, web_app, code, **({"code_verifier": verifier} if verifier else {}))
    assert failed.status_code == 400
    assert failed.json()["error"] == "invalid_grant"
    assert "error_description" in failed.json()
    # the right verifier cannot rescue a code that was tried with a wrong one
    assert exchange(http, web_app, code, code_verifier=good).status_code == 400


def test_plain_pkce_is_refused_before_the_password_is_asked(
    server: Server, http: httpx.Client, web_app: WebApp
) -> None:
    url = authorize_url(server, web_app, scopes=["read"])
    page = http.get(with_query(url, code_challenge="x" * 43, code_challenge_method="plain"))
    assert page.status_code == 400
    assert "S256" in page.text
    assert "password" not in page.text


def test_code_flow_with_mastodon_py(
    server: Server, http: httpx.Client, web_app: WebApp, make_user: Callable[..., User]
) -> None:
    """Mastodon.py 2.x has no PKCE; its plain code flow works end to end."""
    user = make_user()
    url = authorize_url(server, web_app, scopes=["read", "profile"])
    code = redirect_query(approve(http, url, user))["code"]
    api = mastodon_for(server, web_app)
    api.log_in(code=code, redirect_uri=REDIRECT, scopes=["read", "profile"], allow_http=True)
    assert api.account_verify_credentials()["id"] == user.id
    # Mastodon.py refuses a plain-http userinfo URL, so ask as it would, over httpx
    assert api.access_token
    info = http.get("/oauth/userinfo", headers=bearer(api.access_token)).json()
    assert info["preferred_username"] == user.username
    assert info["sub"].endswith(f"/users/{user.username}")
    assert info["iss"] == f"{server.url}/"


def test_out_of_band_shows_the_code(
    server: Server, http: httpx.Client, web_app: WebApp, make_user: Callable[..., User]
) -> None:
    user = make_user()
    url = authorize_url(server, web_app, scopes=["read"], redirect=OOB)
    answer = approve(http, url, user)
    assert answer.status_code == 200
    code = read_page(answer.text).code
    assert code
    api = mastodon_for(server, web_app)
    api.log_in(code=code, scopes=["read"], allow_http=True)  # redirect_uri defaults to OOB
    assert api.account_verify_credentials()["username"] == user.username


def test_deny_redirects_with_access_denied(
    server: Server, http: httpx.Client, web_app: WebApp
) -> None:
    url = authorize_url(server, web_app, scopes=["read"], state="s-1")
    form = read_page(http.get(url).text).hidden
    query = redirect_query(http.post("/oauth/authorize", data={**form, "decision": "deny"}))
    assert query["error"] == "access_denied"
    assert query["state"] == "s-1"
    assert "code" not in query


def test_a_form_without_this_sites_token_or_origin_is_refused(
    server: Server, http: httpx.Client, web_app: WebApp, make_user: Callable[..., User]
) -> None:
    user = make_user()
    url = authorize_url(server, web_app, scopes=["read"])
    form = read_page(http.get(url).text).hidden
    assert form["csrf_token"] == http.cookies["ts_csrf"]
    sent = {**form, "login": user.username, "password": user.password, "decision": "approve"}
    tokenless = {k: v for k, v in sent.items() if k != "csrf_token"}
    for data, headers in (
        ({**sent, "csrf_token": "forged" * 8}, {}),
        (tokenless, {}),
        (sent, {"Origin": "https://attacker.example"}),
    ):
        answer = http.post("/oauth/authorize", data=data, headers=headers)
        assert answer.status_code == 403
        assert "location" not in answer.headers
        assert "did not come from this site" in answer.text
    # the same form, as the browser sends it, is accepted
    assert "code" in redirect_query(http.post("/oauth/authorize", data=sent))


def test_wrong_password_shows_the_page_again(
    server: Server, http: httpx.Client, web_app: WebApp, make_user: Callable[..., User]
) -> None:
    user = make_user()
    url = authorize_url(server, web_app, scopes=["read"])
    form = read_page(http.get(url).text).hidden
    answer = http.post(
        "/oauth/authorize",
        data={**form, "login": user.username, "password": "not it", "decision": "approve"},
    )
    assert answer.status_code == 401
    assert "location" not in answer.headers
    assert 'role="alert"' in answer.text
    # what was asked for survives for the next try
    assert read_page(answer.text).hidden == form


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"client_id": "unknown"}, "unknown"),
        ({"redirect_uri": "https://attacker.example/cb"}, "redirect uri"),
        ({"scope": "read admin:read"}, "scope"),
        ({"scope": "follow"}, "scope"),
        ({"response_type": "token"}, "response type"),
    ],
)
def test_a_bad_authorisation_request_never_redirects(
    server: Server,
    http: httpx.Client,
    web_app: WebApp,
    change: dict[str, str],
    problem: str,
) -> None:
    query = {
        "client_id": web_app.client_id,
        "response_type": "code",
        "redirect_uri": REDIRECT,
        "scope": "read",
        **change,
    }
    page = http.get("/oauth/authorize", params=query)
    assert page.status_code == 400
    assert problem in page.text.lower()
    # the request is refused before the credentials are even looked at (with a good
    # CSRF token, so that it is the request that is refused)
    form = {**query, "csrf_token": http.cookies["ts_csrf"], "login": "x", "password": "y"}
    posted = http.post("/oauth/authorize", data=form)
    assert posted.status_code == 400
    assert "location" not in posted.headers


def test_a_code_is_bound_to_its_app_and_redirect_uri(
    server: Server, http: httpx.Client, web_app: WebApp, make_user: Callable[..., User]
) -> None:
    user = make_user()
    other_id, other_secret = Mastodon.create_app(
        "Other", scopes=["read"], redirect_uris=REDIRECT, api_base_url=server.url
    )
    url = authorize_url(server, web_app, scopes=["read"])
    code = redirect_query(approve(http, url, user))["code"]
    stolen = http.post(
        "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "client_id": other_id,
            "client_secret": other_secret,
            "redirect_uri": REDIRECT,
        },
    )
    assert stolen.json()["error"] == "invalid_grant"
    code = redirect_query(approve(http, url, user))["code"]
    elsewhere = exchange(http, web_app, code, redirect_uri=OOB)
    assert elsewhere.json()["error"] == "invalid_grant"
    # RFC 6749 4.1.3: the redirect_uri of the authorisation request must come back
    code = redirect_query(approve(http, url, user))["code"]
    unnamed = http.post(
        "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "client_id": web_app.client_id,
            "client_secret": web_app.client_secret,
        },
    )
    assert unnamed.status_code == 400
    assert unnamed.json()["error"] == "invalid_grant"


# --- password and client credentials -------------------------------------------------


def test_password_grant_with_username_and_email(
    server: Server, client_app: ClientApp, make_user: Callable[..., User]
) -> None:
    user = make_user()
    for login in (user.username, user.email.upper()):
        api = mastodon_for(server, client_app)
        api.log_in(login, user.password, scopes=["read", "write"], allow_http=True)
        assert api.account_verify_credentials()["id"] == user.id


def test_password_grant_refuses_a_wrong_password(
    http: httpx.Client, client_app: ClientApp, make_user: Callable[..., User]
) -> None:
    user = make_user()
    answer = http.post(
        "/oauth/token",
        data={
            "grant_type": "password",
            "username": user.username,
            "password": "nope",
            "client_id": client_app.client_id,
            "client_secret": client_app.client_secret,
        },
    )
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"


def test_client_credentials_act_for_the_app(
    server: Server, http: httpx.Client, web_app: WebApp
) -> None:
    answer = http.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "scope": "read",
            "client_id": web_app.client_id,
            "client_secret": web_app.client_secret,
        },
    )
    assert answer.status_code == 200
    token = answer.json()["access_token"]
    app = mastodon_for(server, web_app, token).app_verify_credentials()
    assert app["name"] == APP_NAME
    assert "client_secret" not in app
    no_user = http.get("/api/v1/accounts/verify_credentials", headers=bearer(token))
    assert no_user.status_code == 422
    assert no_user.json() == {"error": "This method requires an authenticated user"}


def _credentials_grant(http: httpx.Client, app: WebApp, how: str, scope: str) -> httpx.Response:
    body = {"grant_type": "client_credentials", "scope": scope}
    secret = {"client_id": app.client_id, "client_secret": app.client_secret}
    if how == "form":
        return http.post("/oauth/token", data={**body, **secret})
    if how == "json":
        return http.post("/oauth/token", json={**body, **secret})
    return http.post("/oauth/token", data=body, auth=(app.client_id, app.client_secret))


@pytest.mark.parametrize("how", ["form", "json", "basic"])
def test_client_authentication_by_form_json_and_basic(
    http: httpx.Client, web_app: WebApp, how: str
) -> None:
    answer = _credentials_grant(http, web_app, how, "read:accounts write:statuses")
    assert answer.status_code == 200, answer.text
    # the scope granted is echoed back exactly
    assert answer.json()["scope"] == "read:accounts write:statuses"


@pytest.mark.parametrize("how", ["form", "json", "basic"])
def test_a_wrong_secret_is_invalid_client(http: httpx.Client, web_app: WebApp, how: str) -> None:
    wrong = WebApp(web_app.client_id, "not-the-secret")
    answer = _credentials_grant(http, wrong, how, "read")
    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_client"
    assert 'error="invalid_client"' in answer.headers["www-authenticate"]


def test_scopes_outside_the_registration_are_invalid_scope(
    http: httpx.Client, web_app: WebApp, client_app: ClientApp, make_user: Callable[..., User]
) -> None:
    assert _credentials_grant(http, web_app, "form", "read follow").json()["error"] == (
        "invalid_scope"
    )
    assert _credentials_grant(http, web_app, "form", "read:nonsense").json()["error"] == (
        "invalid_scope"
    )
    user = make_user()
    answer = http.post(
        "/oauth/token",
        data={
            "grant_type": "password",
            "username": user.username,
            "password": user.password,
            "scope": "admin:read",
            "client_id": client_app.client_id,
            "client_secret": client_app.client_secret,
        },
    )
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_scope"


@pytest.mark.parametrize("grant", ["", "refresh_token", "implicit"])
def test_unsupported_grant_types(http: httpx.Client, web_app: WebApp, grant: str) -> None:
    answer = http.post(
        "/oauth/token",
        data={
            "grant_type": grant,
            "client_id": web_app.client_id,
            "client_secret": web_app.client_secret,
        },
    )
    assert answer.status_code == 400
    assert answer.json()["error"] == "unsupported_grant_type"


def test_revoked_tokens_stop_working(
    server: Server, http: httpx.Client, client_app: ClientApp, make_user: Callable[..., User]
) -> None:
    user = make_user()
    api = mastodon_for(server, client_app)
    token = api.log_in(user.username, user.password, scopes=["read"], allow_http=True)
    assert http.get("/api/v1/accounts/verify_credentials", headers=bearer(token)).status_code == 200
    api.revoke_access_token(allow_http=True)
    after = http.get("/api/v1/accounts/verify_credentials", headers=bearer(token))
    assert after.status_code == 401
    assert "error" in after.json()
    # the other token of the same person is untouched
    assert user.api.account_verify_credentials()["id"] == user.id


def test_an_app_cannot_revoke_another_apps_token(
    http: httpx.Client, web_app: WebApp, make_user: Callable[..., User]
) -> None:
    user = make_user()
    token = user.api.access_token
    assert token
    answer = http.post(
        "/oauth/revoke",
        data={
            "token": token,
            "client_id": web_app.client_id,
            "client_secret": web_app.client_secret,
        },
    )
    assert answer.status_code == 200  # RFC 7009: say nothing about tokens that are not yours
    assert http.get("/api/v1/accounts/verify_credentials", headers=bearer(token)).status_code == 200


def test_server_metadata(server: Server, client_app: ClientApp) -> None:
    info = mastodon_for(server, client_app).oauth_authorization_server_info()
    assert info["issuer"] == f"{server.url}/"
    assert {"authorization_code", "password", "client_credentials"} <= set(
        info["grant_types_supported"]
    )
    assert info["code_challenge_methods_supported"] == ["S256"]
    assert {"read", "write", "follow", "push", "profile"} <= set(info["scopes_supported"])
    for name in (
        "authorization_endpoint",
        "token_endpoint",
        "revocation_endpoint",
        "userinfo_endpoint",
        "app_registration_endpoint",
    ):
        assert info[name].startswith(server.url + "/")


# --- scopes on the API ---------------------------------------------------------------


def _token(http: httpx.Client, app: ClientApp, user: User, scope: str) -> str:
    answer = http.post(
        "/oauth/token",
        data={
            "grant_type": "password",
            "username": user.username,
            "password": user.password,
            "scope": scope,
            "client_id": app.client_id,
            "client_secret": app.client_secret,
        },
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


def test_a_read_token_cannot_write(
    http: httpx.Client, client_app: ClientApp, make_user: Callable[..., User]
) -> None:
    user = make_user()
    token = _token(http, client_app, user, "read")
    refused = http.patch(
        "/api/v1/accounts/update_credentials", headers=bearer(token), data={"note": "changed"}
    )
    assert refused.status_code == 403
    assert "error" in refused.json()
    assert user.api.account_verify_credentials()["note"] == ""


def test_a_read_token_cannot_post(
    http: httpx.Client, client_app: ClientApp, make_user: Callable[..., User]
) -> None:
    user = make_user()
    token = _token(http, client_app, user, "read")
    refused = http.post("/api/v1/statuses", headers=bearer(token), data={"status": "hello"})
    if refused.status_code == 404:
        pytest.skip("POST /api/v1/statuses is not there yet")
    assert refused.status_code == 403
    assert "error" in refused.json()


def test_narrow_scopes_are_enough_and_no_more(
    http: httpx.Client, client_app: ClientApp, make_user: Callable[..., User]
) -> None:
    user = make_user()
    accounts_only = _token(http, client_app, user, "read:accounts")
    me = http.get("/api/v1/accounts/verify_credentials", headers=bearer(accounts_only))
    assert me.status_code == 200
    assert me.json()["id"] == user.id
    statuses_only = _token(http, client_app, user, "read:statuses")
    refused = http.get("/api/v1/accounts/verify_credentials", headers=bearer(statuses_only))
    assert refused.status_code == 403
    write_accounts = _token(http, client_app, user, "write:accounts")
    changed = http.patch(
        "/api/v1/accounts/update_credentials",
        headers=bearer(write_accounts),
        data={"display_name": "Narrow"},
    )
    assert changed.status_code == 200
    assert changed.json()["display_name"] == "Narrow"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic Zm9vOmJhcg=="},
    ],
    ids=["none", "garbage", "empty", "basic"],
)
def test_endpoints_that_need_a_token_answer_401(
    http: httpx.Client, headers: dict[str, str]
) -> None:
    for method, path in (
        ("GET", "/api/v1/accounts/verify_credentials"),
        ("PATCH", "/api/v1/accounts/update_credentials"),
        ("GET", "/api/v1/apps/verify_credentials"),
        ("GET", "/oauth/userinfo"),
    ):
        answer = http.request(method, path, headers=headers)
        assert answer.status_code == 401, (method, path)
        assert isinstance(answer.json()["error"], str)
        assert answer.headers["www-authenticate"].startswith("Bearer ")


def test_a_garbage_token_is_refused_even_where_visitors_are_welcome(http: httpx.Client) -> None:
    assert http.get("/api/v1/instance").status_code == 200
    refused = http.get("/api/v1/instance", headers={"Authorization": "Bearer garbage"})
    assert refused.status_code == 401
    assert refused.json() == {"error": "The access token is invalid"}


def test_mastodon_py_reports_a_bad_login(server: Server, client_app: ClientApp) -> None:
    api = mastodon_for(server, client_app)
    with pytest.raises(MastodonIllegalArgumentError):
        api.log_in("nobody-at-all", "password123", allow_http=True)
