"""A city pack's labelled complaints (`examples.tsv`): what the learned layer trains on.

The file is tab-separated with the header `body kind text`: the body a complaint went to
(a catalogue id, or `unclear` when it names none), its kind of problem, and the
resident's words. `parse_examples` checks every line against the catalogue and returns
the problems, so a bad pack stops start-up with the line to fix (`flows.city_pack`).
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.catalogue import Catalogue

__all__ = ["HEADER", "UNCLEAR", "LabelledExample", "parse_examples"]

HEADER = ("body", "kind", "text")
UNCLEAR = "unclear"
"""The body of a complaint that names none (trains the kind only)."""


@dataclass(frozen=True)
class LabelledExample:
    """One labelled complaint."""

    body: str
    kind: str
    text: str


def parse_examples(
    text: str, catalogue: Catalogue
) -> tuple[tuple[LabelledExample, ...], list[str]]:
    """The examples of an `examples.tsv` and its problems (line numbers from 1).

    >>> from flows.catalogue import load_catalogue
    >>> parse_examples("body\\tkind\\ttext\\npln\\tsarana_rusak\\tlistrik mati", load_catalogue())
    ((LabelledExample(body='pln', kind='sarana_rusak', text='listrik mati'),), [])
    """
    lines = text.splitlines()
    if not lines or tuple(lines[0].split("\t")) != HEADER:
        return (), [f"line 1: the header must be {' '.join(HEADER)} (tab-separated)"]
    bodies = {body.id for body in catalogue.bodies} | {UNCLEAR}
    kinds = {kind.id for kind in catalogue.kinds}
    examples: list[LabelledExample] = []
    problems: list[str] = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != len(HEADER):
            problems.append(f"line {number}: {len(fields)} fields, expected {len(HEADER)}")
            continue
        body, kind, words = (field.strip() for field in fields)
        if body not in bodies:
            problems.append(f"line {number}: unknown body {body!r}")
        elif kind not in kinds:
            problems.append(f"line {number}: unknown kind {kind!r}")
        elif not words:
            problems.append(f"line {number}: the text is empty")
        else:
            examples.append(LabelledExample(body, kind, words))
    return tuple(examples), problems
