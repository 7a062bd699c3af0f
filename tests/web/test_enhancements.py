"""The scripts that enhance the plain pages: posting in place, new posts, the counter."""

from __future__ import annotations

from collections.abc import Callable

from playwright.async_api import Page, expect

from tests.conftest import User
from tests.servers import Server
from tests.web.conftest import new_person, post, sign_up


async def test_posting_without_a_reload_and_the_new_posts_notice(
    page: Page, server: Server, make_user: Callable[..., User]
) -> None:
    friend = make_user("friend")
    person = new_person("inplace")
    await sign_up(page, server, person)
    await page.goto(f"{server.url}/@{friend.username}")
    await page.locator("form[action$='/follow'] button").click()
    await page.goto(f"{server.url}/home")
    await page.evaluate("window.sameDocument = true")

    await post(page, "posted in place")
    await expect(page.locator(".post .content").first).to_have_text("posted in place")
    await expect(page.locator("[data-compose-text]")).to_have_value("")
    await post(page, "and a second one")
    await expect(page.locator(".post .content").first).to_have_text("and a second one")
    assert await page.evaluate("window.sameDocument") is True

    # Someone followed posts; coming back to the tab shows that there is more.
    notice = page.locator("[data-new-posts]")
    await expect(notice).to_be_hidden()
    friend.api.status_post("news from a friend")
    await page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    await expect(notice).to_be_visible()
    await notice.get_by_role("link", name="New posts").click()
    await expect(page.locator(".post .content").first).to_have_text("news from a friend")


async def test_counter_counts_graphemes_and_links_as_the_server_does(
    page: Page, server: Server
) -> None:
    await sign_up(page, server, new_person("count"))
    box = page.locator("[data-compose-text]")
    counter = page.locator("[data-counter]")
    await box.fill("🇵🇰 اُردو")  # a flag is one, an Urdu letter with its pesh is one
    await expect(counter).to_have_text("6 / 500")
    await box.fill("see https://example.org/a/very/long/path/that/goes/on")
    await expect(counter).to_have_text("27 / 500")
