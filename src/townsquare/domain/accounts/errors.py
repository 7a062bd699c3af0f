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
