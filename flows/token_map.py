"""A report token mapped onto the keyword vocabulary.

Exactly; without one clitic ("sampahnya", "dijalan"); as the one known word a vowel-less
shortening stands for (`flows.vowelless`: "dtng"); or one edit away by OSA distance (two
from ten letters) when the edit keeps the stem (`flows.loose`: "melaporkan" is never
"melahirkan"). Words under `min_fuzzy_length` letters, acronyms and everyday words match
exactly only. Memoised per map.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from flows.loose import acceptable, is_known
from flows.normalize import Lexicon
from flows.phrases import Token
from flows.vowelless import VowellessIndex

_CLITIC_SUFFIXES = ("nya", "ny", "lah", "kah", "pun", "in", "na", "ne")
_CLITIC_PREFIXES = ("di", "ke", "se")
_MAX_MEMO = 50_000


class TokenMap:
    """Maps typed tokens onto a vocabulary (see the module docstring)."""

    def __init__(
        self,
        vocabulary: frozenset[str],
        lexicon: Lexicon,
        exact_only: Iterable[str],
        min_fuzzy_length: int,
    ) -> None:
        lex = lexicon
        rewritten = {w for value in lex.words.values() for w in value}
        self._vocabulary = vocabulary
        self._common = lex.common
        self._known = frozenset(
            lex.common | lex.stopwords | set(lex.words) | vocabulary | rewritten
        )
        self._vowelless = VowellessIndex(vocabulary | lex.common | lex.stopwords | rewritten)
        self._min_fuzzy = min_fuzzy_length
        self._fuzzy_targets: dict[str, list[str]] = defaultdict(list)
        for word in sorted(vocabulary - set(exact_only) - lex.protected):
            if len(word) >= min_fuzzy_length and word.isalpha():
                self._fuzzy_targets[word[0]].append(word)
        self._memo: dict[str, Token] = {}

    def map(self, typed: str) -> Token:
        """The token for one typed word (memoised)."""
        known = self._memo.get(typed)
        if known is None:
            if len(self._memo) >= _MAX_MEMO:
                self._memo.clear()
            known = self._memo[typed] = self._lookup(typed)
        return known

    def _lookup(self, typed: str) -> Token:
        """Exact word, clitic-stripped word, or the closest vocabulary word by OSA."""
        if typed in self._vocabulary or typed in self._common:
            return Token(typed, typed, False)
        for stem in _stems(typed):
            if stem in self._vocabulary:
                return Token(stem, typed, False)
        if typed not in self._known:
            read = self._vowelless.read(typed)
            if read is not None:
                return Token(read, typed, True)
        if len(typed) < self._min_fuzzy or not typed.isalpha():
            return Token(typed, typed, False)
        if is_known(typed, self._known):
            return Token(typed, typed, False)
        edits = 1 if len(typed) < 10 else 2
        targets = self._fuzzy_targets.get(typed[0], ())
        for word, _, _ in process.extract(
            typed, targets, scorer=OSA.distance, score_cutoff=edits, limit=3
        ):
            if acceptable(typed, word):
                return Token(word, typed, True)
        return Token(typed, typed, False)


def _stems(word: str) -> Iterable[str]:
    """The word without one clitic: "sampahnya" -> "sampah", "dijalan" -> "jalan"."""
    for suffix in _CLITIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            yield word[: -len(suffix)]
    for prefix in _CLITIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            yield word[len(prefix) :]
