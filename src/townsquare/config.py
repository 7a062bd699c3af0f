"""Settings: ``TOWNSQUARE_*`` environment variables over an optional TOML file.

Read and validated once at start-up; a bad value stops the process with one line
naming the setting. Nothing else in the code reads the environment.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any

from babel import Locale
from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from pydantic_settings import SettingsError as SourceError

from townsquare.domain.languages.detection import DEFAULT_LANGUAGES
from townsquare.storage.database import DEFAULT_POSTGRES_POOL

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/townsquare.sqlite3"


class SettingsError(Exception):
    """A setting has a bad value; the message is one line for the operator."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TOWNSQUARE_", extra="forbid", frozen=True)

    database_url: str = DEFAULT_DATABASE_URL
    domain: str = "localhost:8000"
    # The scheme used in the URLs we hand out; plain http only makes sense on loopback.
    scheme: str = Field(default="", pattern=r"^(|http|https)$")
    # PostgreSQL connections each server process keeps open (and up to half as many
    # again at peaks); SQLite ignores it.
    database_pool_size: int = Field(default=DEFAULT_POSTGRES_POOL, ge=1, le=500)
    redis_url: str | None = None
    secret_key: str = ""
    title: str = "townsquare"
    description: str = "A public square for short posts, in every language."
    contact_email: str = ""
    registrations_open: bool = True
    approval_required: bool = False
    max_status_chars: int = Field(default=500, ge=1, le=100_000)
    # Run job workers inside the web server process (the embedded default).
    in_process_worker: bool = True
    rate_limit_per_5min: int = Field(default=300, ge=1)
    login_attempts_per_5min: int = Field(default=10, ge=1)
    registrations_per_5min_per_ip: int = Field(default=30, ge=1)
    # Web form posts (likes, follows, posts, settings) per account, or per address for
    # visitors; sign-up and log-in have the limits above.
    web_forms_per_5min: int = Field(default=120, ge=1)
    sql_echo: bool = False
    # Uploaded media and profile images, served by this server at /media/.
    media_dir: str = "data/media"
    # Languages posts are detected among (ISO 639-1, comma-separated in the environment);
    # each costs detector memory, so list the ones people here write in.
    languages: Annotated[tuple[str, ...], NoDecode] = DEFAULT_LANGUAGES
    # A moderation preset (open, dangerous-orgs, dangerous-orgs-2021) or a policy file.
    moderation_policy: str = "open"
    # Seconds between trend refreshes; 0 refreshes after every use (small instances, tests).
    trends_refresh_seconds: int = Field(default=600, ge=0, le=86_400)
    # The instance's rules, shown at sign-up and in /api/v2/instance.
    rules: tuple[str, ...] = (
        "Post nothing illegal where this server is run.",
        "No harassment, threats or targeted abuse of people.",
        "Label sensitive media and use content warnings where they help.",
        "No spam, and no accounts that pretend to be someone else.",
    )

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            if value.startswith("postgresql://"):
                return "postgresql+asyncpg://" + value.removeprefix("postgresql://")
            if value.startswith("sqlite://"):
                return "sqlite+aiosqlite://" + value.removeprefix("sqlite://")
            raise ValueError("must be a sqlite:// or postgresql:// URL")
        return value

    @field_validator("domain")
    @classmethod
    def _plain_host(cls, value: str) -> str:
        if not value or "/" in value or " " in value:
            raise ValueError("must be a host name with an optional port, like example.org")
        return value.lower()

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must be a redis:// URL")
        return value or None

    @field_validator("languages", mode="before")
    @classmethod
    def _language_codes(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if not isinstance(value, list | tuple) or not value:
            raise ValueError("must be a comma-separated list of ISO 639-1 codes, like en,ur")
        known = Locale("en").languages
        codes: list[str] = []
        for code in value:
            code = str(code).strip().lower()
            if len(code) != 2 or code not in known:
                raise ValueError(f"{code!r} is not an ISO 639-1 language code")
            if code not in codes:
                codes.append(code)
        return tuple(codes)

    @field_validator("moderation_policy")
    @classmethod
    def _valid_policy(cls, value: str) -> str:
        # Imported here: settings are read before anything else is, and only this
        # check needs the policy parser.
        from townsquare.domain.moderation.policy import PolicyError, load_policy

        try:
            load_policy(value)
        except PolicyError as exc:
            raise ValueError(exc.message) from exc
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def url_scheme(self) -> str:
        if self.scheme:
            return self.scheme
        host = self.domain.split(":")[0]
        return "http" if host in {"localhost", "127.0.0.1"} else "https"

    @property
    def base_url(self) -> str:
        return f"{self.url_scheme}://{self.domain}"


def load_settings(overrides: dict[str, Any] | None = None) -> Settings:
    """Settings from the TOML file named by TOWNSQUARE_CONFIG, then the environment.

    Environment variables win over the file; ``overrides`` (used by tests and the
    CLI's options) win over both.
    """
    file_values: dict[str, Any] = {}
    config_path = os.environ.get("TOWNSQUARE_CONFIG")
    if config_path:
        path = Path(config_path)
        try:
            file_values = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise SettingsError(f"TOWNSQUARE_CONFIG: cannot read {path}: {exc.strerror}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"TOWNSQUARE_CONFIG: {path} is not valid TOML: {exc}") from exc
    env_keys = {name.removeprefix("TOWNSQUARE_").lower() for name in os.environ}
    values = {k: v for k, v in file_values.items() if k not in env_keys}
    values.update(overrides or {})
    try:
        return Settings(**values)
    except SourceError as exc:
        # An environment variable that should hold JSON (a list, say) does not parse.
        found = re.search(r'field "([^"]+)"', str(exc))
        name = found.group(1).upper() if found else "settings"
        raise SettingsError(f"TOWNSQUARE_{name}: cannot parse the value (expected JSON)") from exc
    except ValidationError as exc:
        from_file = set(file_values) - env_keys - set(overrides or {})
        raise SettingsError(_one_line(exc, from_file, config_path)) from exc


def _one_line(exc: ValidationError, from_file: set[str], config_path: str | None) -> str:
    """The first problem, named the way the operator set it: a variable or a file key."""
    error = exc.errors()[0]
    field = ".".join(str(part) for part in error["loc"]) or "settings"
    if error["type"] == "extra_forbidden":
        return f"unknown setting {field!r}"
    message = str(error["msg"]).removeprefix("Value error, ")
    top = str(error["loc"][0]) if error["loc"] else ""
    where = f"{config_path}: {field}" if top in from_file else f"TOWNSQUARE_{field.upper()}"
    return " ".join(f"{where}: {message}".split())
