"""Documents another service demanded: landmarks, not the subject of the report.

Theory of operation: "kontrol ke poli RSUD disuruh bikin surat pengantar baru, harus ada
fotokopi KK sama KTP suami" is about the hospital; the KK, the KTP and the surat
pengantar are what the hospital demanded, not a problem with getting them. After a
demand ("diminta", "disuruh", "bawa", "melampirkan", "fotokopi", or "minta" right after
a staff word: "petugas minta surat dari RT, RW, lurah, camat") the next few words, across
commas, are a list of demanded things until a word that ends the list ("padahal",
"tapi") or a full stop. A keyword phrase in that list made only of document words
(documents and the offices that issue them: KK, KTP, akta, surat pengantar, RT, RW,
kelurahan, camat) counts as a landmark. A real document problem ("KTP saya hilang,
disuruh bawa surat kehilangan") keeps its own phrase: only the demanded ones shrink.
"Disuruh ke kelurahan" is a sending (`flows.said_no`), not a document: a phrase right
after "ke" is left alone. The words are language data (`data/lexicon.toml`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flows.phrases import Hit

WINDOW = 10
"""How many words after a demand can belong to its list."""


@dataclass(frozen=True)
class DemandWords:
    """The lexicon's words for reading demanded documents."""

    demands: frozenset[str]  # "diminta", "disuruh", "bawa", "melampirkan", "fotokopi"
    staff_demands: frozenset[str]  # "minta", a demand only after a staff word
    staff: frozenset[str]  # "petugas", "admin", "loket"
    documents: frozenset[str]  # words of documents and their issuers: "kk", "surat", "rt"
    list_ends: frozenset[str]  # words that end a list: "padahal", "tapi"
    stopwords: frozenset[str]


def demanded_positions(
    words: Sequence[str], sentence_ends: frozenset[int], demand: DemandWords
) -> frozenset[int]:
    """Positions of the words in a list of demanded things."""
    out: set[int] = set()
    if demand.demands.isdisjoint(words) and demand.staff_demands.isdisjoint(words):
        return frozenset()
    for i, word in enumerate(words):
        by_staff = any(w in demand.staff for w in words[max(0, i - 2) : i])
        asked = word in demand.demands or (word in demand.staff_demands and by_staff)
        if not asked or i in sentence_ends:
            continue
        for j in range(i + 1, min(len(words), i + 1 + WINDOW)):
            if words[j] in demand.list_ends:
                break
            out.add(j)
            if j in sentence_ends:
                break
    return frozenset(out)


def as_demanded(
    hit: Hit, words: Sequence[str], positions: frozenset[int], demand: DemandWords, factor: float
) -> Hit:
    """The hit as a landmark when it is a document in a list of demanded things."""
    first = hit.positions[0]
    if hit.positions[-1] not in positions or (first > 0 and words[first - 1] in ("ke", "kepada")):
        return hit
    asking = demand.demands | demand.staff_demands | demand.stopwords
    if not all(w in demand.documents or w in asking for w in hit.phrase.words):
        return hit
    return Hit(hit.phrase, hit.positions, hit.factor * factor, f"diminta: {hit.label}")

