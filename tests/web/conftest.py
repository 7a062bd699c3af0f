"""Browser tests: Debian's Chromium driven by Playwright against a real server.

Without a ``chromium`` on PATH the browser tests are skipped (CI installs it); the
tests here that speak plain HTTP run either way.
"""

from __future__ import annotations

import re
import secrets
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.async_api import (
    Browser,
    ConsoleMessage,
    Locator,
    Page,
    Request,
    async_playwright,
    expect,
)

from tests.conftest import unique_name
from tests.servers import Server

CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CHROMIUM is not None:
        return
    skip = pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium)")
    for item in items:
        uses = set(getattr(item, "fixturenames", ()))
        if uses & {"page", "browser"} and "tests/web" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    # The async API shares pytest-asyncio's loop; the sync one would hold a running
    # loop for the whole session and break every asyncio test after it.
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        await launched.close()


@dataclass
class Watched:
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def open_page(browser: Browser, server: Server, **options: Any) -> tuple[Page, Watched]:
    """A page in a fresh context that records requests to other hosts and browser errors
    (a CSP violation by an inline script shows as one)."""
    context = await browser.new_context(
        **{"locale": "en-GB", "viewport": {"width": 1100, "height": 900}, **options}
    )
    page = await context.new_page()
    watched = Watched()

    def on_request(request: Request) -> None:
        if not request.url.startswith((server.url, "data:")):
            watched.outside.append(request.url)

    def on_console(message: ConsoleMessage) -> None:
        # Refused forms answer 4xx on purpose; the browser logs those loads as errors.
        if message.type == "error" and not re.search(r"status of 4\d\d", message.text):
            watched.errors.append(message.text)

    page.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", lambda error: watched.errors.append(str(error)))
    return page, watched


@pytest.fixture
async def page(browser: Browser, server: Server) -> AsyncIterator[Page]:
    """Every browser test also checks that no page asked anything of another host and
    that the browser reported no errors."""
    opened, watched = await open_page(browser, server)
    yield opened
    await opened.context.close()
    assert watched.outside == [], f"requests outside the server: {watched.outside}"
    assert watched.errors == [], f"browser errors: {watched.errors}"


@dataclass
class Person:
    username: str
    email: str
    password: str


def new_person(prefix: str = "w") -> Person:
    username = unique_name(prefix)
    return Person(username, f"{username}@example.org", secrets.token_urlsafe(12))


async def sign_up(
    page: Page, server: Server, person: Person, *, heading: str | None = "Home"
) -> None:
    """Through the form, by field names so that it works in any interface language."""
    await page.goto(f"{server.url}/auth/sign_up")
    form = page.locator("form[action='/auth/sign_up']")
    await form.locator("[name=username]").fill(person.username)
    await form.locator("[name=email]").fill(person.email)
    await form.locator("[name=password]").fill(person.password)
    await form.locator("[name=password_confirmation]").fill(person.password)
    await form.locator("[name=agreement]").check()
    await form.locator("button[type=submit]").click()
    await page.wait_for_url(f"{server.url}/home")
    if heading is not None:
        await expect(page.locator("h1")).to_have_text(heading)


async def natural_width(image: Locator) -> int:
    """The width of the picture the browser decoded, once it has loaded: on a busy
    machine an image shown a moment ago may still be on its way."""
    await image.scroll_into_view_if_needed()
    width = await image.evaluate("img => img.decode().then(() => img.naturalWidth)")
    return int(width)


async def post(page: Page, text: str, *, language: str | None = None) -> None:
    form = page.locator("[data-compose]").first
    await form.locator("textarea[name=text]").fill(text)
    if language:
        await form.locator("select[name=language]").select_option(language)
    # Wait for the server's answer: the script posts in place, with no navigation to
    # wait for, and a test that moves on at once would race its own post.
    async with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/compose")
    ):
        await form.locator("button[type=submit]").click()
