"""Officers' lessons as training documents of the learned layer.

Theory of operation: a lesson is a report's text with the body or the kind an officer
gave it (a re-routing, a confirmed routing, "Ubah jenis"). When the bot retrains
(`service.retraining`), every stored lesson becomes one more document beside the city
pack's labelled complaints: a body lesson trains the body model, a kind lesson the kind
model. A lesson naming a body or kind the catalogue no longer has is left out (the
catalogue was edited since). Texts are normalised as reports are, by the classifier.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flows.catalogue import Catalogue
from flows.learned_model import LabelledText

__all__ = ["LessonText", "lesson_documents"]

LESSON_WEIGHT = 1.0
"""How much one officer's lesson weighs in training beside one of the pack's examples."""

LessonText = tuple[str, str | None, str | None]
"""(text, body id or None, kind id or None): one stored lesson, as the core sees it."""


def lesson_documents(
    catalogue: Catalogue,
    lessons: Iterable[LessonText],
    normalise: Callable[[str], str],
) -> tuple[list[LabelledText], list[LabelledText]]:
    """(body documents, kind documents) of the lessons, in their order."""
    bodies_known = {body.id for body in catalogue.bodies}
    kinds_known = {kind.id for kind in catalogue.kinds}
    bodies: list[LabelledText] = []
    kinds: list[LabelledText] = []
    for text, body, kind in lessons:
        if (body is None or body not in bodies_known) and (kind is None or kind not in kinds_known):
            continue
        normalised = normalise(text)
        if not normalised:
            continue
        if body is not None and body in bodies_known:
            bodies.append(LabelledText(normalised, body, LESSON_WEIGHT))
        if kind is not None and kind in kinds_known:
            kinds.append(LabelledText(normalised, kind, LESSON_WEIGHT))
    return bodies, kinds
