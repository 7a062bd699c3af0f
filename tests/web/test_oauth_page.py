"""The OAuth authorisation page in the browser: a page of the web app, in its look and
language, with its CSRF check; a signed-in person consents without a password."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from mastodon import Mastodon
from playwright.async_api import Browser, Page, expect

from tests.conftest import User, unique_name
from tests.servers import Server
from tests.web.conftest import new_person, open_page, sign_up
from tests.web.test_accessibility import AXE, _serious

OOB = "urn:ietf:wg:oauth:2.0:oob"


@dataclass
class App:
    name: str
    client_id: str
    client_secret: str
    redirect: str


def _app(server: Server) -> App:
    # The redirect URI is a page of the test server, so the browser never leaves it.
    name = f"Chowk <Reader> ٹیسٹ {unique_name('a')}"
    redirect = f"{server.url}/about"
    client_id, client_secret = Mastodon.create_app(
        name,
        scopes=["read", "write", "profile"],
        redirect_uris=[redirect, OOB],
        api_base_url=server.url,
    )
    return App(name, client_id, client_secret, redirect)


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _url(server: Server, app: App, *, redirect: str | None = None, **extra: str) -> str:
    query = {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": redirect or app.redirect,
        "scope": "read profile",
        **extra,
    }
    return f"{server.url}/oauth/authorize?{urlencode(query)}"


def _exchange(server: Server, app: App, code: str, redirect: str, **extra: str) -> str:
    """The app's side: the code buys a token, and the token names the account."""
    with httpx.Client(base_url=server.url, timeout=30) as http:
        token = http.post(
            "/oauth/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect,
                "client_id": app.client_id,
                "client_secret": app.client_secret,
                **extra,
            },
        )
        assert token.status_code == 200, token.text
        me = http.get(
            "/api/v1/accounts/verify_credentials",
            headers={"Authorization": f"Bearer {token.json()['access_token']}"},
        )
    assert me.status_code == 200, me.text
    return str(me.json()["username"])


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


async def test_a_signed_in_person_authorises_without_a_password(page: Page, server: Server) -> None:
    app = _app(server)
    person = new_person("oauth")
    await sign_up(page, server, person)
    verifier, challenge = _pkce()
    state = secrets.token_urlsafe(8)
    answer = await page.goto(
        _url(server, app, state=state, code_challenge=challenge, code_challenge_method="S256")
    )
    assert answer is not None and answer.status == 200
    policy = answer.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
    await expect(page.locator("h1")).to_have_text(f"Authorize {app.name}?")
    await expect(page.locator("h1 bdi")).to_have_attribute("dir", "auto")
    await expect(page.locator(".oauth-scopes code")).to_have_text(["read", "profile"])
    await expect(page.locator(".oauth-scopes li").first).to_contain_text(
        "Read everything on your account"
    )
    await expect(page.get_by_text(f"You are logged in as @{person.username}.")).to_be_visible()
    await expect(page.locator("input[type=password]")).to_have_count(0)
    # The web app's layout: its masthead, with this person signed in.
    await expect(page.locator(".masthead").get_by_role("button", name="Log out")).to_be_visible()

    await page.get_by_role("button", name="Authorize", exact=True).click()
    await page.wait_for_url(f"{app.redirect}?*")
    query = _query(page.url)
    assert query["state"] == state and "error" not in query
    assert _exchange(server, app, query["code"], app.redirect, code_verifier=verifier) == (
        person.username
    )


async def test_out_of_band_shows_the_code_on_a_page(page: Page, server: Server) -> None:
    app = _app(server)
    person = new_person("oob")
    await sign_up(page, server, person)
    await page.goto(_url(server, app, redirect=OOB))
    await page.get_by_role("button", name="Authorize", exact=True).click()
    await expect(page.locator("h1")).to_have_text("Authorization code")
    code = await page.locator("#authorization-code").text_content()
    assert code
    assert _exchange(server, app, code.strip(), OOB) == person.username


async def test_a_visitor_signs_in_on_the_page(
    page: Page, server: Server, make_user: Callable[..., User]
) -> None:
    """A browser that has never seen the site: the page itself sets the CSRF cookie."""
    app = _app(server)
    user = make_user("oauthv")
    await page.goto(_url(server, app, state="s-2"))
    assert any(c["name"] == "ts_csrf" for c in await page.context.cookies())
    form = page.locator("form[action='/oauth/authorize']")
    await form.get_by_label("Username or e-mail").fill(user.username)
    await form.get_by_label("Password").fill("not the password")
    await form.get_by_role("button", name="Authorize", exact=True).click()
    await expect(page.get_by_role("alert")).to_have_text("Invalid email/username or password")
    # What was typed and what the app asked for survive for the next try.
    await expect(form.get_by_label("Username or e-mail")).to_have_value(user.username)
    await expect(page.locator(".oauth-scopes code")).to_have_text(["read", "profile"])
    await form.get_by_label("Password").fill(user.password)
    await form.get_by_role("button", name="Authorize", exact=True).click()
    await page.wait_for_url(f"{app.redirect}?*")
    query = _query(page.url)
    assert query["state"] == "s-2"
    assert _exchange(server, app, query["code"], app.redirect) == user.username


async def test_another_account_can_be_used_without_signing_out(
    page: Page, server: Server, make_user: Callable[..., User]
) -> None:
    app = _app(server)
    await sign_up(page, server, new_person("oautho"))
    other = make_user("oauthx")
    await page.goto(_url(server, app))
    await page.get_by_role("link", name="Use another account").click()
    form = page.locator("form[action='/oauth/authorize']")
    await form.get_by_label("Username or e-mail").fill(other.email)
    await form.get_by_label("Password").fill(other.password)
    await form.get_by_role("button", name="Authorize", exact=True).click()
    await page.wait_for_url(f"{app.redirect}?*")
    assert _exchange(server, app, _query(page.url)["code"], app.redirect) == other.username


async def test_forged_and_missing_csrf_tokens_are_refused(page: Page, server: Server) -> None:
    app = _app(server)
    await sign_up(page, server, new_person("oauthc"))
    token = page.locator("form[action='/oauth/authorize'] input[name=csrf_token]")
    for tamper in ("e => { e.value = 'forged' }", "e => e.remove()"):
        await page.goto(_url(server, app, state="s-3"))
        await token.evaluate(tamper)
        async with page.expect_response(lambda r: r.request.method == "POST") as info:
            await page.get_by_role("button", name="Authorize", exact=True).click()
        assert (await info.value).status == 403
        await expect(page.get_by_role("alert")).to_contain_text(
            "This form has expired or did not come from this site."
        )
        assert page.url.startswith(f"{server.url}/oauth/authorize")


async def test_deny_sends_access_denied_back(page: Page, server: Server) -> None:
    app = _app(server)
    await sign_up(page, server, new_person("oauthd"))
    await page.goto(_url(server, app, state="s-4"))
    await page.get_by_role("button", name="Deny").click()
    await page.wait_for_url(f"{app.redirect}?*")
    query = _query(page.url)
    assert query["error"] == "access_denied" and query["state"] == "s-4"
    assert "code" not in query
    # With the out-of-band URI there is nowhere to send it: the page says so.
    await page.goto(_url(server, app, redirect=OOB))
    await page.get_by_role("button", name="Deny").click()
    await expect(page.get_by_role("alert")).to_have_text("You denied the application access.")


async def test_the_page_in_urdu_is_right_to_left_and_translated(
    browser: Browser, server: Server
) -> None:
    app = _app(server)
    page, watched = await open_page(browser, server, locale="ur-PK")
    try:
        await page.goto(_url(server, app))
        html = page.locator("html")
        await expect(html).to_have_attribute("lang", "ur")
        await expect(html).to_have_attribute("dir", "rtl")
        await expect(page.locator("h1")).to_have_text(f"کیا {app.name} کو اجازت دیں؟")
        await expect(page.locator("h1 bdi")).to_have_attribute("dir", "auto")
        await expect(page.locator(".oauth-scopes code").first).to_have_attribute("dir", "auto")
        await expect(page.locator(".oauth-scopes li").first).to_contain_text(
            "آپ کے اکاؤنٹ کی ہر چیز پڑھنا"
        )
        await expect(page.get_by_label("پاس ورڈ")).to_be_visible()
        await expect(page.get_by_role("button", name="اجازت دیں")).to_be_visible()
        await expect(page.get_by_role("button", name="انکار کریں")).to_be_visible()
    finally:
        await page.context.close()
    assert watched.outside == [] and watched.errors == []


@pytest.mark.skipif(
    not AXE.exists(), reason="axe-core is not installed (npm ci --prefix tests/web)"
)
async def test_the_page_passes_axe(browser: Browser, server: Server) -> None:
    app = _app(server)
    found: list[str] = []
    for locale in ("en-GB", "ur-PK"):
        page, watched = await open_page(browser, server, locale=locale)
        try:
            await page.goto(_url(server, app))
            found += await _serious(page)
            await sign_up(page, server, new_person("oautha"), heading=None)
            await page.goto(_url(server, app))
            found += await _serious(page)
            await page.goto(_url(server, app, redirect=OOB))
            await page.locator("form[action='/oauth/authorize'] button[value=approve]").click()
            await expect(page.locator("#authorization-code")).to_be_visible()
            found += await _serious(page)
        finally:
            await page.context.close()
        assert watched.outside == [] and watched.errors == []
    assert found == []


async def test_switching_language_keeps_the_request(page: Page, server: Server) -> None:
    """After a refused password the page answers a POST; the language switch still
    comes back to the authorisation request the app made."""
    app = _app(server)
    await page.goto(_url(server, app, state="s-5"))
    form = page.locator("form[action='/oauth/authorize']")
    await form.get_by_label("Username or e-mail").fill("nobody-by-this-name")
    await form.get_by_label("Password").fill("not a password")
    await form.get_by_role("button", name="Authorize", exact=True).click()
    await expect(page.get_by_role("alert")).to_be_visible()
    await page.get_by_label("Interface language").select_option("ur")
    await page.get_by_role("button", name="Change").click()
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")
    await expect(page.locator("h1")).to_have_text(f"کیا {app.name} کو اجازت دیں؟")
    assert _query(page.url)["state"] == "s-5"
