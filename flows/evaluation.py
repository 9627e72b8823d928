"""Routing quality measured on a labelled set of reports (`tests/data/routing_eval.tsv`,
`routing_tune_v2.tsv` and its held-out sibling).

Rows are `(split, body, kind, text)`, optionally with a `style` column
(`routing_tune_v3.tsv`: `split body kind style text`); `split` is `tune` (for tuning)
or `heldout` (only ever measured), `body` is a catalogue id or `unclear` (the report
names no body: the right answer is "not sure"). Unclear rows count as correct when the
classifier is not confident and are left out of top-1 and top-3. A styles file (`split
line style`, line counted from 1 within the split) gives the rows of older sets their
style (short, long, formal, caps, jawa, sunda, saidno, incidental, place) for figures
per style. Timing is the caller's
job (`flows` reads no clock); see `bench/routing.py`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from flows.classify import Classification, Classifier

UNCLEAR = "unclear"
"""Gold label of a report that names no body."""


@dataclass(frozen=True)
class EvalRow:
    """One labelled report."""

    split: str
    body: str
    kind: str
    text: str
    style: str = ""


@dataclass(frozen=True)
class BodyScore:
    """Top-1 of the reports whose gold body is one body."""

    body: str
    rows: int
    top1: float


@dataclass(frozen=True)
class StyleScore:
    """Figures of the reports written in one style."""

    style: str
    rows: int
    top1: float
    top3: float
    confident_share: float
    confident_precision: float
    kind_accuracy: float


@dataclass(frozen=True)
class Metrics:
    """Quality figures of one run; shares are 0..1 (0 when there is nothing to count)."""

    rows: int
    routable: int
    top1: float
    top3: float
    confident_share: float
    confident_precision: float
    unclear_rows: int
    unclear_correct: float
    kind_accuracy: float
    per_body: tuple[BodyScore, ...]
    per_style: tuple[StyleScore, ...] = ()


def load_eval_rows(path: Path) -> list[EvalRow]:
    """Read the TSV (header `split body kind [style] text`); blank lines are skipped."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            EvalRow(
                row["split"].strip(),
                row["body"].strip(),
                row["kind"].strip(),
                row["text"],
                (row.get("style") or "").strip(),
            )
            for row in reader
            if row.get("text")
        ]


def with_styles(rows: Sequence[EvalRow], path: Path) -> list[EvalRow]:
    """The rows with the style the styles file gives them (line counted within a split)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        styles = {(r["split"].strip(), int(r["line"])): r["style"].strip() for r in reader}
    seen: dict[str, int] = {}
    out = []
    for row in rows:
        seen[row.split] = line = seen.get(row.split, 0) + 1
        out.append(replace(row, style=styles.get((row.split, line), row.style)))
    return out


def select(rows: Iterable[EvalRow], split: str | None) -> list[EvalRow]:
    """The rows of one split (all rows when `split` is None)."""
    return [row for row in rows if split is None or row.split == split]


def is_correct(row: EvalRow, result: Classification) -> bool:
    """Right body first (or, for an unclear report, no confident answer)."""
    if row.body == UNCLEAR:
        return not result.confident
    return bool(result.candidates) and result.candidates[0].body_id == row.body


def evaluate(rows: Sequence[EvalRow], results: Sequence[Classification]) -> Metrics:
    """Metrics of `results`, the classifications of `rows` in the same order."""
    if len(rows) != len(results):
        raise ValueError(f"{len(rows)} rows but {len(results)} results")
    pairs = list(zip(rows, results, strict=True))
    routable = [(row, res) for row, res in pairs if row.body != UNCLEAR]
    unclear = [(row, res) for row, res in pairs if row.body == UNCLEAR]
    confident = [(row, res) for row, res in pairs if res.confident]
    return Metrics(
        rows=len(pairs),
        routable=len(routable),
        top1=_share(is_correct(row, res) for row, res in routable),
        top3=_share(row.body in _top(res, 3) for row, res in routable),
        confident_share=_share(res.confident for _, res in pairs),
        confident_precision=_share(is_correct(row, res) for row, res in confident),
        unclear_rows=len(unclear),
        unclear_correct=_share(is_correct(row, res) for row, res in unclear),
        kind_accuracy=_share(res.kind == row.kind for row, res in pairs),
        per_body=_per_body(routable),
        per_style=_per_style(pairs),
    )


def evaluate_classifier(classifier: Classifier, rows: Sequence[EvalRow]) -> Metrics:
    """Classify every row and measure the results."""
    return evaluate(rows, [classifier.classify(row.text) for row in rows])


def format_metrics(metrics: Metrics, title: str = "") -> str:
    """A plain-text report of the metrics (Markdown-friendly)."""
    lines = [f"## {title}"] if title else []
    lines += [
        f"rows: {metrics.rows} ({metrics.routable} routable, {metrics.unclear_rows} unclear)",
        f"top-1: {metrics.top1:.1%}",
        f"top-3: {metrics.top3:.1%}",
        f"confident answers: {metrics.confident_share:.1%} of rows, "
        f"{metrics.confident_precision:.1%} precise",
        f"unclear rows answered 'not sure': {metrics.unclear_correct:.1%}",
        f"kind accuracy: {metrics.kind_accuracy:.1%}",
        "",
        "| body | rows | top-1 |",
        "|---|---:|---:|",
    ]
    lines += [f"| {b.body} | {b.rows} | {b.top1:.0%} |" for b in metrics.per_body]
    if metrics.per_style:
        lines += [
            "",
            "| style | rows | top-1 | top-3 | confident | precise | kind |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {s.style} | {s.rows} | {s.top1:.0%} | {s.top3:.0%} | "
            f"{s.confident_share:.0%} | {s.confident_precision:.0%} | {s.kind_accuracy:.0%} |"
            for s in metrics.per_style
        ]
    return "\n".join(lines)


def _top(result: Classification, n: int) -> list[str]:
    """Ids of the first `n` candidates."""
    return [candidate.body_id for candidate in result.candidates[:n]]


def _per_body(pairs: Sequence[tuple[EvalRow, Classification]]) -> tuple[BodyScore, ...]:
    """Top-1 per gold body, in alphabetical order."""
    bodies = sorted({row.body for row, _ in pairs})
    return tuple(
        BodyScore(
            body,
            sum(1 for row, _ in pairs if row.body == body),
            _share(is_correct(row, res) for row, res in pairs if row.body == body),
        )
        for body in bodies
    )


def _per_style(pairs: Sequence[tuple[EvalRow, Classification]]) -> tuple[StyleScore, ...]:
    """Figures per style, in alphabetical order (none when no row has a style)."""
    out = []
    for style in sorted({row.style for row, _ in pairs if row.style}):
        mine = [(row, res) for row, res in pairs if row.style == style]
        routable = [(row, res) for row, res in mine if row.body != UNCLEAR]
        confident = [(row, res) for row, res in mine if res.confident]
        out.append(
            StyleScore(
                style,
                len(mine),
                _share(is_correct(row, res) for row, res in routable),
                _share(row.body in _top(res, 3) for row, res in routable),
                _share(res.confident for _, res in mine),
                _share(is_correct(row, res) for row, res in confident),
                _share(res.kind == row.kind for row, res in mine),
            )
        )
    return tuple(out)


def _share(flags: Iterable[bool]) -> float:
    """Fraction of true flags (0 for none)."""
    values = list(flags)
    return sum(values) / len(values) if values else 0.0
