"""The search page in the browser: an Urdu word found by another spelling, operators
explained, and pages of results."""

from __future__ import annotations

import secrets
from urllib.parse import quote

from playwright.async_api import Page, expect

from tests.servers import Server
from tests.web.conftest import new_person, post, sign_up


async def _search_until_found(page: Page, server: Server, q: str, text: str) -> None:
    """Search until the post is indexed (the server's worker does it just after the
    post), boundedly."""
    for _ in range(50):
        await page.goto(f"{server.url}/search?q={quote(q)}")
        if await page.locator("article", has_text=text).count():
            return
    raise AssertionError(f"{text!r} never found for {q!r}")


async def test_an_urdu_word_is_found_by_its_arabic_keyboard_spelling(
    page: Page, server: Server
) -> None:
    await sign_up(page, server, new_person("sp"))
    word = "کتاب" + "".join(secrets.choice("ابپتٹجچ") for _ in range(5))
    text = f"آج میں نے {word} پڑھی"
    await post(page, text)
    await _search_until_found(page, server, word.replace("ک", "ك"), text)
    found = page.locator("article", has_text=text)
    await expect(found).to_have_count(1)
    await expect(page.locator("#search-hint")).to_contain_text("from:name")
    # a query of only punctuation and harakat is answered with an empty page
    await page.goto(f"{server.url}/search?q={quote('!!! ُ ِ')}&page=abc")
    await expect(page.locator("h1")).to_have_text("Search")
