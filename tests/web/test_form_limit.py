"""The web's limit on form posts: past it, a readable page (429) in the interface
language, with Retry-After; a post refused keeps its text. In Chromium, against a
server of their own with a small limit.

The limiter counts in fixed five-minute windows, so a run may cross into a fresh
window: each check sends forms until one is refused (at most two windows' worth)
rather than counting to an exact number.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from playwright.async_api import Browser, Page, Response, expect

from tests.servers import Server, own_server
from tests.web.conftest import new_person, open_page, sign_up

LIMIT = 3
REFUSED_EN = "You have sent a great many forms in a few minutes. Nothing was saved"


@pytest.fixture(scope="module")
def limited_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # with Redis where the run has one (the PostgreSQL run): the limit shared by servers
    yield from own_server(
        tmp_path_factory, "limited", {"TOWNSQUARE_WEB_FORMS_PER_5MIN": str(LIMIT)},
        shared_redis=True,
    )  # fmt: skip


@pytest.fixture
async def person_page(browser: Browser, limited_server: Server) -> AsyncIterator[Page]:
    opened, watched = await open_page(browser, limited_server)
    yield opened
    await opened.context.close()
    assert watched.outside == [] and watched.errors == []


async def _save_theme_until_refused(page: Page, server: Server) -> Response:
    """Send the theme form until the server refuses one; that answer."""
    for _ in range(2 * LIMIT + 2):
        await page.goto(f"{server.url}/settings")
        form = page.locator("form[action='/settings/theme']")
        async with page.expect_navigation() as navigation:
            await form.locator("button[type=submit]").click()
        answer = await navigation.value
        assert answer is not None
        if answer.status == 429:
            return answer
        await expect(page.locator("p[role=status]")).to_be_visible()
    raise AssertionError("no form was refused")


async def test_too_many_forms_get_a_readable_page(
    person_page: Page, limited_server: Server
) -> None:
    await sign_up(person_page, limited_server, new_person("busy"))
    refused = await _save_theme_until_refused(person_page, limited_server)
    assert 1 <= int(refused.headers["retry-after"]) <= 300
    await expect(person_page.locator("h1")).to_have_text("Sorry")
    await expect(person_page.get_by_role("alert")).to_contain_text(REFUSED_EN)
    # reading is not limited: the pages still open
    await person_page.goto(f"{limited_server.url}/home")
    await expect(person_page.locator("h1")).to_have_text("Home")

    # the same page in Urdu
    await person_page.context.add_cookies(
        [{"name": "ts_lang", "value": "ur", "url": limited_server.url}]
    )
    refused = await _save_theme_until_refused(person_page, limited_server)
    await expect(person_page.locator("html")).to_have_attribute("dir", "rtl")
    await expect(person_page.get_by_role("alert")).to_contain_text("کچھ بھی محفوظ نہیں ہوا")
    # signing out is never refused
    await person_page.goto(f"{limited_server.url}/settings")
    await person_page.locator("form[action='/auth/sign_out'] button").first.click()
    await expect(person_page.locator("a[href='/auth/sign_in']").first).to_be_visible()
    await person_page.goto(f"{limited_server.url}/settings")
    await expect(person_page.locator("form[action='/auth/sign_in']")).to_be_visible()


async def test_a_refused_post_keeps_its_text(
    browser: Browser, person_page: Page, limited_server: Server
) -> None:
    await sign_up(person_page, limited_server, new_person("poster"))
    form = person_page.locator("[data-compose]").first
    for attempt in range(2 * LIMIT + 2):
        text = f"Post number {attempt}"
        await form.locator("textarea[name=text]").fill(text)
        async with person_page.expect_response(
            lambda r: r.request.method == "POST" and r.url.endswith("/compose")
        ) as answer_info:
            await form.locator("button[type=submit]").click()
        answer = await answer_info.value
        if answer.status == 429:
            break
        await expect(
            person_page.locator("[data-feed] article.post").filter(has_text=text)
        ).to_have_count(1)
    else:
        raise AssertionError("no post was refused")
    # the script shows the refusal beside the text, which stays to be sent later
    await expect(form.locator(".form-error")).to_contain_text(REFUSED_EN)
    await expect(form.locator("textarea[name=text]")).to_have_value(text)
    await expect(person_page.locator("article.post").filter(has_text=text)).to_have_count(0)

    # another person is not held back by this one's posts
    other, watched = await open_page(browser, limited_server)
    try:
        await sign_up(other, limited_server, new_person("calm"))
        await other.goto(f"{limited_server.url}/settings")
        await other.locator("form[action='/settings/theme'] button[type=submit]").click()
        await expect(other.get_by_role("status")).to_have_text(
            "Your theme is saved for this browser."
        )
    finally:
        await other.context.close()
    assert watched.errors == []


async def test_without_javascript_a_refused_post_comes_back_in_its_form(
    browser: Browser, limited_server: Server
) -> None:
    page, watched = await open_page(browser, limited_server, java_script_enabled=False)
    try:
        await sign_up(page, limited_server, new_person("plain"))
        form = page.locator("[data-compose]").first
        for attempt in range(2 * LIMIT + 2):
            text = f"Plain post {attempt}"
            await form.locator("textarea[name=text]").fill(text)
            async with page.expect_navigation() as navigation:
                await form.locator("button[type=submit]").click()
            answer = await navigation.value
            assert answer is not None
            if answer.status == 429:
                break
            await expect(page.locator("article.post").filter(has_text=text)).to_have_count(1)
        else:
            raise AssertionError("no post was refused")
        await expect(page.locator("[data-compose] .form-error")).to_contain_text(REFUSED_EN)
        await expect(page.locator("[data-compose] textarea[name=text]")).to_have_value(text)
    finally:
        await page.context.close()
    assert watched.errors == []
