"""``make screenshots``: the main pages in light and dark, English and Urdu interface.

Starts a server on loopback with a fresh SQLite file, fills it with the demo square,
and writes PNGs to ``screenshots/`` (not committed).
"""

from __future__ import annotations

import asyncio
import io
import re
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw
from playwright.async_api import Browser, FilePayload, Page, async_playwright

from tests.servers import Server, start_server
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS

OUT = Path("screenshots")
PAGES = [
    ("landing", "/", False),
    ("sign-up", "/auth/sign_up", False),
    ("policy", "/about/policy", False),
    ("home", "/home", True),
    ("public", "/public", True),
    ("profile", "/@ayesha", True),
    ("notifications", "/notifications", True),
    ("settings", "/settings", True),
    ("search", "/search?q=%D9%84%D8%A7%DB%81%D9%88%D8%B1", True),
]


def _picture(size: tuple[int, int], colours: tuple[str, str]) -> bytes:
    """A PNG of two colour bands and a circle, so crops and previews can be seen."""
    image = Image.new("RGB", size, colours[0])
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.rectangle((0, height // 2, width, height), fill=colours[1])
    radius = min(size) // 3
    draw.ellipse((width // 2 - radius, height // 2 - radius, width // 2 + radius,
                  height // 2 + radius), fill="#f4d35e")  # fmt: skip
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _file(name: str, data: bytes) -> FilePayload:
    return {"name": name, "mimeType": "image/png", "buffer": data}


async def _sign_in(page: Page, server: Server, password: str) -> None:
    await page.goto(f"{server.url}/auth/sign_in")
    await page.locator("#login").fill("ayesha")
    await page.locator("#password").fill(password)
    await page.locator("form.stack button[type=submit]").click()


async def _add_pictures(browser: Browser, server: Server, password: str) -> None:
    """An avatar, a header and a post with an image, uploaded through the pages as a
    person would, so the shots show media."""
    context = await browser.new_context()
    page = await context.new_page()
    await _sign_in(page, server, password)
    await page.goto(f"{server.url}/settings")
    await page.locator("#avatar").set_input_files(
        _file("me.png", _picture((600, 600), ("#2a9d8f", "#264653")))
    )
    await page.locator("#header").set_input_files(
        _file("sky.png", _picture((1800, 600), ("#8ecae6", "#219ebc")))
    )
    await page.get_by_role("button", name="Save pictures").click()
    await page.goto(f"{server.url}/home")
    compose = page.locator("form[data-compose]").first
    await compose.locator("textarea[name=text]").fill("Evening over the Ravi, from the old bridge")
    await compose.locator("summary", has_text="Images").click()
    await compose.locator("input[name=image1]").set_input_files(
        _file("ravi.png", _picture((1200, 800), ("#e76f51", "#264653")))
    )
    await compose.locator("textarea[name=alt1]").fill(
        "An orange sky over a dark river, a yellow sun"
    )
    await compose.get_by_role("button", name="Post").click()
    await page.wait_for_load_state()
    await context.close()


async def _shoot(browser: Browser, server: Server, password: str) -> list[Path]:
    made = []
    for scheme in ("light", "dark"):
        for language in ("en", "ur"):
            context = await browser.new_context(
                color_scheme=scheme,
                locale="ur-PK" if language == "ur" else "en-GB",
                viewport={"width": 1100, "height": 1000},
            )
            if language == "ur":
                # the demo accounts chose English; this browser asks for Urdu
                await context.add_cookies([{"name": "ts_lang", "value": "ur", "url": server.url}])
            page = await context.new_page()
            logged_in = False
            for name, path, signed_in in PAGES:
                if signed_in and not logged_in:
                    logged_in = True
                    await _sign_in(page, server, password)
                await page.goto(server.url + path)
                if name == "home":
                    # one thread view, reached the way a person reaches it
                    await page.locator(".post a.permalink").first.click()
                    target = OUT / f"thread-{language}-{scheme}.png"
                    await page.screenshot(path=target, full_page=False)
                    made.append(target)
                    await page.goto(server.url + path)
                target = OUT / f"{name}-{language}-{scheme}.png"
                await page.screenshot(path=target, full_page=False)
                made.append(target)
            await context.close()
    return made


async def _browse(server: Server, password: str) -> list[Path]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        await _add_pictures(browser, server, password)
        made = await _shoot(browser, server, password)
        await browser.close()
    return made


def main() -> int:
    if CHROMIUM is None:
        print("screenshots need Chromium: apt-get install chromium", file=sys.stderr)
        return 1
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as directory:
        server = start_server(f"sqlite+aiosqlite:///{directory}/shots.sqlite3", Path(directory))
        try:
            demo = server.cli("demo", "--posts", "80")
            found = re.search(r"password: (\S+)", demo.stdout)
            if demo.returncode != 0 or found is None:
                print(f"demo failed: {demo.stdout}{demo.stderr}", file=sys.stderr)
                return 1
            made = asyncio.run(_browse(server, found.group(1)))
        finally:
            server.stop()
    print(f"wrote {len(made)} screenshots to {OUT}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
