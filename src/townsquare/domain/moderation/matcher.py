"""Finding designated entities in a post's text.

The text is normalised with ``match_key`` one grapheme cluster at a time, so every
character of the normalised text maps back to a span of the original and evidence
can cite offsets in what the author wrote. A hit counts only as a whole word: the
characters either side (in the normalised text) must not be letters, marks or
digits of any script, so "Taliban" does not match inside "Talibanistan" nor طالبان
inside طالبانوں.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from townsquare.core.multimatch import Automaton
from townsquare.core.normalize import match_key
from townsquare.domain.moderation.entities import Entity

_CLUSTER = regex.compile(r"\X")
# Posts reuse few distinct grapheme clusters, and normalising each one was nine tenths
# of a post's evaluation (bench/policy.py): remember the keys of the common ones.
_cluster_key = lru_cache(maxsize=8192)(match_key)
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}_]")


@dataclass(frozen=True, slots=True)
class Match:
    entity_id: int
    entity: str
    tier: int
    alias: str
    # offsets in the original text, in code points (Python string indices)
    start: int
    end: int

    def evidence(self) -> dict[str, object]:
        return {
            "entity_id": str(self.entity_id),
            "entity": self.entity,
            "alias": self.alias,
            "start": self.start,
            "end": self.end,
        }


def normalise_with_offsets(text: str) -> tuple[str, list[int], list[int]]:
    """The match key of ``text`` and, per character of it, the original span it came from."""
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for cluster in _CLUSTER.finditer(text):
        key = _cluster_key(cluster.group())
        parts.append(key)
        starts.extend([cluster.start()] * len(key))
        ends.extend([cluster.end()] * len(key))
    return "".join(parts), starts, ends


class EntityMatcher:
    """Built once per registry version; ``find`` is then safe to call for every post."""

    def __init__(self, entities: list[Entity]) -> None:
        self._by_key: dict[str, tuple[Entity, str]] = {}
        for entity in entities:
            for spelling in entity.names():
                self._by_key.setdefault(match_key(spelling), (entity, spelling))
        self._automaton = Automaton(self._by_key)
        self.entities = {e.id: e for e in entities}
        # built here, once, so a post's evaluation never walks the whole registry
        self.flags = {e.id: e.flags for e in entities}

    def find(self, text: str) -> list[Match]:
        """Whole-word references, leftmost-longest, none overlapping."""
        if not self._by_key:
            return []
        key, starts, ends = normalise_with_offsets(text)
        hits = sorted(self._automaton.finditer(key), key=lambda span: (span[0], -span[1]))
        found: list[Match] = []
        taken = 0
        for start, end in hits:
            if start < taken:
                continue
            if start > 0 and _WORD.match(key[start - 1]):
                continue
            if end < len(key) and _WORD.match(key[end]):
                continue
            entity, spelling = self._by_key[key[start:end]]
            found.append(
                Match(entity.id, entity.name, entity.tier, spelling, starts[start], ends[end - 1])
            )
            taken = end
        return found


_built: dict[str, EntityMatcher] = {}


def matcher_for(version: str, entities: list[Entity]) -> EntityMatcher:
    """The matcher of a registry version, built the first time it is asked for."""
    matcher = _built.get(version)
    if matcher is None:
        _built.clear()  # only the current version is ever asked for again
        matcher = _built[version] = EntityMatcher(entities)
    return matcher


def cached_matcher(version: str) -> EntityMatcher | None:
    return _built.get(version)
