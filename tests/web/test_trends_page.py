"""Trending hashtags on the search page, before anything is searched for."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from playwright.async_api import Page, expect

from tests.conftest import User
from tests.servers import Server
from tests.web.conftest import new_person, sign_up


async def test_the_search_page_shows_what_is_trending(
    page: Page, server: Server, make_user: Callable[..., User]
) -> None:
    tag = "مشاعرہ" + "".join(secrets.choice("ابپتٹجچ") for _ in range(5))
    for person in (make_user("wt"), make_user("wt"), make_user("wt")):
        person.api.status_post(f"آج شام #{tag}", language="ur")
    trending = page.locator("section", has=page.get_by_role("heading", name="Trending hashtags"))
    counted = trending.locator("li", has_text=tag).filter(has_text="3 people")
    # the uses are recorded by the server's worker just after each post, one job each;
    # refresh until all three are in (boundedly), as the periodic job would
    for _ in range(20):
        assert server.cli("trends", "refresh").returncode == 0
        await page.goto(f"{server.url}/search")
        if await counted.count():
            break
    await expect(trending.get_by_role("link", name=f"#{tag}")).to_have_attribute("lang", "ur")
    await expect(trending.locator("li", has_text=tag)).to_contain_text(
        "3 people in the last 24 hours"
    )
    # a search replaces the trends with results
    await page.goto(f"{server.url}/search?q={tag}")
    await expect(page.get_by_role("heading", name="Trending hashtags")).to_have_count(0)

    # a signed-in reader who reads only English no longer sees the Urdu tag trend
    await sign_up(page, server, new_person("trendreader"))
    await page.goto(f"{server.url}/search")
    await expect(trending.get_by_role("link", name=f"#{tag}")).to_be_visible()
    await page.goto(f"{server.url}/settings")
    languages = page.locator("form[action='/settings/languages']")
    await languages.get_by_label("English", exact=True).check()
    await languages.get_by_role("button", name="Save languages").click()
    await expect(page.get_by_role("status")).to_have_text("Your languages are saved.")
    await page.goto(f"{server.url}/search")
    await expect(page.get_by_role("heading", name="Search")).to_be_visible()
    await expect(page.get_by_role("link", name=f"#{tag}")).to_have_count(0)
