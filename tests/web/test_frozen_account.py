"""A frozen account in the browser: it signs in, is told why and how to appeal on every
page, cannot post, and appeals its freeze."""

from __future__ import annotations

import secrets
from typing import Any, Literal, overload

from mastodon import Mastodon
from playwright.async_api import Page, expect

from tests.api.test_moderation_api import ADMIN_SCOPES
from tests.servers import Server
from tests.web.conftest import Person, new_person, post, sign_up


@overload
def _moderator_api(server: Server) -> Mastodon: ...
@overload
def _moderator_api(server: Server, *, with_person: Literal[True]) -> tuple[Mastodon, Person]: ...


def _moderator_api(server: Server, *, with_person: bool = False) -> Any:
    """A moderator made with the CLI, signed in through the API (and who it is)."""
    person = new_person("frzmod")
    made = server.cli(
        "admin", "create-user", person.username, person.email, "--role", "moderator",
        "--password", person.password,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    client_id, client_secret = Mastodon.create_app(
        "frozen account test", scopes=ADMIN_SCOPES, redirect_uris="urn:ietf:wg:oauth:2.0:oob",
        api_base_url=server.url,
    )  # fmt: skip
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=server.url)
    api.log_in(person.username, person.password, scopes=ADMIN_SCOPES, allow_http=True)
    return (api, person) if with_person else api


async def test_a_frozen_account_signs_in_sees_why_and_appeals(page: Page, server: Server) -> None:
    person = new_person("frz")
    await sign_up(page, server, person)
    await post(page, "a post from before the freeze")
    staff = _moderator_api(server)
    account_id = staff.account_lookup(person.username)["id"]
    reason = f"Spam links, again {secrets.token_hex(2)}"
    staff.admin_account_moderate(account_id, "disable", text=reason)

    # on the next page the notice says why, which rule, and where to appeal
    await page.goto(f"{server.url}/home")
    notice = page.locator(".frozen-notice")
    await expect(notice.get_by_role("heading")).to_have_text("Your account is frozen")
    await expect(notice).to_contain_text("moderator-disable")
    await expect(notice).to_contain_text(reason)
    await expect(notice.get_by_role("link")).to_contain_text("Appeal this decision by")
    # posting is refused with the reason, and what was typed stays
    form = page.locator("[data-compose]").first
    await form.locator("textarea[name=text]").fill("a post while frozen")
    async with page.expect_response(lambda r: r.url.endswith("/compose")) as answer:
        await form.locator("button[type=submit]").click()
    assert (await answer.value).status == 422
    await expect(page.locator("[data-compose] .form-error")).to_contain_text("frozen")
    await expect(form.locator("textarea[name=text]")).to_have_value("a post while frozen")
    # other forms are refused with a readable page
    await page.goto(f"{server.url}/settings")
    await page.locator("form[action='/settings/profile'] button[type=submit]").click()
    await expect(page.get_by_role("alert")).to_contain_text("Your account is frozen")

    # signing out and in again works, and lands on the strikes to appeal
    await page.goto(f"{server.url}/home")
    await page.locator("form[action='/auth/sign_out'] button").click()
    await page.goto(f"{server.url}/auth/sign_in")
    sign_in = page.locator("form[action='/auth/sign_in']")
    await sign_in.locator("[name=login]").fill(person.username)
    await sign_in.locator("[name=password]").fill(person.password)
    await sign_in.locator("button[type=submit]").click()
    await page.wait_for_url(f"{server.url}/settings/strikes")
    strike = page.locator(".strike").first
    await expect(strike).to_contain_text(reason)
    await strike.locator("textarea").fill("Those were links to my own blog")
    await strike.get_by_role("button", name="Send appeal").click()
    await expect(page.locator("main [role=status]").last).to_have_text(
        "Your appeal is sent to the moderators."
    )
    await expect(page.locator(".frozen-notice")).to_contain_text("Your appeal: pending")
