"""What a reader sees of languages and moderation on post cards, the policy page, and
the sessions list, in real Chromium against servers of their own."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator

import pytest
from playwright.async_api import Browser, Page, expect

from tests.servers import Server, own_server
from tests.web.conftest import Person, new_person, open_page, post, sign_up
from tests.web.test_accessibility import AXE, _serious

# Keyword rules, so that the test decides which post gets which outcome without any
# designated entity: one label, one warning, one removal.
POLICY = """
[policy]
id = "web-reading"
version = "7"
title = "Reading test policy"

[[rules]]
id = "label-kumquat"
keywords = ["kumquat"]
action = "label"
label = "fruit-talk"

[[rules]]
id = "warn-durian"
description = "Durian talk is shown behind a warning."
keywords = ["durian"]
action = "warn"

[[rules]]
id = "remove-rambutan"
description = "Rambutan posts are taken down."
keywords = ["rambutan"]
action = "remove"
"""


@pytest.fixture(scope="module")
def reading_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from own_server(tmp_path_factory, "reading", policy=POLICY)


@pytest.fixture
async def reader(browser: Browser, reading_server: Server) -> AsyncIterator[Page]:
    opened, watched = await open_page(browser, reading_server)
    yield opened
    await opened.context.close()
    assert watched.outside == [] and watched.errors == []


async def _posted(page: Page, text: str, language: str) -> None:
    """Post, and wait until the feed shows it: the page's script clears the form when
    its answer arrives, which would eat the next post's text."""
    await post(page, text, language=language)
    await expect(page.locator("[data-feed] article.post").filter(has_text=text)).to_have_count(1)


async def test_cards_name_the_post_language_in_the_interface_language(
    browser: Browser, reader: Page, reading_server: Server
) -> None:
    await sign_up(reader, reading_server, new_person("tongue"))
    await _posted(reader, "یہ اردو میں لکھی گئی ایک پوسٹ ہے", "ur")
    await _posted(reader, "This one is written in English", "en")
    await reader.goto(f"{reading_server.url}/public")
    urdu = reader.locator("article.post").filter(has_text="اردو میں لکھی")
    await expect(urdu.locator(".post-lang")).to_have_text("Urdu")
    await expect(urdu.locator(".content")).to_have_attribute("lang", "ur")
    await expect(urdu.locator(".content")).to_have_attribute("dir", "auto")
    english = reader.locator("article.post").filter(has_text="written in English")
    await expect(english.locator(".post-lang")).to_have_text("English")
    visitor, watched = await open_page(browser, reading_server, locale="ur-PK")
    try:
        await visitor.goto(f"{reading_server.url}/public")
        card = visitor.locator("article.post").filter(has_text="اردو میں لکھی")
        await expect(card.locator(".post-lang")).to_have_text("اردو")
        await expect(
            visitor.locator("article.post")
            .filter(has_text="written in English")
            .locator(".post-lang")
        ).to_have_text("انگریزی")
    finally:
        await visitor.context.close()
    assert watched.errors == []


async def test_chosen_languages_hide_other_languages_from_the_public_page(
    reader: Page, reading_server: Server
) -> None:
    await sign_up(reader, reading_server, new_person("chooser"))
    await _posted(reader, "An English post about the weather today", "en")
    await _posted(reader, "آج موسم بہت اچھا ہے اور دھوپ نکلی ہے", "ur")
    await reader.goto(f"{reading_server.url}/public")
    await expect(reader.locator("article.post").filter(has_text="weather today")).to_have_count(1)

    await reader.goto(f"{reading_server.url}/settings")
    languages = reader.locator("form[action='/settings/languages']")
    await languages.get_by_label("Urdu", exact=True).check()
    await languages.get_by_role("button", name="Save languages").click()
    await expect(reader.get_by_role("status")).to_have_text("Your languages are saved.")
    await expect(languages.get_by_label("Urdu", exact=True)).to_be_checked()

    await reader.goto(f"{reading_server.url}/public")
    await expect(reader.locator("article.post").filter(has_text="موسم بہت اچھا")).to_have_count(1)
    await expect(reader.locator("article.post").filter(has_text="weather today")).to_have_count(0)
    # asking for one language on the page shows it, whatever was chosen
    await reader.get_by_role("link", name="Show only posts written in English").click()
    await expect(reader.locator("article.post").filter(has_text="weather today")).to_have_count(1)
    await expect(reader.locator("article.post").filter(has_text="موسم بہت اچھا")).to_have_count(0)
    await reader.get_by_role("link", name="Show posts in all your languages").click()
    await expect(reader.locator("article.post").filter(has_text="weather today")).to_have_count(0)


async def test_labels_warnings_and_removals_on_cards(
    browser: Browser, reader: Page, reading_server: Server
) -> None:
    author = new_person("fruit")
    await sign_up(reader, reading_server, author)
    await _posted(reader, "A kumquat is a small citrus fruit", "en")
    await _posted(reader, "The durian smells strongly of onions", "en")
    await _posted(reader, "I will sell rambutan cheaply", "en")

    other, watched = await open_page(browser, reading_server)
    try:
        await sign_up(other, reading_server, new_person("looker"))
        await other.goto(f"{reading_server.url}/@{author.username}")
        labelled = other.locator("article.post").filter(has_text="kumquat")
        await expect(labelled.locator(".moderation-label")).to_contain_text("Label: Fruit talk")
        await expect(labelled.get_by_role("link", name="Why?")).to_have_attribute(
            "href", "/about/policy"
        )
        warned = other.locator("article.post").filter(has_text="Durian talk")
        await expect(warned.locator("summary")).to_contain_text(
            "Warning: Durian talk is shown behind a warning."
        )
        await expect(warned.get_by_text("smells strongly of onions")).to_be_hidden()
        await warned.locator("summary").click()
        await expect(warned.get_by_text("smells strongly of onions")).to_be_visible()
        # a removed post is not there for anyone else
        await expect(other.get_by_text("rambutan")).to_have_count(0)

        # the reader's own choice: hide posts with this label
        await other.goto(f"{reading_server.url}/settings")
        form = other.locator("form[action='/settings/labels']")
        await form.get_by_label("Fruit talk").select_option("hide")
        await form.get_by_role("button", name="Save label choices").click()
        await expect(other.get_by_role("status")).to_have_text("Your label choices are saved.")
        await other.goto(f"{reading_server.url}/@{author.username}")
        await expect(other.get_by_text("small citrus fruit")).to_have_count(0)
        await expect(other.locator("article.hidden-by-choice")).to_contain_text(
            "A post you chose to hide: Fruit talk"
        )
    finally:
        await other.context.close()
    assert watched.errors == []

    # the author sees the removed post, marked, with the rule's reason
    await reader.goto(f"{reading_server.url}/@{author.username}")
    removed = reader.locator("article.post").filter(has_text="sell rambutan")
    await expect(removed.locator(".moderation-note")).to_contain_text(
        "Removed: Rambutan posts are taken down."
    )
    # the author has chosen nothing: the labelled post shows, with its label
    await expect(reader.locator("article.post").filter(has_text="small citrus")).to_contain_text(
        "Label: Fruit talk"
    )


async def test_policy_page_renders_the_active_policy(page: Page, server: Server) -> None:
    """On the shared server, which runs the ``open`` preset."""
    await page.goto(server.url)
    await page.get_by_role("link", name="Moderation policy").click()
    await expect(page.locator("h1")).to_have_text("Moderation policy")
    await expect(page.locator(".policy-facts")).to_contain_text(
        "Open: freedom of speech, not freedom of reach"
    )
    rules = page.locator("#rules-heading + .policy-rules")
    await expect(rules).to_contain_text("Support for a designated entity is removed.")
    await expect(page.locator("#exceptions-heading ~ .policy-rules")).to_contain_text(
        "Exception: News reporting on, neutral discussion of or condemnation of"
    )
    await expect(page.get_by_role("link", name=re.compile("help.x.com"))).to_have_count(1)
    if AXE.exists():
        assert await _serious(page) == []


async def test_policy_page_lists_a_policy_files_keyword_rules(
    reader: Page, reading_server: Server
) -> None:
    await reader.goto(f"{reading_server.url}/about/policy")
    await expect(reader.locator(".policy-facts")).to_contain_text("Reading test policy")
    words = reader.locator("#keywords-heading ~ .policy-rules")
    await expect(words.locator("li")).to_have_count(3)
    await expect(words).to_contain_text("A post with the word “rambutan” is removed.")


async def _log_in(page: Page, server: Server, person: Person) -> None:
    await page.goto(f"{server.url}/auth/sign_in")
    form = page.locator("form[action='/auth/sign_in']")
    await form.locator("[name=login]").fill(person.username)
    await form.locator("[name=password]").fill(person.password)
    await form.locator("button[type=submit]").click()
    await page.wait_for_url(re.compile(r"/home$"))


async def test_revoking_sessions(browser: Browser, reader: Page, reading_server: Server) -> None:
    person = new_person("sessions")
    await sign_up(reader, reading_server, person)
    second, watched = await open_page(
        browser, reading_server, user_agent="Mozilla/5.0 (Second Laptop) Chromium"
    )
    try:
        await _log_in(second, reading_server, person)
        await reader.goto(f"{reading_server.url}/settings")
        listed = reader.locator(".session-list li")
        await expect(listed).to_have_count(2)
        laptop = listed.filter(has_text="Second Laptop")
        await expect(laptop).not_to_contain_text("This browser")
        await expect(listed.filter(has_text="This browser")).to_have_count(1)
        await laptop.get_by_role("button", name="Revoke").click()
        await expect(reader.get_by_role("status")).to_have_text("That session has ended.")
        await expect(listed).to_have_count(1)
        # the other browser is logged out
        await second.goto(f"{reading_server.url}/settings")
        await expect(second.locator("form[action='/auth/sign_in']")).to_be_visible()
    finally:
        await second.context.close()
    assert watched.errors == []
    # ending this browser's own session logs it out
    await reader.locator(".session-list li").get_by_role("button", name="Log out here").click()
    await reader.wait_for_url(re.compile(r"/auth/sign_in$"))
    await reader.goto(f"{reading_server.url}/settings")
    await expect(reader.locator("form[action='/auth/sign_in']")).to_be_visible()


async def _quote(page: Page, server: Server, status_id: str, text: str) -> None:
    await page.goto(f"{server.url}/compose?quote={status_id}")
    await page.get_by_label("What's happening?").fill(text)
    await page.get_by_role("button", name="Post", exact=True).click()
    await expect(page.locator("article.post").filter(has_text=text).first).to_be_visible()


async def test_a_quoted_post_keeps_its_label_and_warning(
    browser: Browser, reader: Page, reading_server: Server
) -> None:
    author = new_person("quoted")
    await sign_up(reader, reading_server, author)
    await _posted(reader, "Kumquat marmalade keeps for a year", "en")
    await _posted(reader, "Durian ice cream is worth the smell", "en")
    await reader.goto(f"{reading_server.url}/@{author.username}")
    ids = {}
    for word in ("Kumquat", "Durian"):
        card = reader.locator("article.post").filter(has_text=word).first
        ids[word] = str(await card.get_attribute("data-id"))

    other, watched = await open_page(browser, reading_server)
    try:
        quoter = new_person("quoter")
        await sign_up(other, reading_server, quoter)
        await _quote(other, reading_server, ids["Kumquat"], "Quoting the marmalade")
        await _quote(other, reading_server, ids["Durian"], "Quoting the ice cream")
        await other.goto(f"{reading_server.url}/@{quoter.username}")
        labelled = other.locator("article.post").filter(has_text="Quoting the marmalade")
        await expect(labelled.locator("blockquote.quoted .moderation-label")).to_contain_text(
            "Label: Fruit talk"
        )
        warned = other.locator("article.post").filter(has_text="Quoting the ice cream")
        quote = warned.locator("blockquote.quoted")
        await expect(quote.locator("summary")).to_contain_text(
            "Warning: Durian talk is shown behind a warning."
        )
        await expect(quote.get_by_text("worth the smell")).to_be_hidden()
        await quote.locator("summary").click()
        await expect(quote.get_by_text("worth the smell")).to_be_visible()

        # the reader hides the label: the quote says so instead of showing the post
        await other.goto(f"{reading_server.url}/settings")
        form = other.locator("form[action='/settings/labels']")
        await form.get_by_label("Fruit talk").select_option("hide")
        await form.get_by_role("button", name="Save label choices").click()
        await other.goto(f"{reading_server.url}/@{quoter.username}")
        labelled = other.locator("article.post").filter(has_text="Quoting the marmalade")
        await expect(labelled.locator("blockquote.quoted")).to_contain_text(
            "A post you chose to hide: Fruit talk"
        )
        await expect(labelled.get_by_text("keeps for a year")).to_have_count(0)
    finally:
        await other.context.close()
    assert watched.errors == []
