"""Words typed without their vowels ("dtng" for datang, "ulr" for ular, "izn" for izin).

Residents writing quickly drop vowels; the letters they keep are the word's consonants
in order, with a few of its vowels (at most one for every two consonants, so a word
that merely lacks one vowel, Sunda "siga", is not read as "siaga"). A typed token is
read as a known word when it is that word with only vowels left out, and exactly one
known word fits (an ambiguous spelling, "kbr" for kabar or kabur, is left alone). The
first letter is kept ("per" is not "oper"), and a three-letter token with a vowel after
its first letter is a word of its own ("min", "tas"), never a shortening.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

VOWELS = frozenset("aeiou")
MIN_CONSONANTS = 2
SHORT = 3  # a token this short is read only when it keeps no vowel after its first letter


def skeleton(word: str) -> str:
    """The word without its vowels."""
    return "".join(ch for ch in word if ch not in VOWELS)


class VowellessIndex:
    """Known words by their consonants, to read vowel-less spellings."""

    def __init__(self, known: Iterable[str]) -> None:
        self._by_skeleton: dict[str, set[str]] = defaultdict(set)
        for word in known:
            if word.isalpha():
                self._by_skeleton[skeleton(word)].add(word)

    def read(self, typed: str) -> str | None:
        """The one known word `typed` is with some vowels left out, else None."""
        key = skeleton(typed)
        vowels = len(typed) - len(key)
        inner = sum(ch in VOWELS for ch in typed[1:])
        if len(key) < MIN_CONSONANTS or 2 * vowels > len(key) or not typed.isalpha():
            return None
        if len(typed) <= SHORT and inner:  # "min", "tas", "bel" are words of their own
            return None
        fits = [
            w
            for w in self._by_skeleton.get(key, ())
            if w[0] == typed[0] and drops_vowels(typed, w)
        ]
        return fits[0] if len(fits) == 1 else None


def drops_vowels(typed: str, word: str) -> bool:
    """True when `word` becomes `typed` by leaving out vowels only (at least one)."""
    if len(typed) >= len(word):
        return False
    i = 0
    for ch in word:
        if i < len(typed) and typed[i] == ch:
            i += 1
        elif ch not in VOWELS:
            return False
    return i == len(typed)
