"""Keyword phrases found in a report's tokens, in order, with small gaps.

One index serves one family (the bodies, or the kinds of problem). Longer, then stronger
phrases claim their tokens first, so "lampu jalan" counts for Dishub and not again for
DPUPR's "jalan"; neutral phrases (place names, idioms) claim tokens for nobody. A phrase
weighs by its content words, its tier and how much it tells (`specificity`), is split
among the bodies sharing it, and counts less when typed with a typo, with gaps, or as a
landmark ("depan sekolah") or a plain location ("di pasar").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

PHRASE_WEIGHTS = (1.0, 1.7, 2.3)
"""Weight of a keyword with one, two and three content words (longer is more specific)."""


@dataclass(frozen=True)
class Token:
    """A report token mapped onto the vocabulary (`fuzzy` when by edit distance)."""

    word: str
    typed: str
    fuzzy: bool


@dataclass(frozen=True)
class Phrase:
    """A keyword phrase: who it points to (nobody for a neutral phrase) and its rank."""

    words: tuple[str, ...]
    hits: tuple[tuple[int, float], ...]
    rank: float


@dataclass(frozen=True)
class Hit:
    """One phrase found in a report: where, how much it counts, and what officers see."""

    phrase: Phrase
    positions: tuple[int, ...]
    factor: float
    label: str


@dataclass(frozen=True)
class MatchFactors:
    """How much a found phrase counts when typed loosely or used as a place."""

    fuzzy: float
    gap: float
    landmark: float
    located: float
    max_gap: int
    neutral_rank: float


class PhraseIndex:
    """Keyword phrases of one family (bodies or kinds), found in order with small gaps."""

    def __init__(
        self,
        entries: Iterable[tuple[int, tuple[str, ...], float]],
        neutral: Iterable[tuple[str, ...]],
        stopwords: frozenset[str],
        factors: MatchFactors,
        *,
        spatial: frozenset[str] = frozenset(),
        located: frozenset[str] = frozenset(),
        specificity: Mapping[tuple[str, ...], float] | None = None,
    ) -> None:
        best: dict[tuple[str, ...], dict[int, float]] = defaultdict(dict)
        for slot, words, weight in entries:
            if words and len(words) <= len(PHRASE_WEIGHTS):
                best[words][slot] = max(weight, best[words].get(slot, 0.0))
        for words, slots in best.items():  # a phrase is as strong as its strongest word
            for slot in slots:
                word_weights = (best.get((w,), {}).get(slot, 0.0) for w in words)
                slots[slot] = max(slots[slot], *word_weights)
        for words in neutral:
            best.setdefault(words, {})
        tells = specificity or {}
        self.first: dict[str, list[Phrase]] = defaultdict(list)
        for words, slots in best.items():
            content = min(len(PHRASE_WEIGHTS), max(1, sum(w not in stopwords for w in words)))
            length = PHRASE_WEIGHTS[content - 1] * tells.get(words, 1.0)
            hits = tuple((slot, w * length / len(slots)) for slot, w in slots.items())
            rank = length * (max(slots.values()) if slots else factors.neutral_rank)
            self.first[words[0]].append(Phrase(words, hits, rank))
        self.vocabulary = frozenset(w for words in best for w in words)
        self._factors = factors
        self._spatial = spatial
        self._located = located

    def find(self, toks: Sequence[Token]) -> list[Hit]:
        """Phrases found in the tokens; longer, then stronger ones claim tokens first."""
        found_phrases: list[tuple[Phrase, tuple[int, ...]]] = []
        for start, tok in enumerate(toks):
            for phrase in self.first.get(tok.word, ()):
                gap = self._factors.max_gap if phrase.hits else 0
                positions = _find(phrase.words, toks, start, gap)
                if positions is not None:
                    found_phrases.append((phrase, positions))
        found_phrases.sort(
            key=lambda f: (-len(f[0].words), -f[0].rank, f[1][-1] - f[1][0], f[1][0])
        )
        used: set[int] = set()
        hits: list[Hit] = []
        for phrase, positions in found_phrases:
            if used.intersection(positions):
                continue
            used.update(positions)
            if not phrase.hits:
                continue
            fuzzy = [toks[i] for i in positions if toks[i].fuzzy]
            factor = self._factor(toks, positions, bool(fuzzy))
            hits.append(Hit(phrase, positions, factor, _label(phrase.words, fuzzy)))
        return hits

    def match(self, toks: Sequence[Token]) -> dict[int, tuple[float, list[str]]]:
        """Score and labels per slot."""
        return total(self.find(toks))

    def _factor(self, toks: Sequence[Token], positions: tuple[int, ...], fuzzy: bool) -> float:
        """Less weight for typo matches, gapped matches and places ("depan sekolah")."""
        f = self._factors
        factor = f.fuzzy if fuzzy else 1.0
        if positions[-1] - positions[0] >= len(positions):
            factor *= f.gap
        before = toks[positions[0] - 1].word if positions[0] > 0 else ""
        if before in self._spatial:
            factor *= f.landmark
        elif before in self._located:
            factor *= f.located
        return factor


def unclaimed_places(places: Iterable[Hit], found: Sequence[Hit]) -> list[Hit]:
    """The places (found by their own index) that `found` lost to a phrase claiming a
    word of their name: in "lampu penerangan di Jalan Raya Anyer" the street-light phrase
    claims "jalan" (across "di"), but the report still names the province's road."""
    seen = {(hit.phrase.words, hit.positions) for hit in found}
    return [hit for hit in places if (hit.phrase.words, hit.positions) not in seen]


def total(hits: Iterable[Hit]) -> dict[int, tuple[float, list[str]]]:
    """Sum per slot of the hits (each times its factor), with their labels in order."""
    scores: dict[int, tuple[float, list[str]]] = {}
    for hit in hits:
        for slot, weight in hit.phrase.hits:
            score, labels = scores.get(slot, (0.0, []))
            labels.append(hit.label)
            scores[slot] = (score + weight * hit.factor, labels)
    return scores


def _find(
    words: tuple[str, ...], toks: Sequence[Token], start: int, gap: int
) -> tuple[int, ...] | None:
    """Positions of `words` in order from `start`, skipping at most `gap` tokens in all."""
    positions = [start]
    at = start + 1
    for word in words[1:]:
        for i in range(at, min(len(toks), at + gap + 1)):
            if toks[i].word == word:
                gap -= i - at
                positions.append(i)
                at = i + 1
                break
        else:
            return None
    return tuple(positions)


def _label(words: tuple[str, ...], fuzzy_tokens: Sequence[Token]) -> str:
    """What officers see for one hit: the keyword, and what was typed if it differed."""
    keyword = " ".join(words)
    if not fuzzy_tokens:
        return keyword
    return f"{keyword} (~{' '.join(t.typed for t in fuzzy_tokens)})"
