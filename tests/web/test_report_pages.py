"""Reporting a post in the browser, then the moderation queue acting on it, the
strike it leaves, the appeal and its approval."""

from __future__ import annotations

import json
from collections.abc import Callable

from playwright.async_api import Browser, Page, expect

from tests.conftest import User
from tests.moderation.dsa_schema import validate_statement
from tests.servers import Server
from tests.web.conftest import new_person, open_page, post, sign_up
from tests.web.test_accessibility import AXE, _serious


async def _sign_in(page: Page, server: Server, login: str, password: str) -> None:
    await page.goto(f"{server.url}/auth/sign_in")
    form = page.locator("form[action='/auth/sign_in']")
    await form.locator("[name=login]").fill(login)
    await form.locator("[name=password]").fill(password)
    await form.locator("button[type=submit]").click()
    await page.wait_for_url(f"{server.url}/home")


async def test_report_queue_strike_and_appeal(page: Page, browser: Browser, server: Server) -> None:
    author, reporter = new_person("auth"), new_person("repo")
    await sign_up(page, server, author)
    await post(page, "a post someone will report")
    await page.goto(f"{server.url}/@{author.username}")
    status_id = await page.locator(".post").first.get_attribute("data-id")

    other, other_watch = await open_page(browser, server)
    await sign_up(other, server, reporter)
    await other.goto(f"{server.url}/@{author.username}/{status_id}")
    await other.locator(f"#post-{status_id} .act-report").click()
    await expect(other.locator("h1")).to_have_text(f"Report @{author.username}")
    # a violation without a rule is refused with a message, and the choices stay
    await other.get_by_label("Breaks a server rule").check()
    await other.get_by_label("Comment for the moderators").fill("rude words")
    await other.get_by_role("button", name="Send report").click()
    await expect(other.get_by_role("alert")).to_contain_text("names the rules")
    await expect(other.get_by_label("Comment for the moderators")).to_have_value("rude words")
    await other.get_by_label("No spam, and no accounts that pretend to be someone else.").check()
    await other.get_by_role("button", name="Send report").click()
    await expect(other.get_by_role("status")).to_have_text(
        "Thank you. The moderators will look at your report."
    )
    # a plain user cannot open the queue
    await other.goto(f"{server.url}/admin/reports")
    await expect(other.locator("main")).to_contain_text("only allowed to moderators")
    await other.context.close()
    assert other_watch.errors == [] and other_watch.outside == []

    moderator = new_person("modr")
    made = server.cli(
        "admin", "create-user", moderator.username, moderator.email, "--role", "moderator",
        "--password", moderator.password,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    staff, staff_watch = await open_page(browser, server)
    await _sign_in(staff, server, moderator.username, moderator.password)
    await staff.goto(f"{server.url}/admin/reports")
    row = staff.locator("tr", has_text=f"@{author.username}")
    await expect(row).to_be_visible()
    if AXE.exists():
        assert await _serious(staff) == []
    await row.get_by_role("link").click()
    await expect(staff.locator(f"#post-{status_id}")).to_contain_text("a post someone will report")
    if AXE.exists():
        assert await _serious(staff) == []
    await staff.get_by_role("button", name="Assign to me").click()
    await expect(staff.get_by_role("button", name="Unassign")).to_be_visible()
    await staff.get_by_label("Add a note").fill("first offence")
    await staff.get_by_role("button", name="Save note").click()
    await expect(staff.locator(".note")).to_contain_text("first offence")
    await staff.get_by_label("Action").select_option("silence")
    await staff.get_by_label("Message to the account").fill("Please keep it civil")
    await staff.get_by_role("button", name="Act and resolve").click()
    await expect(staff.locator(".report-facts")).to_contain_text("silenced")
    await expect(staff.get_by_role("button", name="Reopen")).to_be_visible()

    # the author sees the strike and appeals it once
    await page.goto(f"{server.url}/settings/strikes")
    strike = page.locator(".strike").first
    await expect(strike).to_contain_text("Please keep it civil")
    await strike.locator("textarea").fill("It was a joke between friends")
    await strike.get_by_role("button", name="Send appeal").click()
    await expect(page.get_by_role("status")).to_have_text("Your appeal is sent to the moderators.")
    await expect(page.locator(".appeal-state")).to_have_text("Your appeal: pending")
    await expect(page.get_by_role("button", name="Send appeal")).to_have_count(0)

    await staff.goto(f"{server.url}/admin/appeals")
    appeal = staff.locator("li", has_text="It was a joke between friends")
    await expect(appeal).to_be_visible()
    if AXE.exists():
        assert await _serious(staff) == []
    await appeal.get_by_role("button", name="Approve and overrule").click()
    # other tests on the same server may leave appeals waiting: only this one must go
    await expect(staff.locator("li", has_text="It was a joke between friends")).to_have_count(0)
    await page.reload()
    await expect(page.locator(".appeal-state")).to_have_text("Your appeal: approved")
    await staff.context.close()
    assert staff_watch.errors == [] and staff_watch.outside == []


async def test_acting_on_a_report_may_cite_a_legal_ground(
    browser: Browser, server: Server, make_user: Callable[..., User]
) -> None:
    reporter, target = make_user("lgr"), make_user("lgt")
    post_id = target.api.status_post("join us, the attack is tomorrow")["id"]
    report = reporter.api.report(target.id, [post_id], comment="incitement", category="other")
    moderator = new_person("lgm")
    made = server.cli(
        "admin", "create-user", moderator.username, moderator.email, "--role", "moderator",
        "--password", moderator.password,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    staff, watch = await open_page(browser, server)
    await _sign_in(staff, server, moderator.username, moderator.password)
    await staff.goto(f"{server.url}/admin/reports/{report['id']}")
    await staff.get_by_label("Action").select_option("suspend")
    explanation = "It calls on readers to join an attack."
    # marked illegal without the law it breaks: refused, what was typed stays
    await staff.get_by_label("The content is illegal", exact=True).check()
    await staff.get_by_label("Why the content is illegal").fill(explanation)
    await staff.get_by_role("button", name="Act and resolve").click()
    await expect(staff.get_by_role("alert")).to_have_text(
        "Illegal content needs the legal ground it breaks"
    )
    await expect(staff.get_by_label("Why the content is illegal")).to_have_value(explanation)
    await expect(staff.get_by_label("The content is illegal", exact=True)).to_be_checked()
    await expect(staff.locator(".report-facts")).to_contain_text("No action yet")

    # unique: other tests on the same server cite laws too
    ground = f"Regulation (EU) 2021/784, Article 2(7), case {moderator.username}"
    await staff.get_by_label("Legal ground (the law it breaks)").fill(ground)
    await staff.get_by_role("button", name="Act and resolve").click()
    facts = staff.locator(".report-facts")
    await expect(facts).to_contain_text("suspended")
    await expect(facts.locator(".legal-ground")).to_have_text(ground)
    await expect(staff.get_by_role("button", name="Reopen")).to_be_visible()
    await staff.context.close()
    assert watch.errors == [] and watch.outside == []

    exported = server.cli("transparency", "export", "--format", "dsa")
    assert exported.returncode == 0, exported.stderr
    statements = [json.loads(line) for line in exported.stdout.splitlines() if line.strip()]
    mine = [s for s in statements if s.get("illegal_content_legal_ground") == ground]
    assert len(mine) == 1
    assert mine[0]["decision_ground"] == "DECISION_GROUND_ILLEGAL_CONTENT"
    assert mine[0]["illegal_content_explanation"] == explanation
    assert validate_statement(mine[0]) == []
