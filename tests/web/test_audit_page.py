"""The audit log page for moderators: reached from the moderation queue, filtered,
readable in Urdu, refused to everyone else."""

from __future__ import annotations

import secrets

from playwright.async_api import Browser, Page, expect

from tests.servers import Server
from tests.web.conftest import new_person, open_page, sign_up
from tests.web.test_accessibility import AXE, _serious
from tests.web.test_frozen_account import _moderator_api


async def _sign_in(page: Page, server: Server, login: str, password: str) -> None:
    await page.goto(f"{server.url}/auth/sign_in")
    form = page.locator("form[action='/auth/sign_in']")
    await form.locator("[name=login]").fill(login)
    await form.locator("[name=password]").fill(password)
    await form.locator("button[type=submit]").click()
    await page.wait_for_url(f"{server.url}/home")


async def test_moderators_read_and_filter_the_audit_log(
    page: Page, browser: Browser, server: Server
) -> None:
    # a plain user is refused the page
    person = new_person("aud")
    await sign_up(page, server, person)
    await page.goto(f"{server.url}/admin/audit")
    await expect(page.locator("main")).to_contain_text("only allowed to moderators")

    staff_api, moderator = _moderator_api(server, with_person=True)
    target_id = staff_api.account_lookup(person.username)["id"]
    staff_api.admin_account_moderate(target_id, "silence", text=f"calm {secrets.token_hex(2)}")
    staff_api.admin_account_unsilence(target_id)

    staff, watched = await open_page(browser, server)
    await _sign_in(staff, server, moderator.username, moderator.password)
    await staff.goto(f"{server.url}/admin/reports")
    await staff.get_by_role("link", name="Audit log").click()
    await expect(staff.locator("h1")).to_have_text("Audit log")
    rows = staff.locator("table.audit-log tbody tr")
    await staff.get_by_label("Moderator").fill(moderator.username)
    await staff.get_by_role("button", name="Filter").click()
    await expect(rows).to_have_count(2)
    await expect(rows.nth(0)).to_contain_text("account.unsilence")
    await expect(rows.nth(1)).to_contain_text("account.silence")
    await expect(rows.nth(0)).to_contain_text(f"@{moderator.username}")
    await expect(rows.nth(0)).to_contain_text(f"account {target_id}")
    await staff.get_by_label("Action").fill("account.silence")
    await staff.get_by_role("button", name="Filter").click()
    await expect(rows).to_have_count(1)
    # bad filters are told in words, on the page
    await staff.get_by_label("Action").fill("DROP TABLE")
    await staff.get_by_role("button", name="Filter").click()
    await expect(staff.get_by_role("alert")).to_contain_text("account.silence or report")
    await staff.get_by_label("Action").fill("")
    await staff.get_by_label("Moderator").fill("nobody_at_all_here")
    await staff.get_by_role("button", name="Filter").click()
    await expect(staff.get_by_role("alert")).to_have_text("No account by that name")
    if AXE.exists():
        assert await _serious(staff) == []
    await staff.context.close()
    assert watched.errors == [] and watched.outside == []

    # the same page in Urdu, chosen with the interface language switch
    urdu, urdu_watched = await open_page(browser, server, locale="ur-PK")
    await _sign_in(urdu, server, moderator.username, moderator.password)
    await urdu.goto(f"{server.url}/admin/audit?moderator={moderator.username}")
    await urdu.locator("#interface-language").select_option("ur")
    await urdu.locator("form.language-switch button[type=submit]").click()
    await expect(urdu.locator("h1")).to_have_text("آڈٹ لاگ")
    await expect(urdu.get_by_role("button", name="چھانٹیں")).to_be_visible()
    await expect(urdu.locator("table.audit-log tbody tr")).to_have_count(2)
    await urdu.context.close()
    assert urdu_watched.errors == [] and urdu_watched.outside == []
