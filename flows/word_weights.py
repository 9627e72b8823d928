"""How much a keyword tells: a weight derived from the catalogue, not set per word.

Theory of operation: think of a corpus of complaints generated from the catalogue, one
per keyword phrase of each body, in which everyday scene words (family members, places,
general words: `scene` in `data/lexicon.toml`) appear in a fixed share of every body's
complaints, because residents set the scene whatever went wrong; a phrase made of scene words only
("anak sekolah") sets the scene too. How much a phrase
tells is how surely it points to one body in that corpus: the largest P(body | phrase),
where a phrase also occurs inside every longer phrase containing it and counts are
taken relative to each body's number of phrases. "digigit anjing" belongs to one body
(1.0), "anak" is everywhere. The weight is that share, to a power, never below a floor;
phrases found in one body only keep their full weight.
The corpus is never built: its counts follow from the catalogue directly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

MAX_WORDS = 3


def specificity(
    phrases_by_body: Sequence[Iterable[tuple[str, ...]]],
    scene: Iterable[tuple[str, ...]],
    *,
    scene_share: float,
    power: float,
    floor: float,
) -> dict[tuple[str, ...], float]:
    """Phrase -> weight in [floor, 1] for every phrase and sub-phrase of the catalogue."""
    bodies = len(phrases_by_body)
    if bodies < 2:
        return {}
    counts: dict[tuple[str, ...], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    sizes: list[int] = []
    for slot, phrases in enumerate(phrases_by_body):
        distinct = set(phrases)
        sizes.append(max(1, len(distinct)))
        for phrase in distinct:
            for gram in _grams(phrase):
                counts[gram][slot] += 1
    scene_set = set(scene)
    scene_words = {w for phrase in scene_set if len(phrase) == 1 for w in phrase}
    weights: dict[tuple[str, ...], float] = {}
    for gram, per_body in counts.items():
        setting = gram in scene_set or all(w in scene_words for w in gram)
        extra = scene_share if setting else 0.0
        shares = [per_body.get(slot, 0) / sizes[slot] + extra for slot in range(bodies)]
        weights[gram] = max(floor, (max(shares) / sum(shares)) ** power)
    return weights


def _grams(phrase: tuple[str, ...]) -> set[tuple[str, ...]]:
    """Every contiguous sub-phrase of up to `MAX_WORDS` words."""
    return {
        phrase[i:j]
        for i in range(len(phrase))
        for j in range(i + 1, min(len(phrase), i + MAX_WORDS) + 1)
    }


