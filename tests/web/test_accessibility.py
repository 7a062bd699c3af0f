"""axe-core (from the npm lock file in this folder) finds no serious violations."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page

from tests.conftest import User
from tests.servers import Server
from tests.web.conftest import new_person, open_page, post, sign_up

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = pytest.mark.skipif(
    not AXE.exists(), reason="axe-core is not installed (npm ci --prefix tests/web)"
)


async def _serious(page: Page) -> list[str]:
    # Evaluated through the DevTools protocol: the page's CSP forbids injected scripts.
    if not await page.evaluate("typeof axe !== 'undefined'"):
        await page.evaluate(AXE.read_text(encoding="utf-8"))
    result: dict[str, Any] = await page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']} "
        f"at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize(("locale", "scheme"), [("en-GB", "light"), ("ur-PK", "dark")])
async def test_main_pages_pass_axe(
    browser: Browser, server: Server, make_user: Callable[..., User], locale: str, scheme: str
) -> None:
    other = make_user("axe")
    other.api.status_post("A post to look at #access")
    page, watched = await open_page(browser, server, locale=locale, color_scheme=scheme)
    found: list[str] = []
    try:
        for path in ("/", "/auth/sign_up", "/auth/sign_in", "/about", "/about/policy", "/public"):
            await page.goto(server.url + path)
            found += await _serious(page)
        person = new_person("axe")
        await sign_up(page, server, person, heading=None)
        await post(page, "سلام، a mixed post 👋 #access")
        await page.goto(f"{server.url}/@{other.username}")
        await page.locator("form[action$='/follow'] button").click()
        for path in (
            "/home",
            "/public",
            f"/@{person.username}",
            "/notifications",
            "/search?q=access",
            "/tags/access",
            "/settings",
            "/compose",
        ):
            await page.goto(server.url + path)
            found += await _serious(page)
        await page.goto(f"{server.url}/home")
        await page.locator(".post a.permalink").first.click()
        found += await _serious(page)
    finally:
        await page.context.close()
    assert found == []
    assert watched.outside == [] and watched.errors == []
