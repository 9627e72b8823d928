"""Routing quality on the labelled evaluation sets: floors a few points under the measured
figures (docs/routing.md), so a catalogue edit that loses accuracy fails here.

The old held-out rows were never used for tuning; see docs/routing.md before editing them.
The v2 rows (held-out v2 measured once, then tuning data) were tuned on, so their floors
guard against regressions only; tune v3 floors are in test_routing_kinds.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.catalogue import load_catalogue
from flows.classify import Candidate, Classification, Classifier
from flows.evaluation import (
    EvalRow,
    Metrics,
    evaluate,
    evaluate_classifier,
    load_eval_rows,
    select,
    with_styles,
)

DATA = Path(__file__).resolve().parent.parent / "data"
EVAL_SET = DATA / "routing_eval.tsv"
TUNE_V2 = DATA / "routing_tune_v2.tsv"
HELDOUT_V2 = DATA / "routing_heldout_v2.tsv"
STYLES_V2 = DATA / "routing_styles_v2.tsv"


@pytest.fixture(scope="module")
def rows() -> list[EvalRow]:
    return load_eval_rows(EVAL_SET)


@pytest.fixture(scope="module")
def heldout(rows: list[EvalRow]) -> Metrics:
    return evaluate_classifier(Classifier(load_catalogue()), select(rows, "heldout"))


def test_eval_set_has_both_splits_and_known_labels(rows: list[EvalRow]) -> None:
    catalogue = load_catalogue()
    known = {body.id for body in catalogue.bodies} | {"unclear"}
    kinds = {kind.id for kind in catalogue.kinds}
    assert {row.split for row in rows} == {"tune", "heldout"}
    assert {row.body for row in rows} <= known
    assert {row.kind for row in rows} <= kinds


def test_heldout_top1(heldout: Metrics) -> None:
    assert heldout.top1 >= 0.87  # measured 93.2% (second round)


def test_heldout_top3(heldout: Metrics) -> None:
    assert heldout.top3 >= 0.95  # measured 98.4%


def test_heldout_confident_answers_are_precise(heldout: Metrics) -> None:
    assert heldout.confident_precision >= 0.95  # measured 98.5%
    assert heldout.confident_share >= 0.60  # measured 66.8%


def test_heldout_unclear_reports_get_no_confident_answer(heldout: Metrics) -> None:
    assert heldout.unclear_correct >= 0.9  # measured 100%


def test_heldout_kind(heldout: Metrics) -> None:
    assert heldout.kind_accuracy >= 0.55  # measured 65.8% (looser labels than the guide)


def test_metrics_count_unclear_rows_only_by_confidence() -> None:
    sure = Classification((Candidate("dlh", 3.0, ("sampah",)),), True, "lainnya")
    unsure = Classification((Candidate("dlh", 1.0, ("sampah",)),), False, "lainnya")
    rows = [
        EvalRow("heldout", "dlh", "lainnya", "sampah numpuk"),
        EvalRow("heldout", "pdam", "lainnya", "air mati"),
        EvalRow("heldout", "unclear", "lainnya", "tolong pak"),
        EvalRow("heldout", "unclear", "lainnya", "sampah?"),
    ]
    metrics = evaluate(rows, [sure, unsure, unsure, sure])
    assert metrics.routable == 2 and metrics.unclear_rows == 2
    assert metrics.top1 == 0.5 and metrics.top3 == 0.5
    assert metrics.confident_share == 0.5
    assert metrics.confident_precision == 0.5  # the confident unclear row is wrong
    assert metrics.unclear_correct == 0.5
    assert [(b.body, b.rows, b.top1) for b in metrics.per_body] == [
        ("dlh", 1, 1.0),
        ("pdam", 1, 0.0),
    ]


def test_evaluate_needs_one_result_per_row() -> None:
    with pytest.raises(ValueError):
        evaluate([EvalRow("tune", "dlh", "lainnya", "sampah")], [])


@pytest.fixture(scope="module")
def tune_v2() -> Metrics:
    rows = with_styles(load_eval_rows(TUNE_V2), STYLES_V2)
    return evaluate_classifier(Classifier(load_catalogue()), rows)


def test_tune_v2_floors(tune_v2: Metrics) -> None:
    assert tune_v2.top1 >= 0.93  # measured 95.8% (tuned on)
    assert tune_v2.top3 >= 0.98  # measured 100%
    assert tune_v2.confident_precision >= 0.97  # measured 98.9%
    assert tune_v2.confident_share >= 0.70  # measured 75.6%
    assert tune_v2.kind_accuracy >= 0.60  # measured 69.0%


@pytest.fixture(scope="module")
def heldout_v2() -> Metrics:
    rows = with_styles(load_eval_rows(HELDOUT_V2), STYLES_V2)
    return evaluate_classifier(Classifier(load_catalogue()), rows)


def test_heldout_v2_floors(heldout_v2: Metrics) -> None:
    assert heldout_v2.top1 >= 0.90  # 92.8% held out, 93.2% now (tuning data since)
    assert heldout_v2.top3 >= 0.98  # measured 100%
    assert heldout_v2.confident_precision >= 0.96  # 98.3% held out, 98.9% now
    assert heldout_v2.confident_share >= 0.70  # 74.7% held out, 74.3% now
    assert heldout_v2.unclear_correct >= 0.9  # measured 100%
    assert heldout_v2.kind_accuracy >= 0.55  # 61.4% (older labelling conventions)


def test_tune_v2_has_every_style_and_body(tune_v2: Metrics) -> None:
    styles = {s.style for s in tune_v2.per_style}
    assert styles == {
        "short", "long", "formal", "caps", "jawa", "sunda", "saidno", "incidental", "place",
    }  # fmt: skip
    assert len(tune_v2.per_body) == 27
    assert all(s.top3 >= 0.9 for s in tune_v2.per_style)


def test_styles_are_given_by_line_within_the_split(tmp_path: Path) -> None:
    styles = tmp_path / "styles.tsv"
    styles.write_text("split\tline\tstyle\ntune\t1\tshort\ntune\t2\tcaps\nheldout\t1\tjawa\n")
    rows = [
        EvalRow("tune", "dlh", "lainnya", "sampah numpuk"),
        EvalRow("heldout", "pdam", "lainnya", "banyu mati"),
        EvalRow("tune", "pln", "lainnya", "LISTRIK PADAM"),
    ]
    assert [r.style for r in with_styles(rows, styles)] == ["short", "jawa", "caps"]
    sure = Classification((Candidate("dlh", 3.0, ("sampah",)),), True, "lainnya")
    metrics = evaluate(with_styles(rows, styles), [sure, sure, sure])
    assert [(s.style, s.rows, s.top1) for s in metrics.per_style] == [
        ("caps", 1, 0.0),
        ("jawa", 1, 0.0),
        ("short", 1, 1.0),
    ]
