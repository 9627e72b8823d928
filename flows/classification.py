"""What the classifier answers: ranked candidate bodies, confidence and kind."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    """A body proposed for a report, with its score and the words that point to it."""

    body_id: str
    score: float
    matched: tuple[str, ...]


@dataclass(frozen=True)
class Classification:
    """Ranked candidates (best first: bodies with keyword evidence and, with a learned
    layer, its best three), confidence and kind."""

    candidates: tuple[Candidate, ...]
    confident: bool
    kind: str


def classification_json(text: str, result: Classification) -> dict[str, object]:
    """The result as plain JSON-able data (for the CLI and officers' tools)."""
    return {
        "text": text,
        "candidates": [
            {"id": c.body_id, "score": c.score, "matched": list(c.matched)}
            for c in result.candidates
        ],
        "confident": result.confident,
        "kind": result.kind,
    }
