"""Leave-one-set-out cross-validation of the learned layer: the estimate for unseen writers.

    python -m bench.crossval                     # the labelled sets, per set and pooled
    python -m bench.crossval --validate FILE     # train on all sets, measure FILE once
    python -m bench.crossval --curve             # learning curve per fold, blended
    python -m bench.crossval --confusion         # which kinds are taken for which, per set
    python -m bench.crossval --pre-guide-kind-weight 0.3   # pre-guide kinds count less
    python -m bench.crossval --stream            # one long curve: newer sets streamed

Each labelled set in turn is left out; the learned layer is trained on the other sets
(plus the catalogue's phrases, as at start) and measured on the left-out set, beside the
keyword core alone (`Classifier` without examples). The keyword core was tuned on some
of these rows (tune v2, tune v3 and the old tune rows), so its figures on those sets are
optimistic; held-out v3 is the one set neither was fitted on. The pooled figure
measures every row once, each by the classifier that did not see its set.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.learning import format_curve, learning_curve
from flows import learned_model
from flows.city_pack import load_city_pack
from flows.classify import Classification, Classifier
from flows.evaluation import EvalRow, Metrics, evaluate, load_eval_rows, with_styles
from flows.labelled_examples import LabelledExample
from flows.learned_model import LabelledText, LearnedModel, Trainer

DATA = Path("tests/data")
SETS = (
    ("old (eval)", DATA / "routing_eval.tsv"),
    ("tune v2", DATA / "routing_tune_v2.tsv"),
    ("held-out v2", DATA / "routing_heldout_v2.tsv"),
    ("tune v3", DATA / "routing_tune_v3.tsv"),
    ("held-out v3", DATA / "routing_heldout_v3.tsv"),
    ("tune v4", DATA / "routing_tune_v4.tsv"),
    ("tune v5", DATA / "routing_tune_v5.tsv"),
)
STYLES_V2 = DATA / "routing_styles_v2.tsv"
PRE_GUIDE = frozenset({"old (eval)", "tune v2", "held-out v2"})
"""Sets whose kinds were labelled before the labelling guide (docs/routing.md)."""


@dataclass(frozen=True)
class Fold:
    """One left-out set: its rows, the keyword core's and the blend's answers."""

    name: str
    rows: list[EvalRow]
    keyword: list[Classification]
    blended: list[Classification]
    trained_in: float


def labelled_sets(sets: Sequence[tuple[str, Path]] = SETS) -> list[tuple[str, list[EvalRow]]]:
    """The labelled sets that exist, with the v2 styles where known."""
    out = []
    for name, path in sets:
        if not path.exists():
            continue
        rows = load_eval_rows(path)
        if "v2" in name and STYLES_V2.exists():
            rows = with_styles(rows, STYLES_V2)
        out.append((name, rows))
    return out


OLDER = ("old (eval)", "tune v2", "held-out v2")
"""The sets a long learning curve trains on; the newer ones are its stream."""


def long_curve(sets: Sequence[tuple[str, list[EvalRow]]]) -> str:
    """The learning curve on a longer stream (more misses to correct than one set has):
    trained on the older sets, the newer sets streamed one after another."""
    pack = load_city_pack()
    older = examples_of([row for name, rows in sets if name in OLDER for row in rows])
    stream = [row for name, rows in sets if name not in OLDER for row in rows]
    curve = learning_curve(pack.catalogue, stream, labelled=older, lexicon=pack.lexicon)
    newer = ", ".join(name for name, _ in sets if name not in OLDER)
    return f"learning curve, {newer} streamed ({len(stream)} rows): {format_curve(curve)}"


def examples_of(rows: Sequence[EvalRow]) -> list[LabelledExample]:
    """The rows as the city pack's labelled examples."""
    return [LabelledExample(row.body, row.kind, row.text) for row in rows]


def kind_weighted(down: frozenset[tuple[str, str]], weight: float) -> Trainer:
    """A trainer whose kind documents in `down` ((normalised text, kind) pairs) count
    `weight` (0 leaves them out); body documents are untouched."""

    def trainer(bodies: Sequence[LabelledText], kinds: Sequence[LabelledText]) -> LearnedModel:
        kept = [
            LabelledText(d.text, d.label, d.weight * weight) if (d.text, d.label) in down else d
            for d in kinds
        ]
        return learned_model.train(bodies, [d for d in kept if d.weight > 0])

    return trainer


def cross_validate(
    sets: Sequence[tuple[str, list[EvalRow]]], pre_guide_kind_weight: float = 1.0
) -> list[Fold]:
    """One fold per set: trained on the others, measured on it (the kinds of the
    pre-guide sets weighted `pre_guide_kind_weight` in the kind model)."""
    pack = load_city_pack()
    keyword = Classifier(pack.catalogue, lexicon=pack.lexicon)
    normalise = keyword._normalised  # the learned layer's reading, as at start
    folds = []
    for name, rows in sets:
        others = [row for other, mine in sets if other != name for row in mine]
        trainer: Trainer = learned_model.train
        if pre_guide_kind_weight != 1.0:
            post = {(normalise(r.text), r.kind) for o, m in sets if o not in PRE_GUIDE for r in m}
            pre = {(normalise(r.text), r.kind) for o, m in sets if o in PRE_GUIDE for r in m}
            trainer = kind_weighted(frozenset(pre - post), pre_guide_kind_weight)
        started = time.perf_counter()
        blended = Classifier(
            pack.catalogue, lexicon=pack.lexicon, labelled=examples_of(others), trainer=trainer
        )
        trained_in = time.perf_counter() - started
        folds.append(
            Fold(
                name,
                rows,
                [keyword.classify(row.text) for row in rows],
                [blended.classify(row.text) for row in rows],
                trained_in,
            )
        )
    return folds


def kind_confusions(fold: Fold, least: int = 3) -> list[tuple[str, str, int]]:
    """(labelled kind, blended kind, rows) of the fold's kind mistakes made at least
    `least` times, most frequent first."""
    counts = Counter(
        (row.kind, result.kind)
        for row, result in zip(fold.rows, fold.blended, strict=True)
        if row.kind != result.kind
    )
    return [(a, b, n) for (a, b), n in counts.most_common() if n >= least]


def pooled(folds: Sequence[Fold]) -> tuple[Metrics, Metrics]:
    """(keyword, blended) metrics over every fold's rows together."""
    rows = [row for fold in folds for row in fold.rows]
    return (
        evaluate(rows, [r for fold in folds for r in fold.keyword]),
        evaluate(rows, [r for fold in folds for r in fold.blended]),
    )


def table(lines: Sequence[tuple[str, int, Metrics, Metrics]]) -> str:
    """A Markdown table: per line, keyword core then blend."""
    out = [
        "| set | rows | top-1 kw / blend | top-3 kw / blend | confident kw / blend "
        "| precise kw / blend | kind kw / blend |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, rows, kw, bl in lines:
        out.append(
            f"| {name} | {rows} | {kw.top1:.1%} / **{bl.top1:.1%}** | {kw.top3:.1%} / "
            f"**{bl.top3:.1%}** | {kw.confident_share:.1%} / **{bl.confident_share:.1%}** | "
            f"{kw.confident_precision:.1%} / **{bl.confident_precision:.1%}** | "
            f"{kw.kind_accuracy:.1%} / **{bl.kind_accuracy:.1%}** |"
        )
    return "\n".join(out)


def validate(path: Path) -> str:
    """Train on every labelled set (the pack's examples) and measure one other file."""
    pack = load_city_pack()
    rows = load_eval_rows(path)
    keyword = Classifier(pack.catalogue, lexicon=pack.lexicon)
    blended = Classifier(pack.catalogue, lexicon=pack.lexicon, labelled=pack.examples)
    kw = evaluate(rows, [keyword.classify(row.text) for row in rows])
    bl = evaluate(rows, [blended.classify(row.text) for row in rows])
    lines = [(f"{path.name}", len(rows), kw, bl)]
    for style in sorted({row.style for row in rows if row.style}):
        mine = [i for i, row in enumerate(rows) if row.style == style]
        chosen = [rows[i] for i in mine]
        lines.append(
            (
                f"  {style}",
                len(mine),
                evaluate(chosen, [keyword.classify(row.text) for row in chosen]),
                evaluate(chosen, [blended.classify(row.text) for row in chosen]),
            )
        )
    return table(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the cross-validation (or one validation file) as Markdown."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--validate", type=Path, help="train on all sets, measure this file")
    parser.add_argument("--curve", action="store_true", help="learning curve per fold")
    parser.add_argument("--confusion", action="store_true", help="kind mistakes per set")
    parser.add_argument(
        "--pre-guide-kind-weight", type=float, default=1.0, help="weight of pre-guide kinds"
    )
    parser.add_argument("--stream", action="store_true", help="only the long learning curve")
    args = parser.parse_args(argv)
    if args.validate:
        print(validate(args.validate))
        return 0
    if args.stream:
        print(long_curve(labelled_sets()))
        return 0
    sets = labelled_sets()
    folds = cross_validate(sets, args.pre_guide_kind_weight)
    lines = [
        (
            fold.name,
            len(fold.rows),
            evaluate(fold.rows, fold.keyword),
            evaluate(fold.rows, fold.blended),
        )
        for fold in folds
    ]
    for label, chosen in (
        ("pooled, pre-guide sets", [f for f in folds if f.name in PRE_GUIDE]),
        ("pooled, guide-labelled sets", [f for f in folds if f.name not in PRE_GUIDE]),
    ):
        if chosen and len(chosen) < len(folds):
            kw, bl = pooled(chosen)
            lines.append((label, kw.rows, kw, bl))
    kw, bl = pooled(folds)
    lines.append(("**pooled**", kw.rows, kw, bl))
    print(table(lines))
    if args.confusion:
        for fold in folds:
            print(f"\nkind mistakes (labelled -> blended, 3 or more), {fold.name}:")
            print("\n".join(f"  {a} -> {b}: {n}" for a, b, n in kind_confusions(fold)))
    trained = ", ".join(f"{fold.trained_in:.2f}" for fold in folds)
    print(f"\nclassifier with the learned layer built in {trained} s per fold")
    if args.curve:
        pack = load_city_pack()
        for name, rows in sets:
            others = examples_of([row for other, mine in sets if other != name for row in mine])
            curve = learning_curve(pack.catalogue, rows, labelled=others, lexicon=pack.lexicon)
            print(f"learning curve, {name} (blended): {format_curve(curve)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
