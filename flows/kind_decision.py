"""The kind of problem as the labelling guide decides it: rules in precedence order.

Theory of operation: each kind has evidence (the summed weights of its cue phrases found
in the report, `flows.classify`). The guide reads its rules in order and takes the first
that fits ("a long wait AND a bribe request is permintaan_imbalan"), so the decision is
not the kind with the most evidence: walking the kinds in precedence order, the first
whose evidence is decisive wins. When no kind has decisive evidence, the kind with the
most evidence wins if it has at least some; otherwise there is no kind (the caller
falls back to `lainnya`). Numbers become the word `angka` first, so a cue such as
"minta angka" matches "minta 50rb".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from flows.normalize import Lexicon, tokens
from flows.phrases import Token

NUMBER_WORD = "angka"  # any number, in kind keywords: "angka bulan" matches "3 bulan"
_NUMBER = re.compile(r"^(?:rp)?\d+(?:[.,]\d+)?([a-z]*)$")  # "3", "rp75", "50rb", "2mgg"


def precedence_slots(kind_ids: Sequence[str], precedence: Sequence[str]) -> tuple[int, ...]:
    """Slots of `kind_ids` in precedence order; kinds not listed follow in file order."""
    listed = [kind_ids.index(k) for k in precedence if k in kind_ids]
    return tuple(listed + [slot for slot in range(len(kind_ids)) if slot not in listed])


def decide(
    evidence: Mapping[int, float], order: Sequence[int], *, decisive: float, minimum: float
) -> int | None:
    """The first slot in `order` with decisive evidence, else the slot with the most
    evidence (earlier in `order` on ties) if it reaches `minimum`, else None."""
    for slot in order:
        if evidence.get(slot, 0.0) >= decisive:
            return slot
    best = max(order, key=lambda s: evidence.get(s, 0.0), default=None)
    if best is None or evidence.get(best, 0.0) < minimum:
        return None
    return best


def mark_numbers(toks: Sequence[Token], lexicon: Lexicon) -> list[Token]:
    """The tokens with every number as `angka` ("3", "tiga", "rp75") and a number with a
    unit as `angka` and the unit ("50rb" -> angka ribu, "2mgg" -> angka minggu)."""
    return [marked for tok in toks for marked in _marked(tok, lexicon)]


def _marked(tok: Token, lexicon: Lexicon) -> Iterable[Token]:
    """One token as the kind keywords see it."""
    if tok.word in lexicon.numbers:
        yield Token(NUMBER_WORD, tok.typed, False)
        return
    found = _NUMBER.match(tok.word)
    if found is None:
        yield tok
        return
    yield Token(NUMBER_WORD, tok.typed, False)
    for word in tokens(found.group(1), lexicon) if found.group(1) else ():
        yield Token(word, word, False)
