"""Blending the learned layer's margins with the keyword evidence.

Theory of operation (weights chosen by leave-one-set-out cross-validation over the
labelled sets, `bench/crossval.py`; see docs/routing.md):

- **Body**: each body's score is its keyword score plus `body_weight` times the body
  model's margin (`flows.learned_model`). The candidates are the bodies with keyword
  evidence and the model's best `model_candidates`, ranked by that score. A body the
  model favours (margin above 0) is shown with the reason "mirip laporan sebelumnya";
  the keyword evidence keeps its own labels, so officers still see the words.
- **Confidence**: the best body leads the runner-up by at least `confident_margin` and
  the keyword core and the model each rank it first: two readers agree, clearly. When
  the model hesitates (its first body leads its second by less than `model_gap`), the
  lead must be `hesitant_margin`: one reader's doubt asks more of the blend.
- **Places under another authority**: when a report names one (Jalan Raya Anyer, the
  toll road), the keyword core moves the road bodies' evidence to the place's body; the
  model's vote moves with it (`take_over_margins`): the model reads "lampu jalan" as
  Dishub's, but on the province's road Dishub's vote is the province's. Where the place
  thus decides against the model's own vote, the answer is not confident (a place may be
  named only on the way: "suami kerja di pelabuhan Ciwandan, ... lampu jalan mati").
- **Kind**: the kind model's margins, with `rule_bonus` added to the kind the guide's
  rules give (`flows.kind_decision`); the highest wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from flows.learned_model import Decisions

SIMILAR = "mirip laporan sebelumnya"
"""The reason shown for a body the learned layer favours."""

Scores = dict[int, tuple[float, list[str]]]
"""Body slot -> (score, labels of the evidence)."""


@dataclass(frozen=True)
class BlendTuning:
    """The blend's knobs."""

    body_weight: float = 3.0
    confident_margin: float = 3.0
    model_gap: float = 0.4
    hesitant_margin: float = 3.5
    model_candidates: int = 3
    rule_bonus: float = 0.2


DEFAULT_BLEND = BlendTuning()


def blend_bodies(
    scores: Scores, margins: Decisions, body_ids: Sequence[str], tuning: BlendTuning
) -> tuple[list[tuple[int, tuple[float, list[str]]]], bool]:
    """Ranked (slot, (blended score, labels)), best first, and whether the best is clear."""
    slots = {body_id: slot for slot, body_id in enumerate(body_ids)}
    margin = {slots[b]: m for b, m in margins.items() if b in slots}
    blended = {
        slot: scores.get(slot, (0.0, []))[0] + tuning.body_weight * margin.get(slot, 0.0)
        for slot in range(len(body_ids))
    }
    by_model = sorted(margin, key=lambda s: (-margin[s], s))
    chosen = {s for s, (score, labels) in scores.items() if score > 0 or labels}
    chosen |= set(by_model[: tuning.model_candidates])
    ranked = sorted(chosen, key=lambda s: (-blended[s], s))
    out = []
    for slot in ranked:
        labels = list(scores.get(slot, (0.0, []))[1])
        if margin.get(slot, 0.0) > 0:
            labels.append(SIMILAR)
        out.append((slot, (blended[slot], labels)))
    everyone = sorted(blended.values(), reverse=True)
    lead = everyone[0] - everyone[1] if len(everyone) > 1 else everyone[0] if everyone else 0.0
    keyword_best = min(scores, key=lambda s: (-scores[s][0], s)) if scores else None
    gap = margin[by_model[0]] - margin[by_model[1]] if len(by_model) > 1 else float("inf")
    needed = tuning.confident_margin if gap >= tuning.model_gap else tuning.hesitant_margin
    confident = (
        bool(ranked)
        and lead >= needed
        and (by_model[:1] == ranked[:1] and keyword_best == ranked[0])
    )
    return out, confident


def blend_with_places(
    scores: Scores,
    margins: Decisions,
    moved: Iterable[tuple[str, str]],
    body_ids: Sequence[str],
    tuning: BlendTuning,
) -> tuple[list[tuple[int, tuple[float, list[str]]]], bool]:
    """`blend_bodies` after a named place took over the road bodies' votes
    (`take_over_margins`); not clear when the place decided against the model's own vote
    (officers confirm: a place may be named only on the way)."""
    moved = list(moved)
    voted = max(sorted(margins), key=margins.__getitem__, default=None)
    ranked, sure = blend_bodies(scores, take_over_margins(margins, moved), body_ids, tuning)
    if moved and (not ranked or body_ids[ranked[0][0]] != voted):
        sure = False
    return ranked, sure


def take_over_margins(margins: Decisions, moved: Iterable[tuple[str, str]]) -> Decisions:
    """The body margins with each taken-over body's vote given to the body of the named
    place (the two margins swap where the taken body's was higher)."""
    out = dict(margins)
    for taken, taker in sorted(moved):
        if taken in out and out[taken] > out.get(taker, float("-inf")):
            out[taken], out[taker] = out.get(taker, 0.0), out[taken]
    return out


def blend_kind(margins: Mapping[str, float], rule_kind: str, tuning: BlendTuning) -> str:
    """The kind with the highest margin, the rules' kind given a bonus."""
    if not margins:
        return rule_kind
    bonus = {kind: tuning.rule_bonus if kind == rule_kind else 0.0 for kind in margins}
    return max(sorted(margins), key=lambda kind: margins[kind] + bonus[kind])
