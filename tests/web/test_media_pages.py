"""Images on the web: profile pictures in settings, posting with images and alt text,
the sensitive-media click-through and the profile's media tab, in Chromium."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import httpx
from PIL import Image
from playwright.async_api import Locator, Page, expect

from tests.conftest import User
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


async def test_removing_the_avatar_and_the_header(page: Page, server: Server) -> None:
    person = new_person("unpic")
    await sign_up(page, server, person)
    await page.goto(f"{server.url}/settings")
    # nothing to remove yet: no buttons
    await expect(page.get_by_role("button", name="Remove the avatar")).to_have_count(0)
    await page.get_by_label("Avatar").set_input_files(_file("me.png", image_bytes(500, 500)))
    await page.get_by_label("Header", exact=True).set_input_files(
        _file("top.png", image_bytes(900, 300))
    )
    await page.get_by_role("button", name="Save pictures").click()
    await expect(page.get_by_text("Your pictures are saved.")).to_be_visible()
    avatar = page.get_by_alt_text("Your current avatar")
    header = page.get_by_alt_text("Your current header")
    old_avatar = await avatar.get_attribute("src")

    await page.get_by_role("button", name="Remove the avatar").click()
    await expect(page.get_by_role("status")).to_have_text("Your avatar is removed.")
    await expect(avatar).to_have_attribute("src", "/avatars/original/missing.png")
    await expect(header).to_have_attribute("src", re.compile(r"/media/headers/"))
    await expect(page.get_by_role("button", name="Remove the avatar")).to_have_count(0)
    # the profile and the API agree
    await page.goto(f"{server.url}/@{person.username}")
    await expect(page.locator(".profile img.avatar").first).to_have_attribute(
        "src", "/avatars/original/missing.png"
    )
    async with httpx.AsyncClient(timeout=30) as client:
        found = await client.get(f"{server.url}/api/v1/accounts/lookup?acct={person.username}")
    assert found.json()["avatar"].endswith("/avatars/original/missing.png")
    assert old_avatar is not None and old_avatar not in found.text

    await page.goto(f"{server.url}/settings")
    await page.get_by_role("button", name="Remove the header").click()
    await expect(page.get_by_role("status")).to_have_text("Your header is removed.")
    await expect(header).to_have_attribute("src", "/headers/original/missing.png")
    await expect(page.locator(".picture-removal")).to_have_count(0)
    if AXE.exists():
        assert await _serious(page) == []


async def test_removing_a_picture_in_urdu(page: Page, server: Server) -> None:
    await sign_up(page, server, new_person("unpicur"))
    await page.goto(f"{server.url}/settings")
    await page.locator("#avatar").set_input_files(_file("me.png", image_bytes(300, 300)))
    await page.locator("form[action='/settings/pictures'] button[type=submit]").click()
    await page.wait_for_url(re.compile(r"saved=pictures"))
    await page.context.add_cookies([{"name": "ts_lang", "value": "ur", "url": server.url}])
    await page.goto(f"{server.url}/settings")
    await page.locator("form[action='/settings/pictures/avatar/remove'] button").click()
    await expect(page.get_by_role("status")).to_have_text("آپ کا اوتار ہٹا دیا گیا۔")
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")


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


async def _box(locator: Locator) -> tuple[float, float]:
    await expect(locator).to_be_visible()
    box = await locator.bounding_box()
    assert box is not None
    return box["width"], box["height"]


async def test_images_are_cropped_to_a_box_as_mastodon_shows_them(
    page: Page, server: Server, make_user: Callable[..., User]
) -> None:
    author = make_user("gallery")
    wide = author.api.media_post(
        image_bytes(900, 300), "image/png", description="A wide banner", focus=(0.6, -0.8)
    )
    author.api.status_post("One wide picture", media_ids=[wide["id"]], language="en")
    three = [
        author.api.media_post(image_bytes(400, 400 + 100 * n), "image/png", description=f"Tile {n}")
        for n in range(3)
    ]
    author.api.status_post("Three pictures", media_ids=[m["id"] for m in three], language="en")

    await page.goto(f"{server.url}/@{author.username}")
    one = page.locator(".post", has_text="One wide picture")
    width, height = await _box(one.locator(".media-grid"))
    assert abs(width / height - 16 / 9) < 0.02, (width, height)
    image = one.get_by_role("img", name="A wide banner")
    assert await _box(image) == (width, height)
    # the stored focus point (x 0.6, y -0.8: right and low) decides what the crop keeps
    position = await image.evaluate("img => getComputedStyle(img).objectPosition")
    assert position == "80% 90%"

    gallery = page.locator(".post", has_text="Three pictures").locator(".media-grid")
    width, height = await _box(gallery)
    assert abs(width / height - 16 / 9) < 0.02, (width, height)
    first = await _box(gallery.get_by_role("img", name="Tile 0"))
    second = await _box(gallery.get_by_role("img", name="Tile 1"))
    third = await _box(gallery.get_by_role("img", name="Tile 2"))
    # the first runs down the whole side, the other two share the other half
    assert abs(first[1] - height) < 1
    assert second[1] < height / 2 and abs(second[1] - third[1]) < 1
    assert abs(first[0] - second[0]) < 1
    centred = await gallery.get_by_role("img", name="Tile 1").evaluate(
        "img => getComputedStyle(img).objectPosition"
    )
    assert centred == "50% 50%"

    # the alt text is still there: in the image's name and behind its badge
    await gallery.locator(".media-item").nth(1).get_by_text("Alt text").click()
    await expect(gallery.locator(".alt-text p").nth(1)).to_have_text("Tile 1")
    if AXE.exists():
        assert await _serious(page) == []

    # the link opens the whole image, not the crop (followed here by HTTP: Chromium's
    # own image viewer styles itself inline, which the media's sandbox CSP refuses)
    href = await one.get_by_role("link", name="A wide banner").get_attribute("href")
    assert href == wide["url"]
    async with httpx.AsyncClient(timeout=30) as client:
        whole = await client.get(href)
    assert Image.open(io.BytesIO(whole.content)).size == (900, 300)


async def test_an_urdu_interface_mirrors_the_gallery(
    page: Page, server: Server, make_user: Callable[..., User]
) -> None:
    author = make_user("galleryur")
    pair = [
        author.api.media_post(image_bytes(300, 300), "image/png", description=f"Half {n}")
        for n in range(2)
    ]
    author.api.status_post("دو تصویریں", media_ids=[m["id"] for m in pair], language="ur")
    await page.context.add_cookies([{"name": "ts_lang", "value": "ur", "url": server.url}])
    await page.goto(f"{server.url}/@{author.username}")
    gallery = page.locator(".media-grid").first
    width, height = await _box(gallery)
    assert abs(width / height - 16 / 9) < 0.02
    start = await gallery.get_by_role("img", name="Half 0").bounding_box()
    end = await gallery.get_by_role("img", name="Half 1").bounding_box()
    assert start is not None and end is not None
    # right to left: the first image is on the right
    assert start["x"] > end["x"]
    assert abs(start["height"] - height) < 1
