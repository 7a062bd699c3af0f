"""Normalisation for matching (hashtags, mentions, search, policy rules), never for storage.

The folding follows what people type: Arabic-keyboard and Urdu-keyboard spellings of
the same word, with or without harakat, full-width forms and invisible joiners all
meet on one key. Stored text keeps the spelling its author chose.
"""

from __future__ import annotations

import unicodedata

import regex

# Harakat, Quranic annotation marks, superscript alef and tatweel carry no meaning
# for matching.
_ARABIC_MARKS = regex.compile(r"[\u064B-\u065F\u0670\u06D6-\u06ED\u0640]")
# Zero-width characters and bidi controls: invisible, and so never part of a match.
_INVISIBLE = regex.compile(r"[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF\u00AD]")
# Combining marks over Latin, Greek and Cyrillic letters (é -> e), after NFD.
_LATIN_MARKS = regex.compile(r"(?<=[\p{Latin}\p{Greek}\p{Cyrillic}]\p{M}*)[\u0300-\u036F]")

# Digits of any script (Urdu ۱۲, Arabic ١٢, Devanagari १२) read as the same number.
_DIGIT = regex.compile(r"\p{Nd}")

# Arabic letter variants folded to their Urdu forms.
_LETTER_FOLDS = str.maketrans(
    {
        "\u064a": "\u06cc",  # Arabic yeh -> Farsi/Urdu yeh
        "\u0649": "\u06cc",  # alef maksura -> Urdu yeh
        "\u0643": "\u06a9",  # Arabic kaf -> keheh
        "\u0647": "\u06c1",  # Arabic heh -> heh goal (do-chashmi heh stays distinct)
        "\u06c0": "\u06c1",  # heh with yeh above -> heh goal
        "\u0629": "\u06c3",  # teh marbuta -> teh marbuta goal
        # Hamza on alef is often left out in Arabic; alef with madda (آ) is its own
        # letter in Urdu and stays.
        "\u0623": "\u0627",
        "\u0625": "\u0627",
        "\u0671": "\u0627",
    }
)


def match_key(text: str) -> str:
    """The form two strings share when a person would call them the same word."""
    folded = unicodedata.normalize("NFKC", text)
    folded = _INVISIBLE.sub("", folded)
    folded = _ARABIC_MARKS.sub("", folded)
    folded = folded.translate(_LETTER_FOLDS)
    folded = _DIGIT.sub(lambda digit: str(unicodedata.decimal(digit.group(), 0)), folded)
    decomposed = unicodedata.normalize("NFD", folded)
    folded = unicodedata.normalize("NFC", _LATIN_MARKS.sub("", decomposed))
    return folded.casefold()


# A search term is a run of letters, marks and digits; everything else separates terms,
# so FTS syntax characters and SQL quotes never reach an index as themselves.
_TERM = regex.compile(r"[\p{L}\p{M}\p{N}]+")
MAX_TERM_LENGTH = 64


def search_terms(text: str) -> list[str]:
    """``text``'s matching key cut into terms, the unit both search engines index."""
    return [term[:MAX_TERM_LENGTH] for term in _TERM.findall(match_key(text))]
