"""The Urdu catalogue covers every interface string, and every one of them renders."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

import townsquare.http.web as web
from townsquare.http.web.i18n import choose, interface

WEB = Path(web.__file__).parent


def _interface_strings() -> set[str]:
    found = extract_from_dir(
        str(WEB),
        method_map=[("templates/**.html", "jinja2"), ("**.py", "python")],
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
        keywords={**DEFAULT_KEYWORDS, "N_": None},
    )
    # The OAuth authorisation page is a page of the web app, in its languages.
    oauth = extract_from_dir(
        str(WEB.parent / "oauth"),
        method_map=[("authorize.py", "python")],
        keywords={**DEFAULT_KEYWORDS, "N_": None},
    )
    return {message for _file, _line, message, _comments, _context in [*found, *oauth] if message}


def test_every_interface_string_has_an_urdu_translation() -> None:
    with (WEB / "locales" / "ur" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalogue = read_po(po, locale="ur")
    translated = {m.id for m in catalogue if m.id and m.string and not m.fuzzy}
    strings = _interface_strings()
    assert len(strings) > 150
    assert sorted(strings - translated) == []


def test_the_urdu_interface_translates_and_keeps_placeholders() -> None:
    ui = interface("ur")
    assert ui.direction == "rtl"
    assert ui.gettext("Log in") == "لاگ ان"
    assert "%(limit)s" in ui.gettext("Up to %(limit)s characters")
    assert interface("en").gettext("Log in") == "Log in"


def test_language_choice_cookie_then_account_then_browser() -> None:
    assert choose("ur", "en", "en") == "ur"
    assert choose(None, "ur", "en-GB,en") == "ur"
    assert choose(None, None, "en-GB,ur;q=0.9") == "en"
    assert choose(None, None, "ur-PK,en;q=0.5") == "ur"
    assert choose(None, None, "fr, de;q=0.8, ur;q=0.1") == "ur"
    assert choose("xx", None, "q=;;,") == "en"
