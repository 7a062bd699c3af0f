"""References to designated entities: any script or spelling, whole words only."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.moderation.corpus import ENTITIES
from townsquare.core.multimatch import Automaton
from townsquare.domain.moderation.entities import parse_json
from townsquare.domain.moderation.matcher import EntityMatcher

MATCHER = EntityMatcher(
    [
        entity.__class__(**{**entity.to_json(), "id": n})  # type: ignore[arg-type]
        for n, entity in enumerate(parse_json(json.dumps(ENTITIES)), 1)
    ]
)


def found(text: str) -> list[tuple[str, str]]:
    return [(m.entity, text[m.start : m.end]) for m in MATCHER.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the Taliban said", [("Taliban", "Taliban")]),
        ("THE TALEBAN SAID", [("Taliban", "TALEBAN")]),
        ("طالبان نے کہا", [("Taliban", "طالبان")]),
        # with harakat and a tatweel the author typed: still the same word
        ("طَالِبـان نے کہا", [("Taliban", "طَالِبـان")]),
        # Arabic-keyboard yeh in امارت اسلامی: folded to the Urdu yeh
        ("امارت اسلامي افغانستان کی حکومت", [("Taliban", "امارت اسلامي افغانستان")]),
        ("the Islamic Emirate of Afghanistan.", [("Taliban", "Islamic Emirate of Afghanistan")]),
        ("#Taliban!", [("Taliban", "Taliban")]),
        ("شمالی محاذ اور طالبان", [("Northern Front", "شمالی محاذ"), ("Taliban", "طالبان")]),
        ("Ｔａｌｉｂａｎ", [("Taliban", "Ｔａｌｉｂａｎ")]),
    ],
)
def test_aliases_in_any_script_or_spelling(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Talibanistan is not a place",
        "proTaliban",
        "طالبانوں",  # a longer Urdu word that merely contains the name
        "الطالبان",
        "Green Valley Cooperative meets on Friday",
        "Taliba n",
    ],
)
def test_a_word_that_contains_an_alias_is_not_a_match(text: str) -> None:
    assert found(text) == []


def test_offsets_point_into_the_original_text() -> None:
    text = "👨‍👩‍👧 ـطالبانـ said: Taleban"
    matches = MATCHER.find(text)
    # a leading or trailing tatweel is not part of the word
    assert [text[m.start : m.end] for m in matches] == ["طالبان", "Taleban"]
    assert matches[1].start == len(text) - len("Taleban")


@given(st.lists(st.text("abc", min_size=1, max_size=4), min_size=1, max_size=6),
       st.text("abc ", max_size=30))  # fmt: skip
def test_automaton_finds_what_str_find_finds(patterns: list[str], text: str) -> None:
    expected = {
        (i, i + len(p)) for p in set(patterns) for i in range(len(text)) if text.startswith(p, i)
    }
    assert set(Automaton(patterns).finditer(text)) == expected
