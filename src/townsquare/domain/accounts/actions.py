"""Writes to accounts: sign-up, log-in checks, profile and password changes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import orjson
import regex
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import utcnow
from townsquare.core.errors import ValidationFailed
from townsquare.core.ids import new_id
from townsquare.core.normalize import match_key
from townsquare.core.text import grapheme_count
from townsquare.domain.accounts.errors import (
    AccountDisabled,
    AwaitingApproval,
    EmailTaken,
    InvalidCredentials,
    UsernameTaken,
)
from townsquare.domain.accounts.models import ROLES, VISIBILITIES, Account, ProfileField
from townsquare.domain.accounts.passwords import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    dummy_hash,
    hash_password,
    verify_password,
)
from townsquare.domain.accounts.queries import get_account
from townsquare.domain.search.index import schedule_account
from townsquare.domain.timelines.feeds import start_feed
from townsquare.storage.schema import accounts, users

USERNAME = regex.compile(r"^[A-Za-z0-9_]{1,30}$")
EMAIL = regex.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
# Names people could mistake for the instance itself.
RESERVED_USERNAMES = frozenset(
    {
        "admin",
        "administrator",
        "root",
        "support",
        "help",
        "moderator",
        "mod",
        "security",
        "webmaster",
        "postmaster",
        "abuse",
        "instance",
        "townsquare",
        "system",
        "staff",
    }
)
MAX_DISPLAY_NAME = 30
MAX_NOTE = 500
MAX_FIELDS = 4
# Bidi embeddings, overrides and isolates: in a name they could make it run over, or
# disguise, the text beside it. Marks (LRM/RLM) stay: right-to-left names need them.
_NAME_BIDI = regex.compile(r"[\u202A-\u202E\u2066-\u2069]")
_CONTROL = regex.compile(r"[\p{Cc}--[\n\t]]", flags=regex.V1)


def _invalid(field: str, message: str, code: str = "ERR_INVALID") -> ValidationFailed:
    return ValidationFailed(f"Validation failed: {message}", details={field: [code]})


def clean_display_name(value: str) -> str:
    cleaned = _CONTROL.sub("", _NAME_BIDI.sub("", value)).replace("\n", " ").strip()
    if grapheme_count(cleaned) > MAX_DISPLAY_NAME:
        raise _invalid(
            "display_name", "Display name is too long (maximum is 30 characters)", "ERR_TOO_LONG"
        )
    return cleaned


def check_username(username: str) -> None:
    if not USERNAME.match(username):
        raise _invalid(
            "username",
            "Username must contain only letters, numbers and underscores (at most 30)",
        )
    if username.lower() in RESERVED_USERNAMES:
        raise _invalid("username", "Username is reserved", "ERR_RESERVED")


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise _invalid(
            "password", "Password is too short (minimum is 8 characters)", "ERR_TOO_SHORT"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise _invalid("password", "Password is too long", "ERR_TOO_LONG")


@dataclass(frozen=True, slots=True)
class NewAccount:
    username: str
    email: str
    password: str
    display_name: str = ""
    role: str = "user"
    locale: str = "en"
    reason: str | None = None
    sign_up_ip: str | None = None
    approved: bool = True
    allow_reserved: bool = False


async def register(conn: AsyncConnection, new: NewAccount) -> Account:
    """Create a local account with its credentials; refuses taken names and e-mails."""
    if new.allow_reserved:
        if not USERNAME.match(new.username):
            check_username(new.username)
    else:
        check_username(new.username)
    email = new.email.strip()
    if not EMAIL.match(email) or len(email) > 320:
        raise _invalid("email", "Email is invalid")
    check_password(new.password)
    if new.role not in ROLES:
        raise _invalid("role", f"Role must be one of {', '.join(ROLES)}")
    display_name = clean_display_name(new.display_name)

    username_key = new.username.casefold()
    email_key = email.casefold()
    taken = await conn.scalar(
        select(accounts.c.id).where(
            accounts.c.username_key == username_key, accounts.c.domain == ""
        )
    )
    if taken is not None:
        raise UsernameTaken()
    if await conn.scalar(select(users.c.account_id).where(users.c.email_key == email_key)):
        raise EmailTaken()

    account_id = new_id()
    now = utcnow()
    password_hash = hash_password(new.password)
    try:
        async with conn.begin_nested():
            await conn.execute(
                accounts.insert().values(
                    id=account_id,
                    username=new.username,
                    username_key=username_key,
                    domain="",
                    display_name=display_name,
                    role=new.role,
                    created_at=now,
                    updated_at=now,
                )
            )
            await conn.execute(
                users.insert().values(
                    account_id=account_id,
                    email=email,
                    email_key=email_key,
                    password_hash=password_hash,
                    locale=new.locale,
                    approved=new.approved,
                    created_at=now,
                    confirmed_at=now,
                    sign_up_ip=new.sign_up_ip,
                    reason=new.reason,
                )
            )
            await start_feed(conn, account_id)
    except IntegrityError as exc:
        # Lost a race with a concurrent sign-up for the same name or address.
        if "email" in str(exc.orig).lower():
            raise EmailTaken() from exc
        raise UsernameTaken() from exc
    await schedule_account(conn, account_id)
    return await get_account(conn, account_id)


async def authenticate(
    conn: AsyncConnection, login: str, password: str, *, frozen_may_sign_in: bool = False
) -> Account:
    """The local account whose username or e-mail and password match. A frozen account
    is refused, unless ``frozen_may_sign_in`` (the web, where it reads its strikes and
    appeals them; every write stays refused)."""
    key = login.strip().casefold()
    condition = (
        users.c.email_key == key
        if "@" in key
        else (accounts.c.username_key == key) & (accounts.c.domain == "")
    )
    row = (
        await conn.execute(
            select(users.c.account_id, users.c.password_hash, users.c.approved)
            .select_from(users.join(accounts, accounts.c.id == users.c.account_id))
            .where(condition)
        )
    ).first()
    if row is None:
        verify_password(dummy_hash(), password)
        raise InvalidCredentials()
    if not verify_password(row.password_hash, password):
        raise InvalidCredentials()
    if not row.approved:
        raise AwaitingApproval()
    account = await get_account(conn, row.account_id)
    if account.suspended:
        raise InvalidCredentials()
    if account.disabled and not frozen_may_sign_in:
        raise AccountDisabled()
    return account


async def change_password(
    conn: AsyncConnection, account_id: int, current_password: str, new_password: str
) -> None:
    password_hash = await conn.scalar(
        select(users.c.password_hash).where(users.c.account_id == account_id)
    )
    if password_hash is None or not verify_password(password_hash, current_password):
        raise _invalid("current_password", "Current password is wrong")
    check_password(new_password)
    await conn.execute(
        update(users)
        .where(users.c.account_id == account_id)
        .values(password_hash=hash_password(new_password))
    )


@dataclass(frozen=True, slots=True)
class ProfileChanges:
    """Only the fields that are set change."""

    display_name: str | None = None
    note: str | None = None
    locked: bool | None = None
    bot: bool | None = None
    discoverable: bool | None = None
    indexable: bool | None = None
    avatar_url: str | None = None
    header_url: str | None = None
    fields: Sequence[ProfileField] | None = None
    default_visibility: str | None = None
    default_sensitive: bool | None = None
    default_language: str | None = None
    locale: str | None = None


async def update_profile(
    conn: AsyncConnection, account_id: int, changes: ProfileChanges
) -> Account:
    values: dict[str, object] = {}
    if changes.display_name is not None:
        values["display_name"] = clean_display_name(changes.display_name)
    if changes.note is not None:
        note = _CONTROL.sub("", changes.note)
        if grapheme_count(note) > MAX_NOTE:
            raise _invalid("note", "Note is too long (maximum is 500 characters)", "ERR_TOO_LONG")
        values["note"] = note
    for flag in ("locked", "bot", "discoverable", "indexable", "avatar_url", "header_url"):
        value = getattr(changes, flag)
        if value is not None:
            values[flag] = value
    if changes.fields is not None:
        if len(changes.fields) > MAX_FIELDS:
            raise _invalid("fields_attributes", "Too many profile fields (maximum is 4)")
        cleaned = []
        for field in changes.fields:
            name = clean_display_name(field.name) if field.name else ""
            value = _CONTROL.sub("", _NAME_BIDI.sub("", field.value)).strip()
            if grapheme_count(name) > 255 or grapheme_count(value) > 255:
                raise _invalid("fields_attributes", "Profile field is too long", "ERR_TOO_LONG")
            if name or value:
                cleaned.append({"name": name, "value": value})
        values["fields_json"] = orjson.dumps(cleaned).decode()
    if values:
        values["updated_at"] = utcnow()
        await conn.execute(update(accounts).where(accounts.c.id == account_id).values(**values))
        if "display_name" in values or "note" in values:
            await schedule_account(conn, account_id)

    user_values: dict[str, object] = {}
    if changes.default_visibility is not None:
        if changes.default_visibility not in VISIBILITIES:
            raise _invalid(
                "source[privacy]", "Visibility must be public, unlisted, private or direct"
            )
        user_values["default_visibility"] = changes.default_visibility
    if changes.default_sensitive is not None:
        user_values["default_sensitive"] = changes.default_sensitive
    if changes.default_language is not None:
        language = changes.default_language.strip().lower()
        if language and not regex.fullmatch(r"[a-z]{2,3}", language):
            raise _invalid("source[language]", "Language must be an ISO 639 code")
        user_values["default_language"] = language or None
    if changes.locale is not None:
        user_values["locale"] = changes.locale
    if user_values:
        await conn.execute(
            update(users).where(users.c.account_id == account_id).values(**user_values)
        )
    return await get_account(conn, account_id)


def username_key(username: str) -> str:
    return username.casefold()


def name_match_key(text: str) -> str:
    return match_key(text)
