"""Figure 3, classification: reports per second on one core, latency per report and
start-up of the classifier the bot runs (the Cilegon pack: keyword core and learned
layer), the leave-one-set-out cross-validation (`bench.crossval`), the quality of the
keyword core alone on the older sets (`bench/routing.py`; now training data), and the
learning curve (`bench.learning`).

"First sight" classifies every evaluation text once on a fresh classifier (its token
memo empty, as after a restart); "warm" repeats them (`bench.routing.latencies`).
"""

from __future__ import annotations

import gc
import time
from pathlib import Path

from bench.crossval import cross_validate, labelled_sets, pooled
from bench.learning import format_curve, learning_curve
from bench.report import Row, ms, percentile
from bench.routing import latencies
from flows.city_pack import load_city_pack
from flows.classify import Classifier
from flows.evaluation import Metrics, evaluate_classifier, load_eval_rows, select

EVAL_FILE = Path("tests/data/routing_eval.tsv")
V2_FILES = (Path("tests/data/routing_tune_v2.tsv"), Path("tests/data/routing_heldout_v2.tsv"))
V3_TUNE = Path("tests/data/routing_tune_v3.tsv")
TARGET_P99 = 0.002


def run_classify(repeat: int) -> list[Row]:
    """The classification rows; `repeat` warm rounds over the evaluation texts."""
    old = load_eval_rows(EVAL_FILE)
    v2 = [row for path in V2_FILES if path.exists() for row in load_eval_rows(path)]
    v3 = load_eval_rows(V3_TUNE) if V3_TUNE.exists() else []
    rows = old + v2 + v3
    pack = load_city_pack()
    catalogue = pack.catalogue
    started = time.perf_counter()
    classifier = Classifier(catalogue, lexicon=pack.lexicon, labelled=pack.examples)
    built = time.perf_counter() - started
    gc.collect()
    first = []
    for row in rows:
        started = time.perf_counter()
        classifier.classify(row.text)
        first.append(time.perf_counter() - started)
    warm = latencies(classifier, rows, repeat)
    cpu = latencies(classifier, rows, repeat, time.thread_time)
    held_old = evaluate_classifier(Classifier(catalogue), select(old, "heldout"))
    held_v2 = select(v2, "heldout")
    stream = held_v2 + select(old, "heldout")
    curve = learning_curve(catalogue, stream)
    p99_first, p99_warm = percentile(first, 0.99), percentile(warm, 0.99)
    keyword, blended = pooled(cross_validate(labelled_sets()))
    return [
        Row(
            "Classification throughput, one core",
            f"{len(warm) / sum(warm):,.0f} reports/s warm, {len(first) / sum(first):,.0f}/s "
            f"at first sight ({len(rows)} texts; classifier built in {ms(built)})",
        ),
        Row(
            "Classification latency per report",
            f"p99 {ms(p99_first)} first sight (max {ms(max(first))}); "
            f"p99 {ms(p99_warm)} warm (p50 {ms(percentile(warm, 0.5))}); CPU time p99 "
            f"{ms(percentile(cpu, 0.99))} (p50 {ms(percentile(cpu, 0.5))})",
            f"p99 < {ms(TARGET_P99)}",
            max(p99_first, p99_warm) < TARGET_P99,
        ),
        _quality(
            f"Routing quality, leave-one-set-out, keyword core and learned layer "
            f"({blended.rows} reports)",
            blended,
        ),
        _quality(f"Routing quality, leave-one-set-out, keyword core ({keyword.rows})", keyword),
        *[
            _quality(f"Routing quality, keyword core, held-out v2 ({len(held_v2)} reports)", held)
            for held in ([evaluate_classifier(Classifier(catalogue), held_v2)] if held_v2 else [])
        ],
        _quality(f"Routing quality, keyword core, old held-out ({held_old.rows})", held_old),
        *[
            _quality(f"Routing quality, keyword core, tune v3, tuned on ({len(v3)} reports)", tuned)
            for tuned in ([evaluate_classifier(Classifier(catalogue), v3)] if v3 else [])
        ],
        Row(
            f"Learning curve (keyword core): officers correct the first N misses of "
            f"{len(stream)} held-out "
            "reports' first half; top-1 on the second half",
            format_curve(curve),
        ),
    ]


def _quality(title: str, held: Metrics) -> Row:
    """One quality row (bench/routing.py prints the details)."""
    return Row(
        title,
        f"top-1 {held.top1:.1%}, top-3 {held.top3:.1%}, confident precision "
        f"{held.confident_precision:.1%} ({held.confident_share:.0%} confident), "
        f"kind {held.kind_accuracy:.1%}",
    )
