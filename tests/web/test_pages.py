"""Pages around the app: a missing page, the OAuth authorisation page's look."""

from __future__ import annotations

import re

import httpx
from playwright.async_api import Page, expect

from tests.conftest import ClientApp
from tests.servers import Server
from tests.web.conftest import new_person, sign_up


async def test_a_missing_page_is_a_readable_page(page: Page, server: Server) -> None:
    answer = await page.goto(f"{server.url}/no/such/page")
    assert answer is not None and answer.status == 404
    await expect(page.locator("h1")).to_have_text("Sorry")
    await expect(page.get_by_role("alert")).to_have_text("That page does not exist, or is hidden.")
    await page.goto(f"{server.url}/@nobody_is_called_this")
    await expect(page.get_by_role("alert")).to_have_text("That page does not exist, or is hidden.")
    # Machines still get the API's JSON.
    async with httpx.AsyncClient(base_url=server.url) as client:
        api = await client.get("/api/v1/no_such_thing", headers={"accept": "text/html"})
    assert api.status_code == 404 and api.json() == {"error": "Record not found"}


async def test_the_oauth_page_has_the_site_look(
    page: Page, server: Server, client_app: ClientApp
) -> None:
    await page.goto(
        f"{server.url}/oauth/authorize?response_type=code&client_id={client_app.client_id}"
        "&redirect_uri=urn:ietf:wg:oauth:2.0:oob&scope=read"
    )
    await expect(page.locator("h1")).to_have_text("Authorize townsquare tests?")
    await expect(page.locator(".masthead .brand")).to_be_visible()
    card = page.locator("main .card")
    assert await card.evaluate("e => getComputedStyle(e).borderTopLeftRadius") == "12px"
    await expect(page.get_by_label("Username or e-mail")).to_be_visible()


async def test_a_chosen_theme_wins_over_the_system(page: Page, server: Server) -> None:
    await sign_up(page, server, new_person("theme"))
    body = page.locator("body")
    light = await body.evaluate("e => getComputedStyle(e).backgroundColor")
    await page.goto(f"{server.url}/settings")
    await page.get_by_label("Colours").select_option("dark")
    await page.get_by_role("button", name="Save theme").click()
    await expect(page.get_by_text("Your theme is saved for this browser.")).to_be_visible()
    await expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    assert await body.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(15, 17, 21)"
    assert light != "rgb(15, 17, 21)"
    await page.get_by_label("Colours").select_option("system")
    await page.get_by_role("button", name="Save theme").click()
    await expect(page.locator("html")).not_to_have_attribute("data-theme", "dark")


async def test_the_browser_finds_our_icon_and_asks_for_nothing_missing(
    page: Page, server: Server
) -> None:
    """Without an icon of ours, Chromium asks for /favicon.ico on every site and logs
    the 404 as an error."""
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    await page.goto(f"{server.url}/")
    icon = page.locator("link[rel=icon]")
    await expect(icon).to_have_attribute("href", re.compile(r"^/assets/icon\.svg\?v="))
    href = await icon.get_attribute("href")
    async with page.expect_response(lambda r: "/assets/icon.svg" in r.url) as answer_info:
        await page.evaluate("href => fetch(href)", href)
    answer = await answer_info.value
    assert answer.status == 200 and answer.headers["content-type"].startswith("image/svg+xml")
    await page.goto(f"{server.url}/about")
    await expect(page.locator("h1")).to_be_visible()
    assert missing == []
