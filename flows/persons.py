"""Words about who the person is are not what went wrong.

Theory of operation: a kader writes "saya mendampingi Pak Jaja, penyandang disabilitas,
ke kantor BPJS; loket prioritas tidak dibuka". "Penyandang disabilitas" is Dinsos's
keyword, but here it says who the person is; the complaint is about BPJS's counter. A
keyword phrase made only of person words (`persons` in `data/lexicon.toml`: disabilitas,
lansia, janda, yatim, kursi roda) counts as a landmark when its body has no other evidence
in the report and another body has some: then it describes the person, and the other
body's evidence says what the service is. Alone ("lansia terlantar, tidak ada yang
mengurus") or beside its body's other words ("bantuan disabilitas belum cair") it keeps
its weight. The learned layer then reads those words as "orang" (it learned "disabilitas"
as Dinsos's from Dinsos's own complaints).

The writer's own introduction is not the office either: "kami selaku Ketua RT 05 RW 01
Kelurahan Tegal Ratu melaporkan ..." After an introducing word (`introductions`: kami,
saya, selaku, sebagai) the run of role and document words and numbers that follows
(`documents`: ketua, RT, RW, kelurahan) says who writes; a phrase inside it counts as a
landmark.
"""

from __future__ import annotations

from collections.abc import Sequence

from flows.phrases import Hit

WRITER = "penulis: "
"""How officers see a phrase of the writer's own introduction."""
WHO = "siapa: "
"""How officers see a person phrase that counted as a landmark."""
PERSON = "orang"
"""The learned layer reads such a phrase's words as this everyday word."""


def is_person(hit: Hit, persons: frozenset[str], stopwords: frozenset[str]) -> bool:
    """Whether the phrase only says who someone is ("penyandang disabilitas")."""
    words = hit.phrase.words
    return any(w in persons for w in words) and all(w in persons or w in stopwords for w in words)


def as_persons(
    hits: Sequence[Hit],
    persons: frozenset[str],
    stopwords: frozenset[str],
    factor: float,
    least: float,
) -> list[Hit]:
    """The hits with person words scaled by `factor` where their body has no other
    evidence and another body has at least `least`."""
    who = [is_person(hit, persons, stopwords) for hit in hits]
    if not any(who):
        return list(hits)
    other: dict[int, float] = {}
    for hit, person in zip(hits, who, strict=True):
        if not person:
            for slot, weight in hit.phrase.hits:
                other[slot] = other.get(slot, 0.0) + weight * hit.factor
    out = []
    for hit, person in zip(hits, who, strict=True):
        slots = {slot for slot, _ in hit.phrase.hits}
        elsewhere = max((v for s, v in other.items() if s not in slots), default=0.0)
        if person and not any(other.get(s, 0.0) > 0 for s in slots) and elsewhere >= least:
            hit = Hit(hit.phrase, hit.positions, hit.factor * factor, f"{WHO}{hit.label}")
        out.append(hit)
    return out


def as_writer(
    hits: Sequence[Hit],
    words: Sequence[str],
    introductions: frozenset[str],
    documents: frozenset[str],
    factor: float,
) -> list[Hit]:
    """The hits inside the writer's introduction ("kami Ketua RT 05 RW 01") scaled by
    `factor`."""
    inside: set[int] = set()
    for i, word in enumerate(words):
        if word not in introductions:
            continue
        j = i + 1
        while j < len(words) and (words[j] in documents or words[j].isdigit()):
            inside.add(j)
            j += 1
    if not inside:
        return list(hits)
    return [
        Hit(hit.phrase, hit.positions, hit.factor * factor, f"{WRITER}{hit.label}")
        if inside.issuperset(hit.positions)
        else hit
        for hit in hits
    ]
