"""The transparency report page and the moderators' policy comparison, in Chromium."""

from __future__ import annotations

from collections.abc import Callable

from playwright.async_api import Page, expect

from tests.conftest import User
from tests.moderation.test_transparency_http import scene
from tests.servers import Server

__all__ = ["scene"]  # the module fixture: entities, a downranked post, a moderator


async def _sign_in(page: Page, server: Server, login: str, password: str) -> None:
    await page.goto(f"{server.url}/auth/sign_in")
    form = page.locator("form[action='/auth/sign_in']")
    await form.locator("[name=login]").fill(login)
    await form.locator("[name=password]").fill(password)
    await form.locator("button[type=submit]").click()
    await page.wait_for_url(f"{server.url}/home")


async def test_transparency_page_and_policy_comparison_in_the_browser(
    page: Page, server: Server, scene: dict[str, str], make_user: Callable[..., User]
) -> None:
    await page.goto(f"{server.url}/about/transparency")
    await expect(page.locator("h1")).to_have_text("Transparency report")
    await expect(page.locator("table.report caption", has_text="By rule").first).to_be_visible()
    await expect(page.locator("body")).to_contain_text("praise-restricted-reach")
    # an ordinary person is refused the comparison with a readable page
    person = make_user("trw")
    await _sign_in(page, server, person.username, person.password)
    refused = await page.goto(f"{server.url}/admin/policy")
    assert refused is not None and refused.status == 403
    await expect(page.locator("main")).to_contain_text("Only moderators and admins")
    await page.context.clear_cookies()
    await _sign_in(page, server, scene["moderator"], scene["password"])
    await page.goto(f"{server.url}/admin/policy")
    await page.locator("#policy").select_option("dangerous-orgs")
    await page.locator("#against").select_option("open")
    await page.locator("form.policy-form button[type=submit]").click()
    await page.wait_for_url("**/admin/policy?policy=dangerous-orgs&against=open")
    row = page.locator("table.comparison tbody tr", has_text=scene["praise"])
    await expect(row).to_contain_text("strike")
    await expect(row).to_contain_text("downrank")
    await expect(row).to_contain_text("praise-restricted-reach")
    unknown = await page.goto(f"{server.url}/admin/policy?policy=/etc/passwd")
    assert unknown is not None and unknown.status == 422
    await expect(page.locator("[role=alert]")).to_contain_text("Unknown policy")
