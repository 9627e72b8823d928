"""Officers' corrections as weak evidence that generalises beyond near-duplicates.

Theory of operation: when an officer confirms or re-routes a report, its informative
words (not function words, not everyday words, not scene words, at least four letters)
are counted for the label the officer chose (a body id, or a kind id). A later report
that shares such words gains, for each label, the sum over its distinct informative
words of P(label | word) among the corrections, times a small weight. A word seen with
one label only tells fully; a word officers filed under many labels tells little. The
evidence is capped, so it tips close calls (and teaches words the catalogue lacks, such
as a new dialect word) without outweighing the catalogue's keywords.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

MIN_LETTERS = 4


class LearnedWords:
    """Counts of informative words per label, from officers' corrections."""

    def __init__(self, uninformative: frozenset[str]) -> None:
        self._uninformative = uninformative
        self._counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def add(self, words: Iterable[str], label: str) -> None:
        """Count the informative words of one corrected report for `label`."""
        for word in self.informative(words):
            self._counts[word][label] += 1

    def clear(self) -> None:
        """Forget every correction counted."""
        self._counts.clear()

    def evidence(self, words: Iterable[str], weight: float, cap: float) -> dict[str, float]:
        """Label -> evidence from the informative words shared with corrections."""
        out: dict[str, float] = defaultdict(float)
        for word in self.informative(words):
            per_label = self._counts.get(word)
            if not per_label:
                continue
            seen = sum(per_label.values())
            for label, count in per_label.items():
                out[label] += weight * count / seen
        return {label: min(cap, value) for label, value in out.items()}

    def informative(self, words: Iterable[str]) -> set[str]:
        """The distinct words that can tell reports apart."""
        return {
            w
            for w in words
            if len(w) >= MIN_LETTERS and w.isalpha() and w not in self._uninformative
        }
