"""Whether a typed word may count as a keyword it is one or two edits away from.

Theory of operation: a typo keeps the word's stem recognisable ("puskesms",
"smapah"); a different word shares only the affixes ("melaporkan" is not
"melahirkan": me-lapor-kan against me-lahir-kan). So the shared Indonesian affix frame
is stripped from both words and the length rules apply to the stems: below eight
letters a stem may differ by one missing, extra or swapped letter only, never by a
replaced one. A typed word whose own stem is a known word ("melaporkan" -> "lapor") is
that word, not a typo.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz.distance import OSA

PREFIXES = (
    "memper", "member", "menge", "meng", "meny", "mem", "men", "me", "ber", "be", "ter",
    "per", "peng", "peny", "pem", "pen", "pe", "di", "ke", "se",
)  # fmt: skip
SUFFIXES = ("kannya", "annya", "kan", "an", "nya", "i")
SUBSTITUTION_MIN_STEM = 8
MIN_STEM = 3


def stems(word: str) -> Iterable[str]:
    """The word without one prefix and/or one suffix: "melaporkan" -> "laporkan", "lapor"."""
    fronts = [word] + [word[len(p) :] for p in PREFIXES if word.startswith(p)]
    for front in fronts:
        if front != word and len(front) >= MIN_STEM:
            yield front
        for suffix in SUFFIXES:
            if front.endswith(suffix) and len(front) - len(suffix) >= MIN_STEM:
                yield front[: -len(suffix)]


def is_known(word: str, known: frozenset[str]) -> bool:
    """True when the word, or the word without its affixes, is a known word."""
    return word in known or any(stem in known for stem in stems(word))


def acceptable(typed: str, keyword: str) -> bool:
    """True when `typed` can be a typo of `keyword` judged on the stems they share."""
    a, b = _strip_frame(typed, keyword)
    distance = OSA.distance(a, b)
    if len(b) < SUBSTITUTION_MIN_STEM:
        return distance <= 1 and not _substitution(a, b)
    return distance <= (1 if len(b) < 10 else 2)


def _strip_frame(a: str, b: str) -> tuple[str, str]:
    """Both words without the prefix and suffix they share (if stems stay long enough)."""
    for prefix in PREFIXES:
        if a.startswith(prefix) and b.startswith(prefix):
            if min(len(a), len(b)) - len(prefix) >= MIN_STEM:
                a, b = a[len(prefix) :], b[len(prefix) :]
            break
    for suffix in SUFFIXES:
        if a.endswith(suffix) and b.endswith(suffix):
            if min(len(a), len(b)) - len(suffix) >= MIN_STEM:
                a, b = a[: -len(suffix)], b[: -len(suffix)]
            break
    return a, b


def _substitution(a: str, b: str) -> bool:
    """True when the words differ by replaced letters only (not a swapped pair)."""
    if len(a) != len(b) or a == b:
        return False
    return sum(x != y for x, y in zip(a, b, strict=True)) == OSA.distance(a, b)
