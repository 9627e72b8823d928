"""Training the routing's learned layer in a short-lived child process.

Theory of operation: scikit-learn and SciPy take about 85 MB of memory and a second to
import, and training leaves heap behind; the bot keeps running for weeks with a memory
target of 200 MB. So the bot trains the layer (`flows.learned_model.fit`) in a spawned
child process, which imports scikit-learn, trains and sends the finished model back
(NumPy arrays and vocabularies, about 7 MB); the child then exits and its memory with
it. The bot's own process holds only the model (about 15 MB). Training is deterministic,
so the model is the one `fit` gives in-process; it is remembered for the same documents,
so several rule sets built in one process train once.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache

from flows.learned_model import LabelledText, LearnedModel, fit

__all__ = ["train_apart"]


def train_apart(bodies: Sequence[LabelledText], kinds: Sequence[LabelledText]) -> LearnedModel:
    """`flows.learned_model.fit` in a child process (a `flows.learned_model.Trainer`)."""
    return _trained_apart(tuple(bodies), tuple(kinds))


@lru_cache(maxsize=2)
def _trained_apart(
    bodies: tuple[LabelledText, ...], kinds: tuple[LabelledText, ...]
) -> LearnedModel:
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: nothing inherited
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as child:
        return child.submit(fit, bodies, kinds).result()
