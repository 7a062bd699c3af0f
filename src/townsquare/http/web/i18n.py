"""Interface languages: gettext catalogues compiled in memory, chosen per request.

The ``.po`` files are the source; they are compiled once per process (no ``.mo`` files
to build or commit). The choice goes: the ``ts_lang`` cookie, the account's setting,
the browser's Accept-Language, English.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LANGUAGES = ("en", "ur")
RTL = frozenset({"ur", "ar", "fa", "he"})
LANGUAGE_COOKIE = "ts_lang"


@dataclass(frozen=True, slots=True)
class Interface:
    language: str
    translations: NullTranslations

    @property
    def direction(self) -> str:
        return "rtl" if self.language in RTL else "ltr"

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.language)

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def language_name(self, code: str) -> str:
        """A language's name in the interface language ("Urdu", "اردو"); an unknown
        code as it is."""
        name = self.locale.languages.get(code)
        return str(name) if name else code


@cache
def interface(language: str) -> Interface:
    if language == "en" or language not in LANGUAGES:
        return Interface("en", NullTranslations())
    source = resources.files("townsquare.http.web") / "locales" / language / "LC_MESSAGES"
    with (source / "messages.po").open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Interface(language, Translations(compiled))


def from_accept_language(header: str) -> str | None:
    """The first of our languages the browser asks for, by quality then order."""
    wanted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        wanted.append((-quality, position, tag.strip().lower().split("-")[0]))
    for quality, _position, language in sorted(wanted):
        if quality < 0 and language in LANGUAGES:
            return language
    return None


def choose(cookie: str | None, account_locale: str | None, accept_language: str) -> str:
    for candidate in (cookie, account_locale):
        if candidate in LANGUAGES:
            return candidate
    return from_accept_language(accept_language) or "en"
