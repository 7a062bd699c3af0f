"""Account errors worth telling apart."""

from __future__ import annotations

from townsquare.core.errors import DomainError, ValidationFailed


class UsernameTaken(ValidationFailed):
    def __init__(self) -> None:
        super().__init__(
            "Validation failed: Username has already been taken",
            details={"username": ["ERR_TAKEN"]},
        )


class EmailTaken(ValidationFailed):
    def __init__(self) -> None:
        super().__init__(
            "Validation failed: Email has already been taken",
            details={"email": ["ERR_TAKEN"]},
        )


class InvalidCredentials(DomainError):
    status = 400

    def __init__(self) -> None:
        super().__init__("Invalid email/username or password")


class AwaitingApproval(DomainError):
    """The password is right, but a moderator has not approved the sign-up yet."""

    status = 403

    def __init__(self) -> None:
        super().__init__("Your account is pending approval by the moderators")


class AccountFrozen(DomainError):
    """A frozen (Mastodon "disabled") account may read and appeal, nothing more."""

    status = 403

    def __init__(self) -> None:
        super().__init__(
            "Your account is frozen: you can read and appeal the decision, but not post or interact"
        )


class AccountDisabled(DomainError):
    """The password is right, but a moderator froze the account (Mastodon "disable")."""

    status = 403

    def __init__(self) -> None:
        super().__init__("Your login is currently disabled")
