"""The sessions list says when each session and app token was last used, in English
and Urdu, in Chromium against the shared server."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
from playwright.async_api import Page, expect

from tests.conftest import ClientApp, User
from tests.servers import Server
from tests.web.test_accessibility import AXE, _serious


async def test_sessions_and_apps_show_when_they_were_last_used(
    page: Page, server: Server, make_user: Callable[..., User], client_app: ClientApp
) -> None:
    # an app token that has read the API (make_user verifies its credentials)
    person = make_user("used")
    # and one issued but never sent
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        issued = await client.post(
            "/oauth/token",
            data={
                "grant_type": "password",
                "client_id": client_app.client_id,
                "client_secret": client_app.client_secret,
                "username": person.email,
                "password": person.password,
                "scope": "read",
            },
        )
    assert issued.status_code == 200, issued.text

    await page.goto(f"{server.url}/auth/sign_in")
    form = page.locator("form[action='/auth/sign_in']")
    await form.locator("[name=login]").fill(person.username)
    await form.locator("[name=password]").fill(person.password)
    await form.locator("button[type=submit]").click()
    await page.wait_for_url(re.compile(r"/home$"))
    await page.goto(f"{server.url}/settings")

    sessions = page.locator(".session-list li")
    await expect(sessions).to_have_count(3)
    here = page.locator(".session-list li.current")
    await expect(here).to_contain_text("This browser")
    await expect(here.locator(".session-used")).to_have_text(re.compile(r"^Last used "))
    await expect(here.locator(".session-used time")).to_have_attribute(
        "datetime", re.compile(r"^\d{4}-\d\d-\d\dT")
    )
    apps = sessions.filter(has_text="townsquare tests")
    await expect(apps).to_have_count(2)
    # newest first: the token never sent, then the one that read the API
    await expect(apps.nth(0).locator(".session-used")).to_have_text("Not used yet")
    await expect(apps.nth(1).locator(".session-used")).to_have_text(re.compile(r"^Last used "))
    await expect(page.get_by_text("noted to within five minutes")).to_be_visible()
    if AXE.exists():
        assert await _serious(page) == []

    await page.context.add_cookies([{"name": "ts_lang", "value": "ur", "url": server.url}])
    await page.goto(f"{server.url}/settings")
    await expect(here.locator(".session-used")).to_contain_text("آخری استعمال")
    await expect(apps.nth(0).locator(".session-used")).to_have_text("ابھی استعمال نہیں ہوا")
