"""A visitor's day on the web app, in a real browser, checking what a person sees."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.async_api import Page, expect

from tests.conftest import User
from tests.servers import Server
from tests.web.conftest import new_person, post, sign_up


async def test_a_day_on_the_square(
    page: Page, server: Server, make_user: Callable[..., User]
) -> None:
    bob = make_user("bob", display_name="Bob Builder")
    bob.api.status_post("Good morning from Bob #gardening")

    nav = page.get_by_role("navigation", name="Main")

    # A visitor lands: what this place is, its rules, the public timeline, the way in.
    await page.goto(server.url)
    await expect(page.get_by_role("heading", name="Latest public posts")).to_be_visible()
    await expect(page.get_by_role("link", name="Rules and moderation").first).to_be_visible()
    await expect(
        page.locator(".post").filter(has_text="Good morning from Bob").first
    ).to_be_visible()
    await page.get_by_role("link", name="Rules and moderation").first.click()
    await expect(
        page.get_by_text("No harassment, threats or targeted abuse of people.")
    ).to_be_visible()

    # Sign up; the form says as you type whether the name is free.
    alice = new_person("alice")
    await page.goto(f"{server.url}/auth/sign_up")
    await page.get_by_label("Username").fill(bob.username)
    await expect(page.get_by_text("Username has already been taken")).to_be_visible()
    await sign_up(page, server, alice)

    # Log out and back in, remembered.
    await page.get_by_role("button", name="Log out").click()
    await expect(nav.get_by_role("link", name="Log in")).to_be_visible()
    await nav.get_by_role("link", name="Log in").click()
    await page.get_by_label("Username or e-mail").fill(alice.username)
    await page.get_by_label("Password").fill(alice.password)
    await page.get_by_label("Remember me").check()
    await page.get_by_role("button", name="Log in").click()
    await expect(page.get_by_role("heading", name="Home")).to_be_visible()

    # Post in English and in Urdu.
    await post(page, "Hello square, first post 🌻")
    await expect(
        page.locator(".post").filter(has_text="Hello square, first post 🌻")
    ).to_be_visible()
    await post(page, "سب کو سلام، یہ میری پہلی اردو پوسٹ ہے")
    urdu = page.locator(".post .content").filter(has_text="یہ میری پہلی اردو پوسٹ ہے")
    await expect(urdu).to_have_attribute("lang", "ur")

    # Find Bob, follow him, and see his post on home.
    await nav.get_by_role("link", name="Search").click()
    await page.get_by_label("Search people, hashtags and posts").fill("bob")
    await page.get_by_role("button", name="Search").click()
    people = page.get_by_role("region", name="People")
    await people.get_by_role("link", name=re.compile(f"@{bob.username}")).click()
    await expect(page.get_by_role("heading", name=re.compile("Bob Builder"))).to_be_visible()
    await page.get_by_role("button", name="Follow").click()
    await expect(page.get_by_role("button", name="Unfollow")).to_be_visible()
    await nav.get_by_role("link", name="Home").click()
    bobs = page.locator(".post").filter(has_text="Good morning from Bob")
    await expect(bobs).to_be_visible()

    # Like and repost it: the buttons change and the counts go up.
    await bobs.get_by_role("button", name="Like").click()
    bobs = page.locator(".post").filter(has_text="Good morning from Bob").first
    await expect(bobs.get_by_role("button", name="Unlike")).to_have_attribute(
        "aria-pressed", "true"
    )
    await expect(bobs.get_by_role("button", name="Unlike")).to_contain_text("1")
    await bobs.get_by_role("button", name="Repost").click()
    reposted = page.locator(".post").filter(has_text="reposted").first
    await expect(reposted).to_contain_text("Good morning from Bob")
    await expect(reposted.get_by_role("button", name="Undo repost")).to_contain_text("1")

    # Quote it, behind a content warning: the quote shows Bob's post inside hers.
    await reposted.get_by_role("link", name="Quote").click()
    await expect(page.locator("h1")).to_have_text("Write a post")
    await expect(page.locator(".post")).to_contain_text("Good morning from Bob")
    await page.locator("details.compose-options summary").click()
    await page.get_by_label("Warning shown before the post").fill("gardening talk")
    await page.get_by_label("What's happening?").fill("Bob knows his roses")
    await page.get_by_role("button", name="Post", exact=True).click()
    quoting = page.locator(".post").filter(has_text="gardening talk").first
    await expect(quoting.locator(".cw .content")).to_be_hidden()
    await quoting.locator(".cw summary").click()
    await expect(quoting.locator(".cw .content").first).to_have_text("Bob knows his roses")
    await expect(quoting.locator("blockquote.quoted")).to_contain_text("Good morning from Bob")

    # Reply in the thread view.
    reposted = page.locator(".post").filter(has_text="reposted").first
    await reposted.get_by_role("link", name="Reply").click()
    await expect(page.locator(".post.focus")).to_contain_text("Good morning from Bob")
    reply_box = page.get_by_role("region", name="Write a post")
    await expect(reply_box.get_by_role("textbox").first).to_have_value(f"@{bob.username} ")
    await reply_box.get_by_role("textbox").first.press("End")
    await reply_box.get_by_role("textbox").first.type("lovely, what are you planting?")
    await reply_box.get_by_role("button", name="Post", exact=True).click()
    replies = page.get_by_role("region", name="Replies")
    await expect(replies).to_contain_text("lovely, what are you planting?")
    await expect(page.locator(".post.focus").get_by_role("link", name="Reply")).to_contain_text("1")
    # The reply's own page shows the thread above it.
    await replies.locator("a.permalink").first.click()
    await expect(page.get_by_role("region", name="Earlier in the thread")).to_contain_text(
        "Good morning from Bob"
    )

    # Bob likes Alice's post and follows her: she sees the notifications, marked new.
    mine = bob.api.account_statuses(bob.api.account_lookup(alice.username)["id"])
    english = next(s for s in mine if "first post" in s["content"])
    bob.api.status_favourite(english["id"])
    bob.api.account_follow(bob.api.account_lookup(alice.username)["id"])
    await page.goto(f"{server.url}/home")
    await expect(nav.get_by_role("link", name=re.compile(r"Notifications 2"))).to_be_visible()
    await nav.get_by_role("link", name=re.compile("Notifications")).click()
    await expect(
        page.locator(".notification.unread").filter(has_text="liked your post")
    ).to_contain_text("Hello square, first post")
    await expect(
        page.locator(".notification.unread").filter(has_text="followed you")
    ).to_be_visible()
    await page.get_by_role("link", name="Likes").click()
    await expect(page.locator(".notification")).to_have_count(1)
    await page.reload()
    # opening the page is not reading it (a prefetch would be): the button marks it
    await expect(page.locator(".notification.unread")).to_have_count(1)
    await page.get_by_role("button", name="Mark all as read").click()
    await expect(page.locator(".notification.unread")).to_have_count(0)
    await expect(page.get_by_role("button", name="Mark all as read")).to_have_count(0)

    # Edit the profile; the profile page shows it.
    await nav.get_by_role("link", name="Settings").click()
    await page.get_by_label("Display name").fill("Alice in Lahore")
    await page.get_by_label("Bio").fill("Gardener. باغبان۔")
    await page.get_by_role("button", name="Save profile").click()
    await expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    await nav.get_by_role("link", name="Profile").click()
    await expect(page.get_by_role("heading", name=re.compile("Alice in Lahore"))).to_be_visible()
    await expect(page.locator(".bio")).to_contain_text("Gardener. باغبان۔")
    await expect(page.get_by_role("link", name=re.compile("Followers"))).to_contain_text("1")

    # Log out: the home page is no longer hers.
    await page.get_by_role("button", name="Log out").click()
    await expect(page.get_by_role("heading", name="Latest public posts")).to_be_visible()
    await page.goto(f"{server.url}/home")
    await expect(page.get_by_role("heading", name="Log in")).to_be_visible()
