"""How the words around a keyword phrase change what it says about the body.

Theory of operation: a phrase found in a report (`flows.phrases`) is read with the few
words before and after it:

- right after "bukan" (or one word on, unless that word belongs to a said-no pattern,
  "bukan urusan", which `flows.said_no` reads) it is denied and counts nothing: "bukan
  jalan nasional", "katanya itu bukan tiang lampu jalan";
- after hearsay ("katanya itu", "kayaknya punya") it is the resident's guess about the
  authority and counts less;
- right after an office word ("dinas", "petugas") it names the office itself and counts
  more: "dari dinas pemberdayaan perempuan";
- a one-word kelurahan or kecamatan followed by a place name is an address ("di
  Kelurahan Kotabumi") and counts little;
- in a report typed in shorthand, an acronym that also shortens an everyday word ("smp
  skrg": sampai sekarang) is only a guess.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flows.phrases import Hit
from flows.vowelless import drops_vowels, skeleton

DENIALS = frozenset({"bukan"})
ADDRESS_WORDS = frozenset({"kelurahan", "kecamatan", "kel", "kec", "desa"})
HEARSAY = frozenset({"katanya", "kayaknya", "sepertinya", "mungkin", "kabarnya"})
OFFICE_WORDS = frozenset({"dinas", "badan", "petugas", "pegawai", "staf", "bagian"})
POINTERS = frozenset({"itu", "ini", "sih", "tuh", "masuk", "termasuk", "punya", "milik"})


@dataclass(frozen=True)
class ContextFactors:
    """How much a phrase counts in each context (a multiplier of its weight)."""

    address: float
    hearsay: float
    named_office: float
    shorthand: float


@dataclass(frozen=True)
class HitContext:
    """What the classifier knows to read a phrase's surroundings."""

    place_starts: frozenset[str]  # first words of place names ("kotabumi")
    refusal_words: frozenset[str]  # words of the said-no refusals ("urusan", "wewenang")
    ambiguous_acronyms: frozenset[str]  # acronyms that also shorten an everyday word
    factors: ContextFactors

    def read(self, hit: Hit, words: Sequence[str], shorthand: bool) -> Hit:
        """The hit with its factor and label changed by the words around it."""
        first, last = hit.positions[0], hit.positions[-1]
        f = self.factors
        if shorthand and hit.phrase.words[0] in self.ambiguous_acronyms:
            return _scaled(hit, f.shorthand, "singkatan?")
        between = words[first - 1] if first > 0 else ""
        denied = between in DENIALS or (
            first > 1 and words[first - 2] in DENIALS and between not in self.refusal_words
        )
        if denied:
            return Hit(hit.phrase, hit.positions, 0.0, f"bukan: {hit.label}")
        before = [w for w in words[max(0, first - 3) : first] if w not in POINTERS]
        if before and before[-1] in HEARSAY:
            return _scaled(hit, f.hearsay, "katanya")
        if between in OFFICE_WORDS:
            return _scaled(hit, f.named_office, "")
        after = words[last + 1] if last + 1 < len(words) else ""
        if hit.phrase.words[0] in ADDRESS_WORDS and after in self.place_starts:
            return _scaled(hit, f.address, "alamat")
        return hit


def ambiguous_acronyms(
    acronyms: Iterable[str], everyday: frozenset[str], protected: frozenset[str]
) -> frozenset[str]:
    """Acronyms that are also a vowel-less everyday word with the same first letter
    ("smp": sampai, "sma": sama); never the protected ones (KK, NIK, PKL)."""
    return frozenset(
        a
        for a in set(acronyms) - protected
        if any(w[:1] == a[:1] and drops_vowels(a, w) for w in everyday)
    )


def shorthand_count(typed: Iterable[str], known: frozenset[str]) -> int:
    """How many tokens are typed without any vowel and are not known words ("mkn",
    "kbr"): a report with several is written in shorthand."""
    return sum(
        len(t) >= 2 and t.isalpha() and skeleton(t) == t and t not in known for t in typed
    )


def _scaled(hit: Hit, factor: float, note: str) -> Hit:
    """The hit counting `factor` times as much, its label marked with `note`."""
    label = f"{note}: {hit.label}" if note else hit.label
    return Hit(hit.phrase, hit.positions, hit.factor * factor, label)
