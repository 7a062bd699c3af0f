"""Sign-up and log-in rules, against the real database."""

from __future__ import annotations

import pytest

from tests.conftest import unique_name
from townsquare.core.errors import ValidationFailed
from townsquare.domain.accounts.actions import (
    NewAccount,
    ProfileChanges,
    authenticate,
    change_password,
    register,
    update_profile,
)
from townsquare.domain.accounts.errors import AwaitingApproval, InvalidCredentials, UsernameTaken
from townsquare.storage.database import Database


def new(**overrides: object) -> NewAccount:
    name = unique_name("acc")
    values: dict[str, object] = {
        "username": name, "email": f"{name}@example.org", "password": "a long secret",
    }  # fmt: skip
    values.update(overrides)
    return NewAccount(**values)  # type: ignore[arg-type]


async def test_log_in_by_username_or_email_any_case(db: Database) -> None:
    draft = new()
    async with db.write() as conn:
        account = await register(conn, draft)
        assert (await authenticate(conn, draft.username.upper(), "a long secret")).id == account.id
        assert (await authenticate(conn, draft.email.upper(), "a long secret")).id == account.id
        with pytest.raises(InvalidCredentials):
            await authenticate(conn, draft.username, "wrong secret")
        with pytest.raises(InvalidCredentials):
            await authenticate(conn, "nobody_here", "a long secret")


async def test_sign_ups_awaiting_approval_cannot_log_in(db: Database) -> None:
    draft = new(approved=False)
    async with db.write() as conn:
        await register(conn, draft)
        with pytest.raises(AwaitingApproval):
            await authenticate(conn, draft.username, "a long secret")


async def test_usernames_are_unique_ignoring_case_and_rules_hold(db: Database) -> None:
    draft = new()
    async with db.write() as conn:
        await register(conn, draft)
    for bad in (
        new(username=draft.username.swapcase(), email="other@example.org"),
        new(username="has space"),
        new(username="admin"),
        new(password="short"),
        new(email="not-an-address"),
        new(display_name="x" * 31),
    ):
        with pytest.raises(ValidationFailed):
            async with db.write() as conn:
                await register(conn, bad)
    with pytest.raises(UsernameTaken):
        async with db.write() as conn:
            await register(conn, new(username=draft.username.upper()))


async def test_display_names_lose_bidi_overrides_but_keep_urdu(db: Database) -> None:
    async with db.write() as conn:
        account = await register(conn, new())
        changed = await update_profile(
            conn, account.id, ProfileChanges(display_name="\u202eعائشہ\u202c", note="شاعری")
        )
    assert changed.display_name == "عائشہ"
    assert changed.note == "شاعری"


async def test_change_password_needs_the_current_one(db: Database) -> None:
    draft = new()
    async with db.write() as conn:
        account = await register(conn, draft)
        with pytest.raises(ValidationFailed):
            await change_password(conn, account.id, "wrong secret", "another long secret")
        await change_password(conn, account.id, "a long secret", "another long secret")
        assert (await authenticate(conn, draft.username, "another long secret")).id == account.id
