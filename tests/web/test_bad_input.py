"""Bad input in the browser: refused with a message a person understands, or inert."""

from __future__ import annotations

from playwright.async_api import Page, expect

from tests.servers import Server
from tests.web.conftest import new_person, post, sign_up

PAYLOAD = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'


async def test_forged_and_missing_csrf_tokens_are_refused(page: Page, server: Server) -> None:
    await sign_up(page, server, new_person("csrf"))
    form = page.locator("[data-compose]")
    await form.locator("input[name=csrf_token]").evaluate("e => { e.value = 'forged' }")
    await post(page, "this must not be posted")
    await expect(page.get_by_role("alert")).to_contain_text("This form has expired")
    await page.goto(f"{server.url}/home")
    await form.locator("input[name=csrf_token]").evaluate("e => e.remove()")
    await post(page, "this must not be posted")
    await expect(page.get_by_role("alert")).to_contain_text("reload the page and try again")
    await page.goto(f"{server.url}/home")
    await expect(page.get_by_text("this must not be posted")).to_have_count(0)


async def test_over_long_post_is_refused_whole_with_the_count(page: Page, server: Server) -> None:
    await sign_up(page, server, new_person("long"))
    counter = page.locator("[data-counter]")
    # 500 family emoji are 500 graphemes (and 5,500 UTF-16 units): within the limit.
    family = "👨‍👩‍👧‍👦"
    await page.locator("[data-compose-text]").fill(family * 500)
    await expect(counter).to_have_text("500 / 500")
    await page.locator("[data-compose-text]").fill("a" * 501)
    await expect(counter).to_have_text("501 / 500")
    await expect(page.locator("[data-compose] button[type=submit]")).to_be_disabled()
    # Without the script's help the server refuses it, and keeps the text.
    await page.locator("[data-compose] button[type=submit]").evaluate("b => b.disabled = false")
    await page.locator("[data-compose] button[type=submit]").click()
    await expect(page.get_by_role("alert")).to_have_text(
        "Your post is 501 characters long, over the limit of 500. "
        "Shorten it and post again; nothing was posted."
    )
    await expect(page.locator("[data-compose-text]")).to_have_value("a" * 501)
    await page.goto(f"{server.url}/home")
    await expect(page.locator(".post")).to_have_count(0)
    await post(page, family * 500)
    await expect(page.locator(".post .content")).to_have_text(family * 500)


async def test_markup_in_posts_names_and_bios_is_shown_as_text(page: Page, server: Server) -> None:
    person = new_person("xss")
    await sign_up(page, server, person)
    await post(page, PAYLOAD)
    content = page.locator(".post .content").first
    await expect(content).to_have_text(PAYLOAD)
    assert await content.locator("script, img").count() == 0

    await page.goto(f"{server.url}/settings")
    await page.get_by_label("Display name").fill("<b>bold</b>")
    await page.get_by_label("Bio").fill(PAYLOAD)
    await page.get_by_role("button", name="Save profile").click()
    await page.goto(f"{server.url}/@{person.username}")
    await expect(page.locator("h1 .display-name")).to_have_text("<b>bold</b>")
    await expect(page.locator(".bio")).to_have_text(PAYLOAD)
    assert await page.locator(".bio script, .bio img, h1 b").count() == 0
    assert await page.evaluate("window.pwned") is None


async def test_bidi_override_in_a_display_name_is_neutralised(page: Page, server: Server) -> None:
    person = new_person("bidi")
    await sign_up(page, server, person)
    await page.goto(f"{server.url}/settings")
    # U+202E would show "gpj.exe" as "exe.jpg" and run over the text after the name.
    await page.get_by_label("Display name").fill("Ali\u202egpj.exe")
    await page.get_by_role("button", name="Save profile").click()
    await expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    await page.goto(f"{server.url}/home")
    await post(page, "after the name")
    name = page.locator(".post .display-name").first
    await expect(name).to_have_text("Aligpj.exe")
    await expect(name).to_have_attribute("dir", "auto")
    await expect(page.locator(".post .acct").first).to_have_text(f"@{person.username}")


async def test_wrong_password_and_taken_username_say_what_is_wrong(
    page: Page, server: Server
) -> None:
    person = new_person("pw")
    await sign_up(page, server, person)
    await page.get_by_role("button", name="Log out").click()
    await page.goto(f"{server.url}/auth/sign_in")
    await page.get_by_label("Username or e-mail").fill(person.username)
    await page.get_by_label("Password").fill("not the password")
    await page.get_by_role("button", name="Log in").click()
    await expect(page.get_by_role("alert")).to_have_text("Invalid email/username or password")
    await page.goto(f"{server.url}/auth/sign_up")
    await page.get_by_label("Username").fill(person.username)
    await page.get_by_label("E-mail").fill("other@example.org")
    await page.get_by_label("Password", exact=True).fill("long enough password")
    await page.get_by_label("Password again").fill("long enough password")
    await page.get_by_label("I accept these rules").check()
    await page.get_by_role("button", name="Sign up").click()
    await expect(page.get_by_role("alert")).to_have_text("Username has already been taken")
    await expect(page.get_by_label("E-mail")).to_have_value("other@example.org")
