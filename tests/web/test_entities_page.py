"""The admin pages' two writes: an admin switches the active policy from /admin/policy,
and moderators keep the designated entities registry at /admin/entities (listed,
filtered, downloaded and uploaded in the command line's file forms). On a server of
their own: switching the policy would change every other test's decisions."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from tests.servers import Server, own_server
from tests.web.conftest import Person, new_person, open_page, sign_up
from tests.web.test_accessibility import AXE, _serious
from tests.web.test_audit_page import _sign_in

NAME = "Lantern Front"
URDU_ALIAS = "لالٹین محاذ"
ENTITIES = [
    {"name": NAME, "kind": "organisation", "tier": 1,
     "aliases": ["Lantern Brigade", URDU_ALIAS], "sources": ["https://example.org/list"]},
    {"name": "Kettle Society", "kind": "organisation", "tier": 2},
]  # fmt: skip
# The second entry is wrong: nothing of the file may land, not even the first.
MALFORMED = [
    {"name": "Half Imported", "kind": "organisation", "tier": 1},
    {"name": "Broken Entry", "kind": "organisation", "tier": 7},
]


@pytest.fixture(scope="module")
def entities_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from own_server(tmp_path_factory, "entities")


def _staff(server: Server, role: str) -> Person:
    person = new_person(role[:3])
    made = server.cli(
        "admin", "create-user", person.username, person.email, "--role", role,
        "--password", person.password,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    return person


async def _downloaded(path: Path) -> str:
    return await asyncio.to_thread(path.read_text, encoding="utf-8")


async def _upload(page: Page, name: str, content: bytes) -> None:
    await page.get_by_label("Import a .json or .csv file").set_input_files(
        {"name": name, "mimeType": "application/octet-stream", "buffer": content}
    )
    await page.get_by_role("button", name="Import", exact=True).click()


async def test_an_admin_switches_the_active_policy(
    browser: Browser, entities_server: Server
) -> None:
    server = entities_server
    # a moderator compares but is given no switch, and a POST of theirs is refused
    moderator = _staff(server, "moderator")
    staff, watched = await open_page(browser, server)
    await _sign_in(staff, server, moderator.username, moderator.password)
    await staff.goto(f"{server.url}/admin/policy")
    await expect(staff.locator("#active-policy")).to_contain_text("open")
    await expect(staff.get_by_role("button", name="Compare")).to_be_visible()
    await expect(staff.get_by_role("button", name="Use this policy")).to_have_count(0)
    refused = await staff.evaluate(
        """async () => {
            const body = new URLSearchParams({preset: "dangerous-orgs"});
            const answer = await fetch("/admin/policy/use", {method: "POST", body});
            return [answer.status, await answer.text()];
        }"""
    )
    assert refused[0] == 403 and "Only admins can switch" in refused[1]
    await staff.context.close()
    assert watched.errors == [] and watched.outside == []

    admin = _staff(server, "admin")
    page, watched = await open_page(browser, server)
    await _sign_in(page, server, admin.username, admin.password)
    await page.goto(f"{server.url}/about/policy")
    await expect(page.locator("main")).to_contain_text("open")
    await page.goto(f"{server.url}/admin/policy")
    await page.get_by_label("Preset").select_option("dangerous-orgs")
    await page.get_by_role("button", name="Use this policy").click()
    await expect(page.locator("#active-policy")).to_contain_text("dangerous-orgs 2026.12.1")
    if AXE.exists():
        assert await _serious(page) == []
    # a choice the form never offers is refused in words; the policy stays
    refused = await page.evaluate(
        """async () => {
            const form = document.querySelector("form[action='/admin/policy/use']");
            const data = new FormData(form);
            data.set("preset", "/etc/passwd");
            const body = new URLSearchParams(data);
            const answer = await fetch(form.action, {method: "POST", body});
            return [answer.status, await answer.text()];
        }"""
    )
    assert refused[0] == 422 and "Unknown policy" in refused[1]
    # the public page tells everyone, and the audit log says who switched
    await page.goto(f"{server.url}/about/policy")
    await expect(page.locator("main")).to_contain_text("dangerous-orgs")
    await expect(page.locator("main")).to_contain_text("2026.12.1")
    await page.goto(f"{server.url}/admin/audit?action=policy.use")
    row = page.locator("table.audit-log tbody tr").first
    await expect(row).to_contain_text(f"@{admin.username}")
    await expect(row).to_contain_text("policy dangerous-orgs")
    # back to the preset the server started with, for the tests after this one
    await page.goto(f"{server.url}/admin/policy")
    await page.get_by_label("Preset").select_option("open")
    await page.get_by_role("button", name="Use this policy").click()
    await expect(page.locator("#active-policy")).to_contain_text("open")
    await page.context.close()
    assert watched.errors == [] and watched.outside == []


async def test_moderators_keep_the_registry(browser: Browser, entities_server: Server) -> None:
    server = entities_server
    # a plain user is refused the page and the downloads
    page, outsider = await open_page(browser, server)
    await sign_up(page, server, new_person("ent"))
    await page.goto(f"{server.url}/admin/entities")
    await expect(page.locator("main")).to_contain_text("only allowed to moderators")
    await page.goto(f"{server.url}/admin/entities/export.json")
    await expect(page.locator("main")).to_contain_text("only allowed to moderators")
    await page.context.close()
    assert outsider.errors == [] and outsider.outside == []

    moderator = _staff(server, "moderator")
    staff, watched = await open_page(browser, server)
    await _sign_in(staff, server, moderator.username, moderator.password)
    await staff.goto(f"{server.url}/admin/reports")
    await staff.get_by_role("link", name="Designated entities").click()
    await expect(staff.locator("h1")).to_have_text("Designated entities")
    rows = staff.locator("table.entities tbody tr")

    # a malformed file is told in words, with its entry number, and imports nothing
    await _upload(staff, "bad.json", json.dumps(MALFORMED).encode())
    await expect(staff.get_by_role("alert")).to_contain_text("entity 2: unknown tier 7")
    await _upload(staff, "bad.csv", b"name,kind,tier\nOne Entry,organisation,1\nTwo,club,1\n")
    await expect(staff.get_by_role("alert")).to_contain_text("line 3: unknown kind 'club'")
    await staff.goto(f"{server.url}/admin/entities?q=Half")
    await expect(staff.get_by_text("No entities here.")).to_be_visible()

    await _upload(staff, "entities.json", json.dumps(ENTITIES, ensure_ascii=False).encode())
    await expect(staff.get_by_role("status")).to_contain_text("2 new, 0 replaced")
    await expect(rows.filter(has_text=NAME)).to_contain_text(URDU_ALIAS)
    await expect(rows.filter(has_text=NAME).locator("th")).to_have_attribute("dir", "auto")
    # found by its Urdu alias, and filtered by tier
    await staff.get_by_label("Name or alias").fill(URDU_ALIAS)
    await staff.get_by_role("button", name="Filter").click()
    await expect(rows).to_have_count(1)
    await expect(rows.first.locator("th")).to_have_text(NAME)
    await staff.get_by_label("Name or alias").fill("")
    await staff.get_by_label("Tier").select_option("2")
    await staff.get_by_role("button", name="Filter").click()
    await expect(rows).to_have_count(1)
    await expect(rows.first.locator("th")).to_have_text("Kettle Society")
    if AXE.exists():
        assert await _serious(staff) == []

    # the downloads are the command line's export forms and hold the entity
    async with staff.expect_download() as got:
        await staff.get_by_role("link", name="JSON").click()
    exported = json.loads(await _downloaded(await (await got.value).path()))
    lantern = next(e for e in exported if e["name"] == NAME)
    assert lantern["aliases"] == ["Lantern Brigade", URDU_ALIAS] and lantern["tier"] == 1
    async with staff.expect_download() as got:
        await staff.get_by_role("link", name="CSV").click()
    text = await _downloaded(await (await got.value).path())
    rows_csv = {row["name"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows_csv[NAME]["aliases"] == f"Lantern Brigade|{URDU_ALIAS}"
    cli = server.cli("entities", "export", "--format", "csv")
    assert cli.returncode == 0, cli.stderr
    assert cli.stdout == text

    # the import is in the audit log under the moderator's name
    await staff.goto(f"{server.url}/admin/audit?action=entities")
    row = staff.locator("table.audit-log tbody tr").first
    await expect(row).to_contain_text("entities.import")
    await expect(row).to_contain_text(f"@{moderator.username}")
    await staff.context.close()
    assert watched.errors == [] and watched.outside == []
