"""Settings: environment over file over defaults, and every bad value is one line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from townsquare.config import Settings, SettingsError, load_settings


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the variables a test sets itself count."""
    for name in list(os.environ):
        if name.startswith("TOWNSQUARE_"):
            monkeypatch.delenv(name)


def _error(monkeypatch: pytest.MonkeyPatch, **env: str) -> str:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_defaults_describe_a_local_instance() -> None:
    settings = load_settings()
    assert settings.is_sqlite
    assert settings.base_url == "http://localhost:8000"
    assert settings.max_status_chars == 500


def test_environment_values_are_read_and_converted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOWNSQUARE_DOMAIN", "Social.Example.ORG")
    monkeypatch.setenv("TOWNSQUARE_MAX_STATUS_CHARS", "1000")
    monkeypatch.setenv("TOWNSQUARE_REGISTRATIONS_OPEN", "false")
    monkeypatch.setenv("TOWNSQUARE_DATABASE_URL", "postgresql://u@db/townsquare")
    settings = load_settings()
    assert settings.domain == "social.example.org"
    assert settings.base_url == "https://social.example.org"
    assert settings.max_status_chars == 1000
    assert settings.registrations_open is False
    assert settings.database_url == "postgresql+asyncpg://u@db/townsquare"
    assert not settings.is_sqlite


def test_loopback_gets_http_and_scheme_can_be_forced() -> None:
    assert Settings(domain="127.0.0.1:9000").base_url == "http://127.0.0.1:9000"
    assert Settings(domain="example.org", scheme="http").base_url == "http://example.org"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("TOWNSQUARE_MAX_STATUS_CHARS", "abc", "TOWNSQUARE_MAX_STATUS_CHARS: "),
        ("TOWNSQUARE_MAX_STATUS_CHARS", "0", "greater than or equal to 1"),
        ("TOWNSQUARE_DATABASE_URL", "mysql://db/x", "TOWNSQUARE_DATABASE_URL: must be a sqlite"),
        ("TOWNSQUARE_DOMAIN", "example.org/path", "TOWNSQUARE_DOMAIN: must be a host name"),
        ("TOWNSQUARE_REGISTRATIONS_OPEN", "maybe", "TOWNSQUARE_REGISTRATIONS_OPEN: "),
        ("TOWNSQUARE_SCHEME", "ftp", "TOWNSQUARE_SCHEME: "),
        ("TOWNSQUARE_REDIS_URL", "http://cache", "TOWNSQUARE_REDIS_URL: must be a redis:// URL"),
        ("TOWNSQUARE_DATABASE_POOL_SIZE", "0", "TOWNSQUARE_DATABASE_POOL_SIZE: "),
        ("TOWNSQUARE_DATABASE_POOL_SIZE", "many", "TOWNSQUARE_DATABASE_POOL_SIZE: "),
        ("TOWNSQUARE_RULES", "not json", "TOWNSQUARE_RULES: cannot parse"),
        ("TOWNSQUARE_LANGUAGES", "en,urdu", "TOWNSQUARE_LANGUAGES: 'urdu' is not an ISO 639-1"),
        ("TOWNSQUARE_LANGUAGES", "en,xx", "TOWNSQUARE_LANGUAGES: 'xx' is not an ISO 639-1"),
        ("TOWNSQUARE_LANGUAGES", " , ", "TOWNSQUARE_LANGUAGES: must be a comma-separated"),
    ],
)
def test_a_bad_environment_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    assert expected in _error(monkeypatch, **{name: value})


def test_languages_default_and_read_as_a_list(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert load_settings().languages[:4] == ("en", "ur", "ar", "fa")
    monkeypatch.setenv("TOWNSQUARE_LANGUAGES", " UR, en ,ur")
    assert load_settings().languages == ("ur", "en")
    monkeypatch.delenv("TOWNSQUARE_LANGUAGES")
    config = tmp_path / "townsquare.toml"
    config.write_text('languages = ["fa", "ar"]\n')
    monkeypatch.setenv("TOWNSQUARE_CONFIG", str(config))
    assert load_settings().languages == ("fa", "ar")


def test_file_values_apply_and_the_environment_wins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "townsquare.toml"
    config.write_text('title = "Chowk"\nmax_status_chars = 280\nrules = ["Be kind."]\n')
    monkeypatch.setenv("TOWNSQUARE_CONFIG", str(config))
    monkeypatch.setenv("TOWNSQUARE_MAX_STATUS_CHARS", "600")
    settings = load_settings()
    assert settings.title == "Chowk"
    assert settings.rules == ("Be kind.",)
    assert settings.max_status_chars == 600
    # what the caller passes wins over both
    assert load_settings({"title": "Other"}).title == "Other"


def test_a_bad_file_value_names_the_file_and_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "townsquare.toml"
    config.write_text('max_status_chars = "lots"\n')
    message = _error(monkeypatch, TOWNSQUARE_CONFIG=str(config))
    assert message.startswith(f"{config}: max_status_chars: ")


def test_unknown_file_key_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "townsquare.toml"
    config.write_text('titel = "typo"\n')
    assert _error(monkeypatch, TOWNSQUARE_CONFIG=str(config)) == "unknown setting 'titel'"


def test_unreadable_or_invalid_file_is_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.toml"
    assert "cannot read" in _error(monkeypatch, TOWNSQUARE_CONFIG=str(missing))
    broken = tmp_path / "broken.toml"
    broken.write_text("title = \n[[[\n")
    assert "is not valid TOML" in _error(monkeypatch, TOWNSQUARE_CONFIG=str(broken))
