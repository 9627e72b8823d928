"""When the keyword core alone may call its answer clear (no learned layer)."""

from __future__ import annotations

from collections.abc import Sequence

from flows.classification import Candidate


def clear(candidates: Sequence[Candidate], minimum: float, ratio: float) -> bool:
    """True when the best candidate has enough evidence and clearly leads."""
    if not candidates or candidates[0].score < minimum:
        return False
    runner_up = candidates[1].score if len(candidates) > 1 else 0.0
    return candidates[0].score >= ratio * runner_up


def narrower(best: Candidate, runner_up: Candidate, phrases: int, minimum: float) -> bool:
    """True when the best rests on one phrase while the runner-up has several with real
    weight ("antar istri ke pasar Kranggot ... jalan tembus, aspalnya habis"): one
    strong name against a description of the problem is not a clear answer."""
    own = [m for m in best.matched if not _is_note(m)]
    other = [m for m in runner_up.matched if not _is_note(m)]
    return len(own) <= 1 and len(other) >= phrases and (runner_up.score >= minimum)


def _is_note(label: str) -> bool:
    """A label that explains rather than names a phrase (a place's authority, a role)."""
    return ":" in label
