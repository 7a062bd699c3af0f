"""Lists and followed hashtags in the browser: make a list, add someone from their
profile, read the list, rename and empty it, delete it; follow a hashtag from its page
and see its posts on home. In English and in Urdu."""

from __future__ import annotations

import secrets
from collections.abc import Callable

import pytest
from playwright.async_api import Browser, Page, expect

from tests.conftest import User
from tests.servers import Server
from tests.web.conftest import new_person, open_page, sign_up
from tests.web.test_accessibility import AXE, _serious


async def follow_from_profile(page: Page, server: Server, other: User) -> None:
    await page.goto(f"{server.url}/@{other.username}")
    await page.locator("form[action$='/follow'] button").click()
    await expect(page.locator("form[action$='/unfollow']")).to_have_count(1)


async def test_a_list_from_start_to_end(
    page: Page, server: Server, make_user: Callable[..., User]
) -> None:
    bob = make_user("wl")
    bob.api.status_post("bob writes for the list")
    await sign_up(page, server, new_person("wl"))
    await follow_from_profile(page, server, bob)

    await page.get_by_role("link", name="Lists").click()
    await expect(page.locator("h1")).to_have_text("Lists")
    await expect(page.get_by_text("You have no lists yet.")).to_be_visible()
    form = page.locator("form[action='/lists']")
    await form.get_by_label("Title").fill("دوست")
    await form.get_by_label("Replies to show").select_option("none")
    await form.get_by_role("button", name="Create list").click()
    await expect(page.locator("h1")).to_have_text("دوست")
    await expect(page.locator("h1")).to_have_attribute("lang", "ur")
    await expect(page.get_by_text("Nobody is in this list yet.")).to_be_visible()
    list_url = page.url

    await page.goto(f"{server.url}/@{bob.username}")
    adding = page.locator("[data-add-to-list]")
    await adding.get_by_label("Add to list").select_option(label="دوست")
    await adding.get_by_role("button", name="Add").click()
    await expect(page.locator("[data-profile-lists]")).to_contain_text("In your lists:")
    await expect(page.locator("[data-add-to-list]")).to_have_count(0)

    await page.locator("[data-profile-lists] a", has_text="دوست").click()
    assert page.url == list_url
    await expect(page.locator("[data-members]")).to_contain_text(bob.username)
    await expect(page.locator(".post", has_text="bob writes for the list")).to_have_count(1)
    if AXE.exists():
        assert await _serious(page) == []

    await page.get_by_text("Edit list").click()
    editing = page.locator("form[action$='/edit']")
    await editing.get_by_label("Title").fill("Friends")
    await editing.get_by_label("Hide these people's posts from home").check()
    await editing.get_by_role("button", name="Save list").click()
    await expect(page.locator("h1")).to_have_text("Friends")
    await page.goto(f"{server.url}/home")
    await expect(page.locator(".post", has_text="bob writes for the list")).to_have_count(0)
    await page.goto(list_url)

    await page.get_by_role("button", name="Remove from list").click()
    await expect(page.get_by_text("Nobody is in this list yet.")).to_be_visible()
    await page.goto(f"{server.url}/home")
    await expect(page.locator(".post", has_text="bob writes for the list")).to_have_count(1)

    await page.goto(list_url)
    await page.get_by_text("Edit list").click()
    await page.get_by_role("button", name="Delete list").click()
    await expect(page.locator("h1")).to_have_text("Lists")
    await expect(page.get_by_text("You have no lists yet.")).to_be_visible()
    await page.goto(list_url)
    await expect(page.locator(".form-error")).to_have_text(
        "That page does not exist, or is hidden."
    )


async def test_bad_list_input_reads_as_a_message(page: Page, server: Server) -> None:
    await sign_up(page, server, new_person("wb"))
    await page.goto(f"{server.url}/lists")
    title = page.locator("form[action='/lists'] [name=title]")
    # what a browser's own check would stop: a title of spaces only
    await title.fill("   ")
    await page.locator("form[action='/lists'] button[type=submit]").click()
    await expect(page.locator(".form-error")).to_have_text("Title can't be blank")
    await page.goto(f"{server.url}/lists")
    await expect(page.get_by_text("You have no lists yet.")).to_be_visible()


async def test_follow_a_hashtag_from_its_page(
    page: Page, server: Server, make_user: Callable[..., User]
) -> None:
    tag = "کتاب" + "".join(secrets.choice("ابپتٹجچ") for _ in range(5))
    writer = make_user("wh")
    writer.api.status_post(f"پہلی #{tag}", language="ur")
    await sign_up(page, server, new_person("wh"))
    await page.goto(f"{server.url}/tags/{tag}")
    await page.get_by_role("button", name="Follow hashtag").click()
    await expect(page.get_by_role("button", name="Unfollow hashtag")).to_be_visible()
    await expect(
        page.get_by_text("Public posts with this hashtag come to your home.")
    ).to_be_visible()
    writer.api.status_post(f"دوسری #{tag}", language="ur")
    await page.goto(f"{server.url}/home")
    await expect(page.locator(".post", has_text="دوسری")).to_have_count(1)
    await page.goto(f"{server.url}/tags/{tag}")
    await page.get_by_role("button", name="Unfollow hashtag").click()
    await expect(page.get_by_role("button", name="Follow hashtag")).to_be_visible()
    await page.goto(f"{server.url}/home")
    await expect(page.locator(".post", has_text="دوسری")).to_have_count(0)


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_lists_in_urdu(
    browser: Browser, server: Server, make_user: Callable[..., User], scheme: str
) -> None:
    bob = make_user("wu")
    page, watched = await open_page(browser, server, locale="ur-PK", color_scheme=scheme)
    try:
        await sign_up(page, server, new_person("wu"), heading=None)
        await page.goto(f"{server.url}/@{bob.username}")
        await page.locator("form[action$='/follow'] button").click()
        await page.goto(f"{server.url}/lists")
        await expect(page.locator("h1")).to_have_text("فہرستیں")
        await page.locator("form[action='/lists'] [name=title]").fill("Poets")
        await page.get_by_role("button", name="فہرست بنائیں").click()
        await expect(page.get_by_role("heading", name="ارکان")).to_be_visible()
        await page.goto(f"{server.url}/@{bob.username}")
        await expect(page.locator("[data-add-to-list] label")).to_have_text("فہرست میں شامل کریں")
        if AXE.exists():
            assert await _serious(page) == []
    finally:
        await page.context.close()
    assert watched.outside == [] and watched.errors == []
