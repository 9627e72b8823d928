"""Measure the routing classifier: quality per split and latency per report.

    python -m bench.routing tests/data/routing_eval.tsv [--split heldout] [--repeat 50]
        [--learn tune] [--styles tests/data/routing_styles_v2.tsv] [--curve] [--pack]

Quality comes from `flows.evaluation`; latency is timed here with `time.perf_counter`
(flows/ reads no clock). ``--pack`` measures the classifier the bot runs: the city
pack's catalogue and lexicon with the learned layer trained on its labelled examples
(otherwise the keyword core over the catalogue alone). Each report is classified
`--repeat` times after one warm-up pass; the figures are percentiles over all timings.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.learning import format_curve, learning_curve
from flows.catalogue import load_catalogue
from flows.city_pack import load_city_pack
from flows.classify import Classifier
from flows.evaluation import (
    UNCLEAR,
    EvalRow,
    evaluate_classifier,
    format_metrics,
    load_eval_rows,
    select,
    with_styles,
)


def latencies(
    classifier: Classifier,
    rows: Sequence[EvalRow],
    repeat: int,
    clock: Callable[[], float] = time.perf_counter,
) -> list[float]:
    """Seconds per classification, `repeat` rounds over `rows` after one warm-up round
    (wall-clock by default; `time.thread_time` gives CPU time, blind to other load)."""
    for row in rows:
        classifier.classify(row.text)
    timings: list[float] = []
    for _ in range(repeat):
        for row in rows:
            start = clock()
            classifier.classify(row.text)
            timings.append(clock() - start)
    return timings


def percentile(values: Sequence[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    """Print quality and latency figures as Markdown."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tsv", type=Path)
    parser.add_argument("--split", action="append", help="tune or heldout (default: both)")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--catalogue", type=Path, default=None)
    parser.add_argument("--styles", type=Path, help="styles file: figures per style too")
    parser.add_argument(
        "--pack", action="store_true", help="the city pack's classifier (with its learned layer)"
    )
    parser.add_argument(
        "--curve", action="store_true", help="also the learning curve over the chosen rows"
    )
    parser.add_argument(
        "--learn", metavar="SPLIT", help="also measure with this split's rows as officer examples"
    )
    args = parser.parse_args(argv)
    rows = load_eval_rows(args.tsv)
    if args.styles:
        rows = with_styles(rows, args.styles)
    catalogue = load_catalogue(args.catalogue)
    start = time.perf_counter()
    if args.pack:
        pack = load_city_pack()
        catalogue = pack.catalogue
        classifier = Classifier(catalogue, lexicon=pack.lexicon, labelled=pack.examples)
    else:
        classifier = Classifier(catalogue)
    built = time.perf_counter() - start
    for split in args.split or ["tune", "heldout"]:
        chosen = select(rows, split)
        print(format_metrics(evaluate_classifier(classifier, chosen), f"{split} ({args.tsv})"))
        print()
    if args.learn:
        examples = [(r.text, r.body) for r in select(rows, args.learn) if r.body != UNCLEAR]
        learned = Classifier(catalogue, examples)
        for split in args.split or ["tune", "heldout"]:
            if split != args.learn:
                metrics = evaluate_classifier(learned, select(rows, split))
                print(format_metrics(metrics, f"{split}, with the {args.learn} rows as examples"))
                print()
    if args.curve:
        stream = [row for split in args.split or ["tune", "heldout"] for row in select(rows, split)]
        print(f"## learning curve ({len(stream)} reports, bench/learning.py)")
        print(format_curve(learning_curve(catalogue, stream)))
        print()
    gc.collect()
    timings = latencies(classifier, rows, args.repeat)
    ms = [t * 1000 for t in timings]
    python = sys.version.split()[0]
    print(f"## latency ({len(rows)} reports x {args.repeat} rounds, Python {python})")
    print(f"classifier built in {built * 1000:.0f} ms")
    print(
        f"per report: mean {statistics.fmean(ms):.3f} ms, p50 {percentile(ms, 0.5):.3f} ms, "
        f"p99 {percentile(ms, 0.99):.3f} ms, max {max(ms):.3f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
