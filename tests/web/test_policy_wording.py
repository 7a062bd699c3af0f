"""The policy's rules in the reader's language: on the policy page, on post cards and
on the strikes page, in English and Urdu, in Chromium against a server of their own."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from playwright.async_api import Browser, Page, expect

from tests.servers import Server, own_server
from tests.web.conftest import new_person, open_page, post, sign_up
from tests.web.test_accessibility import AXE, _serious

POLICY = """
[policy]
id = "web-wording"
version = "2"
title = "Wording test policy"

[[rules]]
id = "warn-durian"
description = "Durian talk is shown behind a warning."
keywords = ["durian"]
action = "warn"

[[rules]]
id = "strike-jackfruit"
keywords = ["jackfruit"]
action = "strike"

[[rules]]
id = "label-lychee"
keywords = ["lychee", "longan"]
languages = ["ur"]
action = "label"
label = "fruit-talk"

[[rules]]
id = "hold-links"
domains = ["fruit.example"]
action = "hold"
"""

STRIKE_EN = "A post with the word “jackfruit” is removed, and the author's account gets a strike."
STRIKE_UR = (
    "لفظ “jackfruit” والی پوسٹ ہٹا دی جاتی ہے، اور لکھنے والے کے اکاؤنٹ کو ایک اسٹرائیک ملتی ہے۔"
)
WARN_UR = "لفظ “durian” والی پوسٹ انتباہ کے پیچھے دکھائی جاتی ہے۔"


@pytest.fixture(scope="module")
def wording_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from own_server(tmp_path_factory, "wording", policy=POLICY)


@pytest.fixture
async def reader(browser: Browser, wording_server: Server) -> AsyncIterator[Page]:
    opened, watched = await open_page(browser, wording_server)
    yield opened
    await opened.context.close()
    assert watched.outside == [] and watched.errors == []


async def _urdu(page: Page, server: Server) -> None:
    await page.context.add_cookies([{"name": "ts_lang", "value": "ur", "url": server.url}])


async def test_the_policy_page_speaks_the_interface_language(
    reader: Page, wording_server: Server
) -> None:
    await reader.goto(f"{wording_server.url}/about/policy")
    rules = reader.locator("#keywords-heading ~ .policy-rules")
    await expect(rules.locator("li")).to_have_count(4)
    await expect(rules.locator("#rule-label-lychee")).to_have_text(
        "A post with any of the words “lychee” or “longan” (in posts in Urdu) is shown with "
        "the label “Fruit talk”."
    )
    await expect(rules.locator("#rule-hold-links")).to_have_text(
        "A post linking to fruit.example is held until a moderator reviews it."
    )

    await _urdu(reader, wording_server)
    await reader.goto(f"{wording_server.url}/about/policy")
    await expect(reader.locator("html")).to_have_attribute("lang", "ur")
    await expect(rules.locator("#rule-strike-jackfruit")).to_have_text(STRIKE_UR)
    await expect(rules.locator("#rule-label-lychee")).to_have_text(
        "الفاظ “lychee” یا “longan” میں سے کسی لفظ والی پوسٹ (اردو میں لکھی پوسٹوں میں) "
        "“Fruit talk” کے لیبل کے ساتھ دکھائی جاتی ہے۔"
    )
    await expect(rules.locator("#rule-hold-links")).to_have_text(
        "fruit.example کا لنک دینے والی پوسٹ ماڈریٹر کے جائزے تک روک لی جاتی ہے۔"
    )
    # the sentence is in the page's language now; only the author's own note stays English
    await expect(rules.locator("#rule-warn-durian")).not_to_have_attribute("lang", "en")
    await expect(rules.locator("#rule-warn-durian .rule-note")).to_have_attribute("lang", "en")
    # and it reads right to left, as the page does
    direction = await rules.locator("#rule-hold-links").evaluate(
        "li => getComputedStyle(li).direction"
    )
    assert direction == "rtl"
    if AXE.exists():
        assert await _serious(reader) == []


async def test_cards_and_strikes_name_the_rule_in_the_interface_language(
    browser: Browser, reader: Page, wording_server: Server
) -> None:
    author = new_person("jack")
    await sign_up(reader, wording_server, author)
    await post(reader, "A durian on the table, its smell in the hall", language="en")
    # the page's script clears the form when the answer arrives: wait for the card
    # before the next post, or the clearing could eat its text
    await expect(reader.locator("[data-feed] article.post")).to_have_count(1)
    await post(reader, "Selling jackfruit by the crate", language="en")

    await reader.goto(f"{wording_server.url}/@{author.username}")
    removed = reader.locator("article.post").filter(has_text="Selling jackfruit")
    await expect(removed.locator(".moderation-note")).to_contain_text(f"Removed: {STRIKE_EN}")
    # one full stop, not two, after the rule's own
    await expect(removed.locator(".moderation-note")).not_to_contain_text("..")
    warned = reader.locator("article.post").filter(has_text="durian on the table")
    # in English the policy author's own note
    await expect(warned.locator("summary").first).to_contain_text(
        "Durian talk is shown behind a warning."
    )

    await reader.goto(f"{wording_server.url}/settings/strikes")
    strike = reader.locator(".strike").first
    await expect(strike).to_contain_text("Post removed")
    await expect(strike.locator(".strike-rule")).to_contain_text(f"The rule: {STRIKE_EN}")
    await expect(strike.get_by_role("link", name="Read the policy")).to_have_attribute(
        "href", "/about/policy#rule-strike-jackfruit"
    )

    await _urdu(reader, wording_server)
    await reader.goto(f"{wording_server.url}/settings/strikes")
    await expect(strike).to_contain_text("پوسٹ ہٹا دی گئی")
    await expect(strike.locator(".strike-rule")).to_contain_text(STRIKE_UR)
    if AXE.exists():
        assert await _serious(reader) == []

    await reader.goto(f"{wording_server.url}/@{author.username}")
    await expect(removed.locator(".moderation-note")).to_contain_text(STRIKE_UR)
    await expect(removed.locator(".moderation-note")).not_to_contain_text("۔۔")
    # in Urdu the rule's sentence, translated, rather than the English note
    await expect(warned.locator("summary").first).to_contain_text(WARN_UR)

    # another reader in Urdu sees the warning in Urdu too, and no removed post
    other, watched = await open_page(browser, wording_server, locale="ur-PK")
    try:
        await other.goto(f"{wording_server.url}/@{author.username}")
        card = other.locator("article.post").filter(has_text="durian on the table")
        await expect(card.locator("summary").first).to_contain_text(WARN_UR)
        await expect(other.get_by_text("Selling jackfruit")).to_have_count(0)
    finally:
        await other.context.close()
    assert watched.errors == []
