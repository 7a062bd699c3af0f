"""Which language a text is written in: lingua, restricted to the instance's languages.

Building a detector costs about 1.5 s and 300 MB for the default list, so there is one
per process and language list: built at server start (``warm``) or on first use, and
never per request or per test. Detecting then takes well under a millisecond.

The rule, so that a wrong guess is rarer than no guess:

- links, mentions, hashtags and custom emoji are left out; what remains must hold at
  least ``MIN_LETTERS`` letters in two words or more (one run of Chinese or Japanese,
  written without spaces, will do), or the answer is "unknown" (None): one word is
  often good in several languages (کتاب is Urdu and Persian, "radio" half of Europe);
- lingua's most likely language wins only when it is clearly ahead: confidence at least
  ``MIN_CONFIDENCE`` and ``MIN_LEAD`` above the runner-up. A short phrase that is good
  Urdu and good Persian alike stays unknown rather than wrong;
- Urdu typed on an Arabic keyboard (ك ي ه for ک ی ہ) reads as Persian to lingua; a
  text with letters only Urdu uses (ٹ ڈ ڑ ں ے ھ) has those variants folded to their Urdu
  forms before it is judged;
- a post in two languages is judged as a whole, so the language most of its words are
  in (its main language) wins.

Languages lingua does not know (Pashto, say) may be configured: posts in them keep the
language their client names, and are never detected.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import TYPE_CHECKING

import regex

from townsquare.core.text import tokenize

if TYPE_CHECKING:
    from lingua import LanguageDetector

DEFAULT_LANGUAGES = (
    "en", "ur", "ar", "fa", "hi", "bn", "pa", "ps", "tr", "id", "es", "fr", "de", "pt",
    "ru", "zh", "ja",
)  # fmt: skip
MIN_LETTERS = 4
MIN_CONFIDENCE = 0.5
MIN_LEAD = 0.2

_LETTER = regex.compile(r"\p{L}")
_WORD = regex.compile(r"\p{L}[\p{L}\p{M}]*")
_UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")
_CUSTOM_EMOJI = regex.compile(r":[A-Za-z0-9_]{2,}:")
# Only one thread builds a detector; the others wait for it instead of building twice.
_building = threading.Lock()
# Letters Urdu writes and Arabic and Persian never do (tteh, ddal, rreh, noon ghunna,
# yeh barree, do-chashmi heh).
_URDU_ONLY = regex.compile(r"[\u0679\u0688\u0691\u06BA\u06D2\u06BE]")
_ARABIC_KEYBOARD = str.maketrans({"\u0643": "\u06a9", "\u064a": "\u06cc", "\u0647": "\u06c1"})


def detectable(languages: tuple[str, ...]) -> tuple[str, ...]:
    """The configured languages lingua can tell apart, in their configured order."""
    from lingua import IsoCode639_1

    return tuple(code for code in languages if hasattr(IsoCode639_1, code.upper()))


@lru_cache(maxsize=4)
def _build(languages: tuple[str, ...]) -> LanguageDetector | None:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in detectable(languages)]
    if len(codes) < 2:  # lingua needs two languages to choose between
        return None
    return (
        LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
        .with_preloaded_language_models()
        .build()
    )


def detector(languages: tuple[str, ...]) -> LanguageDetector | None:
    """The process's detector for ``languages`` (None when fewer than two are known)."""
    with _building:
        return _build(tuple(languages))


def warm(languages: tuple[str, ...]) -> None:
    """Build the detector now (at server start, in a thread) rather than on first use."""
    detector(languages)


def _prose(text: str) -> str:
    kept = [token.text for token in tokenize(text) if token.kind == "text"]
    prose = _CUSTOM_EMOJI.sub(" ", " ".join(kept))
    return prose.translate(_ARABIC_KEYBOARD) if _URDU_ONLY.search(prose) else prose


def detect_language(text: str, languages: tuple[str, ...]) -> str | None:
    """The ISO 639-1 code of ``text``'s main language, or None when unsure (see above)."""
    prose = _prose(text)
    if len(_LETTER.findall(prose)) < MIN_LETTERS:
        return None
    if len(_WORD.findall(prose)) < 2 and not _UNSPACED.search(prose):
        return None
    found = detector(languages)
    if found is None:
        return None
    values = found.compute_language_confidence_values(prose)
    if not values:
        return None
    best = values[0]
    runner_up = values[1].value if len(values) > 1 else 0.0
    if best.value < MIN_CONFIDENCE or best.value - runner_up < MIN_LEAD:
        return None
    return str(best.language.iso_code_639_1.name.lower())
