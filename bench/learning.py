"""The learning curve: how routing improves as officers correct the first N misses.

A stream of held-out complaints, in file order, is split in half. Officers work through
the first half and correct the first N reports the classifier routed wrong (re-routing:
`Classifier.learn` and a routing lesson) and the first N whose kind it got wrong ("Ubah
jenis": `Classifier.learn_kind` and a kind lesson), as the bot does. Then, when the
classifier has a learned layer, the model is retrained on the pack's examples and the
lessons (`Classifier.model_documents`, as `service.retraining` does) and swapped in.
Top-1 and kind are measured on the second half, the same rows for every N, before the
retrain (the memory and learned words only) and after it. When the first half has
fewer than N misses, all of them are corrected and the figure says how many.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flows.catalogue import Catalogue
from flows.classify import Classifier
from flows.evaluation import UNCLEAR, EvalRow, is_correct
from flows.labelled_examples import LabelledExample
from flows.learned_lessons import LessonText
from flows.normalize import Lexicon

STEPS = (0, 10, 50, 200)


@dataclass(frozen=True)
class CurvePoint:
    """Top-1 and kind on the rest of the stream after `corrected` routing and
    `kinds_corrected` kind corrections (`asked` wanted of each): before the retrain
    (`*_taught`) and after it (equal when the classifier has no learned layer)."""

    asked: int
    corrected: int
    kinds_corrected: int
    rest: int
    top1_taught: float
    kind_taught: float
    top1: float
    kind: float


def learning_curve(
    catalogue: Catalogue,
    stream: Sequence[EvalRow],
    steps: Sequence[int] = STEPS,
    *,
    labelled: Sequence[LabelledExample] = (),
    lexicon: Lexicon | None = None,
) -> list[CurvePoint]:
    """One point per N in `steps`, each from a fresh classifier (with a learned layer
    trained on `labelled`, when given, and retrained with the corrections)."""
    routable = [row for row in stream if row.body != UNCLEAR]
    half = len(routable) // 2
    first, rest = routable[:half], routable[half:]
    points = []
    for asked in steps:
        classifier = Classifier(catalogue, lexicon=lexicon, labelled=labelled)
        lessons: list[LessonText] = []
        corrected = kinds_corrected = 0
        for row in first:
            result = classifier.classify(row.text)
            if corrected < asked and not is_correct(row, result):
                classifier.learn(row.text, row.body)
                lessons.append((row.text, row.body, None))
                corrected += 1
            if kinds_corrected < asked and result.kind != row.kind:
                classifier.learn_kind(row.text, row.kind)
                lessons.append((row.text, None, row.kind))
                kinds_corrected += 1
        top1_taught, kind_taught = _measure(classifier, rest)
        documents = classifier.model_documents(lessons)
        if documents is not None and lessons:
            classifier.use_model(classifier.trainer(*documents))
        top1, kind = _measure(classifier, rest)
        points.append(
            CurvePoint(
                asked, corrected, kinds_corrected, len(rest), top1_taught, kind_taught, top1, kind
            )
        )
    return points


def _measure(classifier: Classifier, rows: Sequence[EvalRow]) -> tuple[float, float]:
    """(top-1, kind accuracy) on `rows`."""
    results = [classifier.classify(row.text) for row in rows]
    if not rows:
        return 0.0, 0.0
    right = sum(is_correct(row, result) for row, result in zip(rows, results, strict=True))
    kinds = sum(row.kind == result.kind for row, result in zip(rows, results, strict=True))
    return right / len(rows), kinds / len(rows)


def format_curve(points: Sequence[CurvePoint]) -> str:
    """The points on one line: "N=10 (7/10 misses to correct): top-1 93.1% → 94.0%
    retrained, kind 80.0% → 82.0%; ..." (one figure when the retrain changed nothing)."""

    def pair(before: float, after: float) -> str:
        return f"{before:.1%}" if before == after else f"{before:.1%} → {after:.1%} retrained"

    return "; ".join(
        f"N={p.asked}"
        + (
            f" ({p.corrected}/{p.kinds_corrected} body/kind misses to correct)"
            if min(p.corrected, p.kinds_corrected) < p.asked
            else ""
        )
        + f": top-1 {pair(p.top1_taught, p.top1)}, kind {pair(p.kind_taught, p.kind)}"
        for p in points
    )
