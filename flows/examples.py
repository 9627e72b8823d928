"""Officer-confirmed reports as a nearest-neighbour memory (token-sort similarity).

A new report close to an example (rapidfuzz ratio over the sorted normalised words,
candidates found through shared content words) goes to the example's body; the latest
decision for the same words wins.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz, process

_MAX_CANDIDATES = 300


class Examples:
    """Officer-confirmed reports, searched by token-sort similarity."""

    def __init__(self, common: frozenset[str]) -> None:
        self._common = common
        self._body: dict[str, str] = {}
        self._text: dict[str, str] = {}
        self._by_token: dict[str, set[str]] = defaultdict(set)

    def add(self, words: Sequence[str], body_id: str) -> None:
        """Remember (or re-route) one example; the latest decision wins."""
        if len(words) < 2:
            return
        key = " ".join(sorted(words))
        self._body[key] = body_id
        self._text[key] = " ".join(words)
        for word in self._content(words):
            self._by_token[word].add(key)

    def clear(self) -> None:
        """Forget every example."""
        self._body.clear()
        self._text.clear()
        self._by_token.clear()

    def items(self) -> list[tuple[str, str]]:
        """(text, body id) of every example, oldest first."""
        return [(self._text[key], body) for key, body in self._body.items()]

    def nearest(self, words: Sequence[str], cutoff: float) -> tuple[str, float, str] | None:
        """(body id, similarity 0-100, example text) of the closest example above `cutoff`."""
        if len(words) < 2 or not self._body:
            return None
        shared: dict[str, int] = defaultdict(int)
        for word in self._content(words):
            for key in self._by_token.get(word, ()):
                shared[key] += 1
        if not shared:
            return None
        pool = sorted(shared, key=shared.__getitem__, reverse=True)[:_MAX_CANDIDATES]
        found = process.extractOne(
            " ".join(sorted(words)), pool, scorer=fuzz.ratio, score_cutoff=cutoff
        )
        if found is None:
            return None
        key, similarity, _ = found
        return self._body[key], float(similarity), self._text[key]

    def _content(self, words: Iterable[str]) -> set[str]:
        """Words that can tell two reports apart (not everyday words, not tiny ones)."""
        return {w for w in words if len(w) >= 3 and w not in self._common}
