"""The office that said no: which offices a report names as having turned it away.

Residents often name the office they went to first: "sudah lapor ke Dishub soal got
mampet, katanya bukan wewenang mereka", "ke kantor pos disuruh ke kelurahan". The named
office is then evidence against itself, and the office they were sent to is evidence
for that one. The patterns are language data (`[said_no]` in `data/lexicon.toml`):

- `refusals` ("bukan wewenang", "katanya bukan"): the office named right after said no;
  when a pronoun ("mereka", "-nya") or nothing follows, the office the resident went to,
  was sent to or quoted before the pattern said no. When an office went to or quoted
  before says "bukan urusan" of something else ("petugas kebersihan bilang bukan urusan
  saluran"), that office said no and the thing named is what it declined;
- `referrals` ("disuruh ke", "dilempar ke", "katanya urusan"): the office named right
  after is where the resident was sent, and the office visited just before said no;
- `visits` ("lapor ke", "sudah ke"): the office named right after was visited; a visit
  followed by "tapi" ("sudah ke X tapi ...") counts a little against X;
- `speech` ("bilang", "katanya"): the office named right before spoke.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from flows.phrases import Hit

_WINDOW_AFTER = 4  # tokens between a pattern and the office it names
_WINDOW_BEFORE = 14  # tokens back to the office a pronoun stands for
_BUT_WINDOW = 6  # tokens from a visited office to its "tapi"
_HEARSAY = frozenset({"katanya"})
_FOR = frozenset({"buat", "untuk"})  # "bukan buat hewan": what is declined, not who
_CLITIC = "nya"  # "wewenangnya": the office named before


class Role(Enum):
    """What a report says about an office it names."""

    REFUSED = "menolak"
    SENT = "diarahkan ke"
    VISITED_BUT = "sudah ke"
    VISITED = "didatangi"


@dataclass(frozen=True)
class SaidNoWords:
    """The normalised patterns (each a tuple of words) and the small word lists."""

    refusals: tuple[tuple[str, ...], ...] = ()
    referrals: tuple[tuple[str, ...], ...] = ()
    visits: tuple[tuple[str, ...], ...] = ()
    speech: frozenset[str] = frozenset()
    pronouns: frozenset[str] = frozenset()
    but: frozenset[str] = frozenset()


def said_no_words(
    table: Mapping[str, Sequence[str]], normalise: Callable[[str], tuple[str, ...]]
) -> SaidNoWords:
    """The said-no patterns of the lexicon's table, normalised like reports."""

    def phrases(key: str) -> tuple[tuple[str, ...], ...]:
        return tuple(w for w in (normalise(p) for p in table.get(key, ())) if w)

    def words(key: str) -> frozenset[str]:
        return frozenset(w for p in table.get(key, ()) for w in normalise(p))

    return SaidNoWords(
        refusals=phrases("refusals"),
        referrals=phrases("referrals"),
        visits=phrases("visits"),
        speech=words("speech"),
        pronouns=words("pronouns"),
        but=words("but"),
    )


def roles(
    words: Sequence[str],
    hits: Sequence[Hit],
    said: SaidNoWords,
    ends: frozenset[int] = frozenset(),
) -> dict[int, Role]:
    """Index into `hits` -> the role the report gives that office (absent: none).
    `ends` are the positions of tokens that end a clause: a pattern does not reach
    across a comma or a full stop ("katanya bukan, urusan PU")."""
    if not hits:
        return {}
    order = sorted(range(len(hits)), key=lambda i: hits[i].positions[0])
    found: dict[int, Role] = {}
    refusals = _marks(words, said.refusals)
    taken = {p for start, end, _ in refusals for p in range(start, end)}
    referrals = [m for m in _marks(words, said.referrals) if m[0] not in taken]
    for start, end, _ in _marks(words, said.visits):
        target = _after(order, hits, end, ends)
        if target is not None:
            found[target] = Role.VISITED
            explicit = end - start > 1 or words[start] != "ke"  # not a bare "ke"
            but = any(w in said.but for w in _tail(words, hits[target], _BUT_WINDOW))
            if explicit and but:
                found[target] = Role.VISITED_BUT
    for start, end, _ in referrals:
        target = _after(order, hits, end, ends)
        if target is not None:
            sender = _before(order, hits, words, start, found, said, quoted=False)
            found[target] = Role.SENT
            if sender is not None and sender != target:  # sent on: the sender said no
                found[sender] = Role.REFUSED
    for start, end, pronoun in refusals:
        topic = words[end - 1] in _FOR or (end < len(words) and words[end] in _FOR)
        named = not pronoun and not topic and not _pronoun_at(words, end, said)
        target = _after(order, hits, end, ends) if named else None
        speaker = _speaker(order, hits, words, start, said)
        declined = (
            target is not None
            and speaker is not None
            and _slots(hits[speaker]) != _slots(hits[target])
        )  # "petugas kebersihan bilang bukan urusan saluran": a topic they declined
        if declined:
            target = speaker
        if target is None:
            target = _before(order, hits, words, start, found, said)
        if target is not None:
            found[target] = Role.REFUSED
    return found


def _speaker(
    order: Sequence[int], hits: Sequence[Hit], words: Sequence[str], start: int, said: SaidNoWords
) -> int | None:
    """The last office that speaks before `start` ("dishub bilang ..."); "katanya" after
    a word only reports hearsay ("BPHTB katanya bukan di BPN"), nobody speaking."""
    speech = said.speech - _HEARSAY
    for i in reversed(order):
        last = hits[i].positions[-1]
        near = last < start and hits[i].positions[0] >= start - _WINDOW_BEFORE
        if near and any(w in speech for w in words[last + 1 : last + 3]):
            return i
    return None


def _slots(hit: Hit) -> frozenset[int]:
    """The bodies a hit is evidence for."""
    return frozenset(slot for slot, _ in hit.phrase.hits)


def _marks(
    words: Sequence[str], patterns: Sequence[tuple[str, ...]]
) -> list[tuple[int, int, bool]]:
    """(start, end, ends with "-nya") of every pattern occurrence, in order."""
    out: list[tuple[int, int, bool]] = []
    firsts = {pattern[0] for pattern in patterns}
    for start in range(len(words)):
        if words[start] not in firsts and words[start][: -len(_CLITIC)] not in firsts:
            continue
        for pattern in patterns:
            end = start + len(pattern)
            if end > len(words) or tuple(words[start : end - 1]) != pattern[:-1]:
                continue
            last = words[end - 1]
            if last == pattern[-1]:
                out.append((start, end, False))
            elif last == pattern[-1] + _CLITIC:
                out.append((start, end, True))
    return out


def _pronoun_at(words: Sequence[str], at: int, said: SaidNoWords) -> bool:
    """True when the word at `at` stands for an office named earlier ("mereka")."""
    return at < len(words) and words[at] in said.pronouns


def _after(order: Sequence[int], hits: Sequence[Hit], end: int, ends: frozenset[int]) -> int | None:
    """The first office named within a few tokens after a pattern, in the same clause."""
    if end - 1 in ends:
        return None
    for i in order:
        first = hits[i].positions[0]
        if end <= first < end + _WINDOW_AFTER:
            closed = any(p in ends for p in range(end, first))
            return None if closed else i
    return None


def _before(
    order: Sequence[int],
    hits: Sequence[Hit],
    words: Sequence[str],
    start: int,
    found: dict[int, Role],
    said: SaidNoWords,
    *,
    quoted: bool = True,
) -> int | None:
    """The last office before `start` that was visited or sent to, else (when `quoted`)
    the last one quoted ("dishub bilang ...")."""
    near = [
        i
        for i in reversed(order)
        if hits[i].positions[-1] < start and hits[i].positions[0] >= start - _WINDOW_BEFORE
    ]
    for i in near:
        if found.get(i) in (Role.VISITED, Role.VISITED_BUT, Role.SENT):
            return i
    if quoted:
        for i in near:
            last = hits[i].positions[-1]
            if any(w in said.speech for w in words[last + 1 : last + 3]):
                return i
    return None


def _tail(words: Sequence[str], hit: Hit, window: int) -> Sequence[str]:
    """The words right after a hit."""
    last = hit.positions[-1]
    return words[last + 1 : last + 1 + window]
