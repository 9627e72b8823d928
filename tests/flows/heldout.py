"""The spent held-out sets, measured as the lead measured them once: the classifier the
bot runs (the city pack's learned layer blended with the keyword core) or the keyword
core alone, on a set's held-out rows. Shared by `test_routing_heldout_v*.py`."""

from __future__ import annotations

from pathlib import Path

from flows.city_pack import load_city_pack
from flows.classify import Classifier
from flows.evaluation import EvalRow, Metrics, evaluate_classifier, load_eval_rows, select

DATA = Path(__file__).resolve().parent.parent / "data"


def heldout_rows(name: str) -> list[EvalRow]:
    """The held-out rows of `tests/data/<name>`."""
    return select(load_eval_rows(DATA / name), "heldout")


def measured(name: str, *, blended: bool) -> Metrics:
    """The figures of the set's held-out rows: blended (as shipped) or keyword core."""
    pack = load_city_pack()
    labelled = pack.examples if blended else ()
    classifier = Classifier(pack.catalogue, lexicon=pack.lexicon, labelled=labelled)
    return evaluate_classifier(classifier, heldout_rows(name))


def training_texts() -> set[str]:
    """The texts the city pack's model is trained on."""
    return {example.text for example in load_city_pack().examples}
