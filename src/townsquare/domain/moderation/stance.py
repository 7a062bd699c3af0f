"""Where a post's stance towards an entity comes from, most trusted last.

The author may declare it; otherwise a classifier guesses it (and the decision is
then recorded as automated); a moderator's word overrides both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from townsquare.core.normalize import match_key
from townsquare.domain.moderation.matcher import Match
from townsquare.domain.moderation.policy import STANCES


@dataclass(frozen=True, slots=True)
class Stance:
    value: str
    # author | classifier | moderator
    source: str

    @property
    def automated(self) -> bool:
        return self.source == "classifier"


class StanceClassifier(Protocol):
    def classify(self, text: str, language: str | None, matches: list[Match]) -> str: ...


# Cue words per stance, most specific first. AUTOMATED and crude: a cue anywhere in
# the post decides. It exists so the pipeline runs end to end and to be replaced.
_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("condemnation", ("condemn", "condemns", "denounce", "مذمت", "نفرت")),
    ("news_reporting", ("reports", "reported", "according to", "breaking", "خبر", "رپورٹ")),
    ("support", ("join", "donate", "recruit", "شامل ہو", "چندہ")),
    ("praise", ("hero", "heroes", "glory", "martyr", "ہیرو", "شان", "زندہ باد")),
    ("neutral_discussion", ("history", "seminar", "analysis", "تاریخ", "تجزیہ")),
)


class KeywordCueClassifier:
    """Automated, keyword-cue stance guess; ``unclear`` when no cue is found."""

    def classify(self, text: str, language: str | None, matches: list[Match]) -> str:
        del language, matches
        key = f" {' '.join(match_key(text).split())} "
        for stance, cues in _CUES:
            if any(f" {match_key(cue)}" in key for cue in cues):
                return stance
        return "unclear"


def resolve_stance(
    declared: str | None,
    text: str,
    language: str | None,
    matches: list[Match],
    classifier: StanceClassifier,
    *,
    moderator: str | None = None,
) -> Stance:
    if moderator in STANCES:
        return Stance(moderator, "moderator")
    if declared in STANCES:
        return Stance(declared, "author")
    return Stance(classifier.classify(text, language, matches), "classifier")
