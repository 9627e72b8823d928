"""The learning curve: how routing improves as officers correct the first N misses.

A stream of held-out complaints, in file order, is split in half. Officers work through
the first half and correct the first N reports the classifier got wrong (through
`Classifier.learn`, the mechanism the bot uses when an officer re-routes a report);
top-1 is then measured on the second half, the same rows for every N. When the first
half has fewer than N misses, all of them are corrected and the figure says how many.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flows.catalogue import Catalogue
from flows.classify import Classifier
from flows.evaluation import UNCLEAR, EvalRow, is_correct
from flows.labelled_examples import LabelledExample
from flows.normalize import Lexicon

STEPS = (0, 10, 50, 200)


@dataclass(frozen=True)
class CurvePoint:
    """Top-1 on the rest of the stream after `corrected` corrections (`asked` wanted)."""

    asked: int
    corrected: int
    rest: int
    top1: float


def learning_curve(
    catalogue: Catalogue,
    stream: Sequence[EvalRow],
    steps: Sequence[int] = STEPS,
    *,
    labelled: Sequence[LabelledExample] = (),
    lexicon: Lexicon | None = None,
) -> list[CurvePoint]:
    """One point per N in `steps`, each from a fresh classifier (with a learned layer
    trained on `labelled`, when given)."""
    routable = [row for row in stream if row.body != UNCLEAR]
    half = len(routable) // 2
    first, rest = routable[:half], routable[half:]
    points = []
    for asked in steps:
        classifier = Classifier(catalogue, lexicon=lexicon, labelled=labelled)
        corrected = 0
        for row in first:
            if corrected >= asked:
                break
            if not is_correct(row, classifier.classify(row.text)):
                classifier.learn(row.text, row.body)
                corrected += 1
        right = sum(is_correct(row, classifier.classify(row.text)) for row in rest)
        points.append(CurvePoint(asked, corrected, len(rest), right / len(rest) if rest else 0))
    return points


def format_curve(points: Sequence[CurvePoint]) -> str:
    """The points on one line: "N=10 (10 corrected): 93.1%; ..."."""
    return "; ".join(
        f"N={p.asked}"
        + (f" ({p.corrected} misses to correct)" if p.corrected < p.asked else "")
        + f": {p.top1:.1%}"
        for p in points
    )
