"""A small judged query set over ``tests.corpus``: for each query, the posts a person
would want, judged by reading them (not by what the search happens to return), so the
score shows what search misses as well as what it finds.

Words are matched whole and unstemmed, so inflected forms a reader counts as relevant
(Arabic كتابا for كتاب, English "books") are misses the measurement keeps visible.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Judged:
    language: str
    query: str
    relevant: frozenset[str]


JUDGED: tuple[Judged, ...] = (
    Judged("ur", "اردو", frozenset({"ur_language", "ur_harakat"})),
    Judged("ur", "اُردو زبان", frozenset({"ur_language", "ur_harakat"})),
    Judged("ur", "پاکستان", frozenset({"ur_tag", "ur_arabic_letters", "ur_arabic_tag"})),
    Judged("ur", "#پاكستان", frozenset({"ur_tag", "ur_arabic_tag"})),
    Judged("ur", "کرکٹ", frozenset({"ur_tag", "ur_emoji"})),
    Judged("ur", "موسم", frozenset({"ur_weather"})),
    Judged("ur", "کتاب", frozenset({"ur_book", "ur_tatweel"})),
    Judged("ar", "الطقس", frozenset({"ar_weather"})),
    Judged("ar", "كتاب", frozenset({"ar_book"})),
    Judged("fa", "هوا", frozenset({"fa_weather"})),
    Judged("fa", "کتاب تازه", frozenset({"fa_book"})),
    Judged("hi", "मौसम", frozenset({"hi_weather"})),
    Judged("hi", "किताब", frozenset({"hi_book"})),
    Judged("en", "weather", frozenset({"en_weather"})),
    Judged("en", "book", frozenset({"en_book"})),
    Judged("en", "cafe coffee", frozenset({"en_cafe"})),
    Judged("en", "match", frozenset({"en_emoji", "ur_emoji"})),
)


def precision_recall_at(
    found: list[str], relevant: frozenset[str], k: int = 10
) -> tuple[float, float]:
    """Precision@k and recall@k of ranked ``found`` keys; an empty answer has precision 1
    when nothing was relevant, 0 otherwise."""
    top = found[:k]
    hits = sum(1 for key in top if key in relevant)
    precision = hits / len(top) if top else float(not relevant)
    recall = hits / len(relevant) if relevant else 1.0
    return precision, recall
