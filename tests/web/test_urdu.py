"""Urdu as a first-class language: right to left, in Nastaliq, beside English."""

from __future__ import annotations

from collections.abc import Callable

from playwright.async_api import Browser, Page, expect

from tests.conftest import User
from tests.servers import Server
from tests.web.conftest import new_person, open_page, post, sign_up

URDU = "آج لاہور میں بارش ہوئی اور سب خوش ہیں"
ENGLISH = "It rained in Lahore today and everyone is happy"


async def _used_fonts(page: Page, selector: str) -> list[str]:
    """The faces Chromium actually drew the element's text with (not what CSS asked)."""
    cdp = await page.context.new_cdp_session(page)
    await cdp.send("DOM.enable")
    await cdp.send("CSS.enable")
    root = await cdp.send("DOM.getDocument")
    node = await cdp.send(
        "DOM.querySelector", {"nodeId": root["root"]["nodeId"], "selector": selector}
    )
    # The text sits in a <p> inside the content element.
    inner = await cdp.send("DOM.querySelector", {"nodeId": node["nodeId"], "selector": "p"})
    fonts = await cdp.send("CSS.getPlatformFontsForNode", {"nodeId": inner["nodeId"]})
    return [font["postScriptName"] or font["familyName"] for font in fonts["fonts"]]


async def test_urdu_post_is_rtl_nastaliq_beside_english(
    page: Page, server: Server, make_user: Callable[..., User]
) -> None:
    writer = make_user("ur")
    writer.api.status_post(ENGLISH, language="en")
    person = new_person("reader")
    await sign_up(page, server, person)
    await post(page, URDU)  # language left to detection

    await page.goto(f"{server.url}/public")
    urdu = page.locator(".post .content").filter(has_text=URDU)
    english = page.locator(".post .content").filter(has_text=ENGLISH)
    await expect(urdu).to_have_attribute("lang", "ur")
    await expect(urdu).to_have_attribute("dir", "auto")
    await expect(english).to_have_attribute("lang", "en")

    # dir="auto" resolves per post: each keeps its own direction in one timeline.
    assert await urdu.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert await english.evaluate("e => getComputedStyle(e).direction") == "ltr"
    # Urdu is set tall enough for Nastaliq's descending words.
    size = await urdu.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    line = await urdu.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    assert line >= 2 * size

    urdu_id = await urdu.evaluate("e => e.closest('.post').id")
    english_id = await english.evaluate("e => e.closest('.post').id")
    assert await _used_fonts(page, f"#{urdu_id} .content") == ["NotoNastaliqUrdu-Regular"]
    assert "NotoNastaliqUrdu-Regular" not in await _used_fonts(page, f"#{english_id} .content")


async def test_urdu_interface_mirrors_the_layout(browser: Browser, server: Server) -> None:
    page, watched = await open_page(browser, server, locale="ur-PK")
    try:
        await page.goto(f"{server.url}/auth/sign_in")
        html = page.locator("html")
        await expect(html).to_have_attribute("lang", "ur")
        await expect(html).to_have_attribute("dir", "rtl")
        await expect(page.locator("h1")).to_have_text("لاگ ان")
        await expect(page.get_by_label("پاس ورڈ")).to_be_visible()
        # Mirrored: the site's name sits at the right edge, the sidebar on the left.
        width = await page.evaluate("innerWidth")
        brand = await page.locator(".brand").bounding_box()
        main = await page.locator("main").bounding_box()
        aside = await page.locator("aside").bounding_box()
        assert brand and main and aside
        assert brand["x"] > width / 2
        assert aside["x"] < main["x"]

        # A visitor can switch to English; the choice sticks and the page turns LTR.
        await page.get_by_label("انٹرفیس کی زبان").select_option("en")
        await page.get_by_role("button", name="بدلیں").click()
        await expect(html).to_have_attribute("dir", "ltr")
        await expect(page.locator("h1")).to_have_text("Log in")
        await page.goto(f"{server.url}/about")
        await expect(html).to_have_attribute("lang", "en")
    finally:
        await page.context.close()
    assert watched.outside == [] and watched.errors == []
