"""Matching keys: spellings a person would call the same word meet on one key."""

from __future__ import annotations

import pytest

from townsquare.core.normalize import match_key


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        # Arabic-keyboard letters against their Urdu forms
        ("كتاب", "کتاب"),  # Arabic kaf -> keheh
        ("علي", "علی"),  # Arabic yeh
        ("مصطفى", "مصطفی"),  # alef maksura
        ("مدرسه", "مدرسہ"),  # Arabic heh -> heh goal
        ("مدرسة", "مدرسۃ"),  # teh marbuta
        ("خانۀ", "خانہ"),  # heh with yeh above
        ("أحمد", "احمد"),  # hamza on alef
        ("إسلام", "اسلام"),
        # harakat, superscript alef and tatweel
        ("مُحَمَّد", "محمد"),
        ("عیسیٰ", "عیسی"),
        ("سـلام", "سلام"),
        ("پاکـــستان", "پاکستان"),
        # zero-width characters and bidi controls
        ("پاک\u200cستان", "پاکستان"),
        ("zero\u200bwidth", "zerowidth"),
        ("\u202bnews\u202c", "news"),
        ("soft\u00adhyphen", "softhyphen"),
        # Latin accents and case
        ("Café", "cafe"),
        ("cafe\u0301", "cafe"),
        ("NAÏVE", "naive"),
        ("Straße", "strasse"),
        # full-width and other compatibility forms
        ("ＴｏｗｎＳｑｕａｒｅ", "townsquare"),
        ("ﬁle", "file"),
        # digits of every script
        ("۲۰۲۴", "2024"),
        ("٢٠٢٤", "2024"),
        ("COP٢٨", "cop28"),
    ],
)
def test_variants_share_a_key(typed: str, canonical: str) -> None:
    assert match_key(typed) == match_key(canonical)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("آپ", "اپ"),  # alef with madda is a letter of its own in Urdu
        ("بھائی", "بہائی"),  # do-chashmi heh marks aspiration
        ("ے", "ی"),  # yeh barree is not yeh
        ("ٹ", "ت"),
        ("cafe", "cafes"),
        ("پاکستان", "پاکستانی"),
    ],
)
def test_different_words_keep_different_keys(one: str, other: str) -> None:
    assert match_key(one) != match_key(other)


def test_the_key_is_stable() -> None:
    for text in ("مُحَمَّد", "Café", "ＡＢＣ", "باكستان", "۱۲"):
        assert match_key(match_key(text)) == match_key(text)


def test_marks_outside_latin_scripts_survive() -> None:
    # Devanagari vowel signs are letters' parts, not accents to drop.
    assert match_key("किताब") != match_key("कतब")
    assert match_key("किताब") == "किताब"


def test_keys_of_plain_text_are_its_casefold() -> None:
    assert match_key("TownSquare") == "townsquare"
    assert match_key("پاکستان") == "پاکستان"
    assert match_key("") == ""
