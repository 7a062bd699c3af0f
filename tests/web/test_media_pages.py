"""Images on the web: profile pictures in settings, posting with images and alt text,
the sensitive-media click-through and the profile's media tab, in Chromium."""

from __future__ import annotations

import re

import httpx
from playwright.async_api import Page, expect

from tests.images import image_bytes
from tests.servers import Server
from tests.web.conftest import natural_width, new_person, post, sign_up
from tests.web.test_accessibility import AXE, _serious


def _file(name: str, data: bytes, mime: str = "image/png") -> dict[str, object]:
    return {"name": name, "mimeType": mime, "buffer": data}


async def test_avatar_and_header_from_settings(page: Page, server: Server) -> None:
    person = new_person("pic")
    await sign_up(page, server, person)
    await page.goto(f"{server.url}/settings")
    await page.get_by_label("Avatar").set_input_files(_file("me.jpg", image_bytes(900, 500, "JPEG"),
                                                           "image/jpeg"))  # fmt: skip
    await page.get_by_label("Header", exact=True).set_input_files(
        _file("top.png", image_bytes(800, 800))
    )
    await page.get_by_role("button", name="Save pictures").click()
    await expect(page.get_by_text("Your pictures are saved.")).to_be_visible()
    avatar = page.get_by_alt_text("Your current avatar")
    await expect(avatar).to_have_attribute("src", re.compile(r"/media/avatars/"))
    assert await natural_width(avatar) == 400
    header = page.get_by_alt_text("Your current header")
    assert await natural_width(header) == 1500
    # the profile shows them too
    await page.goto(f"{server.url}/@{person.username}")
    await expect(page.locator(".profile img.avatar").first).to_have_attribute(
        "src", re.compile(r"/media/avatars/")
    )

    # a text file named .png is refused in words, and the old picture stays
    await page.goto(f"{server.url}/settings")
    before = await page.get_by_alt_text("Your current avatar").get_attribute("src")
    await page.get_by_label("Avatar").set_input_files(_file("fake.png", b"not a picture at all"))
    await page.get_by_role("button", name="Save pictures").click()
    await expect(page.get_by_role("alert").first).to_have_text(
        "The file is not a supported image (JPEG, PNG, GIF or WebP)"
    )
    assert await page.get_by_alt_text("Your current avatar").get_attribute("src") == before
    if AXE.exists():
        assert await _serious(page) == []
    # and a form sent with nothing chosen says so
    await page.get_by_role("button", name="Save pictures").click()
    await expect(page.get_by_role("alert").first).to_have_text("Choose an image to upload.")


async def test_posting_images_with_alt_text(page: Page, server: Server) -> None:
    person = new_person("img")
    await sign_up(page, server, person)
    form = page.locator("[data-compose]").first
    await form.locator("textarea[name=text]").fill("Two flags")
    await form.get_by_text("Images", exact=True).click()
    await form.get_by_label("File").first.set_input_files(_file("a.png", image_bytes(600, 300)))
    await (
        form.get_by_label("File")
        .nth(1)
        .set_input_files(_file("b.webp", image_bytes(300, 600, "WEBP"), "image/webp"))
    )
    await form.get_by_label("Description (alt text)").first.fill("A red and blue flag")
    # the second has no description: the form asks once before posting
    await form.locator("button[type=submit]").click()
    prompt = form.locator("[data-alt-prompt]")
    await expect(prompt).to_be_visible()
    await expect(prompt).to_contain_text("An image has no description")
    await expect(form.get_by_label("Description (alt text)").nth(1)).to_be_focused()
    await form.get_by_label("Description (alt text)").nth(1).fill("A tall flag")
    async with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/compose")
    ):
        await form.locator("button[type=submit]").click()  # fmt: skip
    card = page.locator(".post", has_text="Two flags").first
    await expect(card.get_by_role("img", name="A red and blue flag")).to_be_visible()
    await expect(card.get_by_role("img", name="A tall flag")).to_be_visible()
    image = card.get_by_role("img", name="A red and blue flag")
    assert await natural_width(image) == 600
    await card.get_by_text("Alt text").first.click()
    await expect(card.locator(".alt-text p").first).to_have_text("A red and blue flag")
    # the form is empty again for the next post
    assert await form.get_by_label("File").first.evaluate("input => input.files.length") == 0

    # a post of images alone, marked sensitive, hides them behind a click
    await form.get_by_label("File").first.set_input_files(_file("c.png", image_bytes(200, 200)))
    await form.get_by_label("Description (alt text)").first.fill("Something startling")
    await form.get_by_label("Mark the images as sensitive").check()
    async with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/compose")
    ):
        await form.locator("button[type=submit]").click()  # fmt: skip
    sensitive = page.locator("[data-sensitive-media]").first
    hidden = sensitive.get_by_role("img", name="Something startling")
    await expect(hidden).to_be_hidden()
    await sensitive.get_by_text("Show the images").click()
    await expect(hidden).to_be_visible()

    # the media tab lists posts with images, not the others
    await post(page, "Words only, no picture")
    await page.goto(f"{server.url}/@{person.username}?tab=media")
    await expect(page.locator(".post", has_text="Two flags")).to_have_count(1)
    await expect(page.locator(".post", has_text="Words only")).to_have_count(0)
    assert await page.locator(".post").count() == 2
    if AXE.exists():  # images, alt text and the sensitive click-through are accessible
        assert await _serious(page) == []

    # the files are ours, with the headers that keep them safe
    src = await page.get_by_role("img", name="A tall flag").get_attribute("src")
    assert src is not None
    async with httpx.AsyncClient(timeout=30) as client:
        answer = await client.get(src)
    assert answer.headers["content-type"] == "image/webp"
    assert answer.headers["x-content-type-options"] == "nosniff"


async def test_a_bad_image_keeps_the_text(page: Page, server: Server) -> None:
    await sign_up(page, server, new_person("bad"))
    form = page.locator("[data-compose]").first
    await form.locator("textarea[name=text]").fill("Look at this")
    await form.get_by_text("Images", exact=True).click()
    await form.get_by_label("File").first.set_input_files(_file("notes.png", b"just text"))
    await form.get_by_label("Description (alt text)").first.fill("nothing")
    async with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/compose")
    ):
        await form.locator("button[type=submit]").click()  # fmt: skip
    await expect(form.locator(".form-error").first).to_contain_text(
        "Image 1: The file is not a supported image"
    )
    await expect(form.locator("textarea[name=text]")).to_have_value("Look at this")
    await expect(page.locator(".post", has_text="Look at this")).to_have_count(0)
