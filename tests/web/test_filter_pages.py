"""Filters on the web, in real Chromium: made, edited and deleted under settings; a
post matching a warn filter sits behind a "Filtered: <title>" click-through that works
without JavaScript; a post matching a hide filter leaves the timeline."""

from __future__ import annotations

import secrets

from playwright.async_api import Browser, Page, expect

from tests.servers import Server
from tests.web.conftest import new_person, open_page, post, sign_up
from tests.web.test_accessibility import AXE, _serious


async def _posted(page: Page, text: str) -> None:
    await post(page, text)
    await expect(page.locator("[data-feed] article.post").filter(has_text=text)).to_have_count(1)


async def _add_filter(page: Page, server: Server, title: str, keywords: str, action: str) -> None:
    await page.goto(f"{server.url}/settings/filters")
    form = page.locator("form[action='/settings/filters']")
    await form.locator("[name=title]").fill(title)
    await form.locator("[name=keywords]").fill(keywords)
    await form.locator(f"#filter-action-{action}").check()
    await form.get_by_role("button", name="Add filter").click()
    await expect(page.get_by_role("status")).to_have_text("Your filter is saved.")


async def test_filters_warn_hide_and_are_edited_and_deleted(page: Page, server: Server) -> None:
    await sign_up(page, server, new_person("filt"))
    word = f"zq{secrets.token_hex(3)}"
    await _posted(page, f"یہ كتاب {word} کے بارے میں ہے")
    await _posted(page, f"hide{word} this one")
    await _posted(page, "a quiet afternoon")

    await page.goto(f"{server.url}/settings")
    await page.get_by_role("link", name="Filters").click()
    await expect(page.locator("h1")).to_have_text("Filters")
    # Urdu typed on an Urdu keyboard matches the post's Arabic-keyboard kaf
    await _add_filter(page, server, "Books", "کتاب", "warn")
    await _add_filter(page, server, "Gone", f"hide{word}", "hide")
    listed = page.locator("li.filter")
    await expect(listed).to_have_count(2)
    await expect(listed.first).to_contain_text("Books")
    if AXE.exists():
        assert await _serious(page) == []

    await page.goto(f"{server.url}/home")
    feed = page.locator("[data-feed] article.post")
    await expect(feed.filter(has_text="a quiet afternoon")).to_have_count(1)
    await expect(feed.filter(has_text=f"hide{word}")).to_have_count(0)
    warned = page.locator("article.post", has=page.locator("details.filter-warning"))
    await expect(warned).to_have_count(1)
    summary = warned.locator("details.filter-warning > summary")
    await expect(summary).to_contain_text("Filtered: Books")
    content = warned.locator(".content")
    await expect(content).to_be_hidden()
    await summary.click()
    await expect(content).to_be_visible()
    await expect(content).to_contain_text(word)

    # edit: a new title and only the word, not the Urdu one
    await page.goto(f"{server.url}/settings/filters")
    await listed.first.get_by_role("link", name="Edit").click()
    form = page.locator("form[action^='/settings/filters/']").filter(
        has=page.locator("[name=title]")
    )
    await expect(form.locator("[name=title]")).to_have_value("Books")
    await form.locator("[name=title]").fill("Words")
    await form.locator("[name=keywords]").fill(word)
    await form.get_by_role("button", name="Save filter").click()
    await expect(page.get_by_role("status")).to_have_text("Your filter is changed.")
    await expect(listed.first).to_contain_text("Words")
    await expect(listed.first.locator(".keyword")).to_have_text([word])

    # bad input: no context is refused with a readable message, nothing changes
    await page.goto(f"{server.url}/settings/filters")
    form = page.locator("form[action='/settings/filters']")
    await form.locator("[name=title]").fill("Nowhere")
    await form.locator("[name=keywords]").fill("anything")
    for box in await form.locator("[name=context]").all():
        await box.uncheck()
    await form.get_by_role("button", name="Add filter").click()
    await expect(page.get_by_role("alert")).to_contain_text("Context can't be blank")
    await expect(page.locator("[name=title]").last).to_have_value("Nowhere")
    await expect(listed).to_have_count(2)

    # delete the hide filter: its post is back on the timeline
    gone = listed.filter(has_text="Gone")
    await gone.get_by_role("button", name="Delete").click()
    await expect(page.get_by_role("status")).to_have_text("Your filter is deleted.")
    await expect(listed).to_have_count(1)
    await page.goto(f"{server.url}/home")
    await expect(feed.filter(has_text=f"hide{word}")).to_have_count(1)


async def test_someone_elses_filter_is_not_found(browser: Browser, server: Server) -> None:
    owner, owner_watch = await open_page(browser, server)
    other, other_watch = await open_page(browser, server)
    try:
        await sign_up(owner, server, new_person("fown"))
        await _add_filter(owner, server, "Private", "secret", "warn")
        link = owner.locator("li.filter").get_by_role("link", name="Edit")
        address = await link.get_attribute("href")
        assert address is not None
        await sign_up(other, server, new_person("foth"))
        answer = await other.goto(f"{server.url}{address.split('#')[0]}")
        assert answer is not None and answer.status == 404
        await expect(other.locator("body")).not_to_contain_text("secret")
    finally:
        await owner.context.close()
        await other.context.close()
    assert owner_watch.errors == [] and other_watch.errors == []


async def test_filters_page_and_warning_in_urdu(browser: Browser, server: Server) -> None:
    reader, watched = await open_page(browser, server, locale="ur-PK")
    try:
        await sign_up(reader, server, new_person("furdu"), heading=None)
        word = f"zu{secrets.token_hex(3)}"
        await _posted(reader, f"{word} اردو میں")
        await reader.goto(f"{server.url}/settings/filters")
        await expect(reader.locator("h1")).to_have_text("فلٹر")
        form = reader.locator("form[action='/settings/filters']")
        await form.locator("[name=title]").fill("کتابیں")
        await form.locator("[name=keywords]").fill(word)
        await form.locator("button[type=submit]").click()
        await expect(reader.get_by_role("status")).to_have_text("آپ کا فلٹر محفوظ ہو گیا۔")
        await reader.goto(f"{server.url}/home")
        summary = reader.locator("details.filter-warning > summary")
        await expect(summary).to_contain_text("فلٹر شدہ: کتابیں")
        if AXE.exists():
            assert await _serious(reader) == []
    finally:
        await reader.context.close()
    assert watched.outside == [] and watched.errors == []
