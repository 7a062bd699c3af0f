"""OAuth scopes: parsing, and which granted scopes satisfy which required ones."""

from __future__ import annotations

import pytest

from townsquare.domain.auth.scopes import KNOWN_SCOPES, grants, is_subset, parse_scopes


def test_scopes_parse_in_order_without_duplicates() -> None:
    assert parse_scopes("read write read follow") == ["read", "write", "follow"]
    assert parse_scopes("read,write:statuses") == ["read", "write:statuses"]
    assert parse_scopes(["read write", "push"]) == ["read", "write", "push"]


def test_missing_or_blank_scopes_fall_back_to_the_default() -> None:
    assert parse_scopes(None) == ["read"]
    assert parse_scopes("   ") == ["read"]
    assert parse_scopes("", default="write") == ["write"]


@pytest.mark.parametrize("bad", ["read:everything", "READ", "admin", "write:", "sudo"])
def test_unknown_scopes_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match=bad):
        parse_scopes(f"read {bad}")


def test_the_mastodon_scopes_are_known() -> None:
    for scope in (
        "read",
        "write",
        "follow",
        "push",
        "profile",
        "read:statuses",
        "write:media",
        "read:notifications",
        "admin:read:accounts",
    ):
        assert scope in KNOWN_SCOPES


@pytest.mark.parametrize(
    ("held", "required"),
    [
        (["read"], "read:statuses"),
        (["read"], "read"),
        (["write"], "write:statuses"),
        (["read:accounts"], "read:accounts"),
        (["admin:read"], "admin:read:accounts"),
        (["follow"], "write:follows"),
        (["follow"], "read:blocks"),
        (["read", "write:statuses"], "write:statuses"),
    ],
)
def test_granted(held: list[str], required: str) -> None:
    assert grants(held, required)


@pytest.mark.parametrize(
    ("held", "required"),
    [
        (["read:statuses"], "read"),
        (["read:statuses"], "read:accounts"),
        (["read"], "write:statuses"),
        (["write"], "read:statuses"),
        (["read"], "admin:read:accounts"),
        (["read", "write"], "admin:write:accounts"),
        (["follow"], "write:statuses"),
        (["follow"], "read:statuses"),
        (["push"], "read"),
        ([], "read"),
    ],
)
def test_not_granted(held: list[str], required: str) -> None:
    assert not grants(held, required)


def test_a_request_is_a_subset_when_every_scope_is_covered() -> None:
    assert is_subset(["read:statuses", "write:media"], ["read", "write"])
    assert is_subset(["write:follows"], ["follow"])
    assert not is_subset(["read", "write"], ["read"])
    assert not is_subset(["read"], ["read:statuses"])
    assert is_subset([], ["read"])
