"""Errors the domain raises; each surface maps them to its own answer.

The HTTP layer turns them into the Mastodon error body with the status given here,
the web layer into a readable message, the CLI into one line and a non-zero exit.
"""

from __future__ import annotations


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, *, details: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class ValidationFailed(DomainError):
    status = 422


class NotFound(DomainError):
    status = 404

    def __init__(self, message: str = "Record not found") -> None:
        super().__init__(message)


class Forbidden(DomainError):
    status = 403

    def __init__(self, message: str = "This action is not allowed") -> None:
        super().__init__(message)


class Unauthorized(DomainError):
    status = 401

    def __init__(self, message: str = "The access token is invalid") -> None:
        super().__init__(message)


class Conflict(DomainError):
    status = 409


class RateLimited(DomainError):
    status = 429

    def __init__(self, message: str = "Too many requests", retry_after: int = 60) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Unavailable(DomainError):
    """The database cannot answer now (down, restarting, or busy past its timeout)."""

    status = 503

    def __init__(self, message: str = "Service Unavailable", retry_after: int = 5) -> None:
        super().__init__(message)
        self.retry_after = retry_after
