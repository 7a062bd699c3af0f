"""Aho-Corasick: every occurrence of many patterns in one pass over a text.

The automaton is built once; a search costs time in the length of the text and the
number of hits, not in the number of patterns, so a registry of 10,000 names costs a
post no more than a registry of ten.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator


class Automaton:
    __slots__ = ("_fail", "_goto", "_out")

    def __init__(self, patterns: Iterable[str]) -> None:
        # Node 0 is the root; each node has its transitions, its failure link and the
        # patterns (by length) that end there, its failure chain's included.
        self._goto: list[dict[str, int]] = [{}]
        self._out: list[tuple[int, ...]] = [()]
        ends: dict[int, set[int]] = {}
        for pattern in patterns:
            if not pattern:
                continue
            node = 0
            for char in pattern:
                nxt = self._goto[node].get(char)
                if nxt is None:
                    nxt = len(self._goto)
                    self._goto[node][char] = nxt
                    self._goto.append({})
                    self._out.append(())
                node = nxt
            ends.setdefault(node, set()).add(len(pattern))
        self._fail = [0] * len(self._goto)
        queue: deque[int] = deque()
        for child in self._goto[0].values():
            queue.append(child)
            self._out[child] = tuple(sorted(ends.get(child, ())))
        while queue:
            node = queue.popleft()
            for char, child in self._goto[node].items():
                fallback = self._fail[node]
                while fallback and char not in self._goto[fallback]:
                    fallback = self._fail[fallback]
                target = self._goto[fallback].get(char, 0)
                self._fail[child] = target if target != child else 0
                own = ends.get(child, set())
                self._out[child] = tuple(sorted(own | set(self._out[self._fail[child]])))
                queue.append(child)

    def finditer(self, text: str) -> Iterator[tuple[int, int]]:
        """(start, end) of every occurrence of every pattern, overlapping ones included."""
        goto, fail, out = self._goto, self._fail, self._out
        node = 0
        for index, char in enumerate(text):
            while node and char not in goto[node]:
                node = fail[node]
            node = goto[node].get(char, 0)
            for length in out[node]:
                yield index + 1 - length, index + 1
