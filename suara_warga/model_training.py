"""Training the routing's learned layer for the bot: in a child process, kept on disk.

Theory of operation: scikit-learn and SciPy take about 85 MB of memory and a second to
import, and training leaves heap behind; the bot keeps running for weeks with a memory
target of 200 MB, and restarts (a deploy, a crash) should be quick. So:

1. The model is looked up in the cache folder under the fingerprint of its training
   documents and settings (`flows.learned_model.fingerprint`): a model kept there is
   exactly the one training would give (training is deterministic). Reading it needs
   NumPy only (`.npz`, no pickle) and takes a few milliseconds.
2. Otherwise it is trained in a spawned child process (`flows.learned_model.fit`), which
   imports scikit-learn, trains and sends the model back; the child then exits with its
   memory. The model is written to the cache (atomically; a folder that cannot be
   written only costs the next start its training).

The pack's models (`routing-model-*.npz`) hold nothing personal: the arrays are n-grams
of the pack's labelled complaints and weights; models for other documents are left in
place (a few MB each). A model retrained with officers' lessons (`service.retraining`;
`trainer_for(cache, lessons=True)`) holds n-grams of residents' stories: it is kept as
`routing-lessons-*.npz`, and keeping one deletes the other lesson models, so an erased
lesson leaves the disk at the next retrain too.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import tempfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import numpy as np

from flows.learned_model import LabelledText, LearnedModel, Trainer, fingerprint, fit

__all__ = ["default_cache", "train_apart", "trainer_for"]

log = logging.getLogger(__name__)


def default_cache() -> Path:
    """`$XDG_CACHE_HOME/suara-warga` (else `~/.cache/suara-warga`)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "suara-warga"


PACK_MODELS = "routing-model"
LESSON_MODELS = "routing-lessons"


def trainer_for(cache: Path | None, *, lessons: bool = False) -> Trainer:
    """A trainer that keeps models in `cache` (None: never kept); with `lessons`, as the
    one current lesson model."""
    return partial(train_apart, cache=cache, lessons=lessons)


def train_apart(
    bodies: Sequence[LabelledText],
    kinds: Sequence[LabelledText],
    cache: Path | None = None,
    *,
    lessons: bool = False,
) -> LearnedModel:
    """The model for these documents: from `cache` if kept there, else trained in a child
    process (then kept). Remembered within the process too."""
    return _model(tuple(bodies), tuple(kinds), cache, lessons)


@lru_cache(maxsize=2)
def _model(
    bodies: tuple[LabelledText, ...],
    kinds: tuple[LabelledText, ...],
    cache: Path | None,
    lessons: bool,
) -> LearnedModel:
    prefix = LESSON_MODELS if lessons else PACK_MODELS
    path = cache / f"{prefix}-{fingerprint(bodies, kinds)[:24]}.npz" if cache else None
    if path is not None and path.is_file():
        try:
            with np.load(path, allow_pickle=False) as arrays:
                return LearnedModel.from_arrays(dict(arrays.items()))
        except (OSError, KeyError, ValueError) as exc:
            log.warning("routing model %s unreadable (%s); training again", path, exc)
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: nothing inherited
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as child:
        model = child.submit(fit, bodies, kinds).result()
    if path is not None:
        _keep(model, path)
        if lessons:
            _forget_others(path)
    return model


def _forget_others(path: Path) -> None:
    """Delete the lesson models other than `path` (they may hold erased lessons)."""
    for other in path.parent.glob(f"{LESSON_MODELS}-*.npz"):
        if other != path:
            other.unlink(missing_ok=True)


def _keep(model: LearnedModel, path: Path) -> None:
    """Write the model to `path` atomically; a failure is logged, not raised."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, Any] = model.arrays()
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".npz", delete=False) as tmp:
            np.savez(tmp, **arrays)
        os.replace(tmp.name, path)
    except OSError as exc:
        log.warning("routing model not kept in %s: %s", path.parent, exc)
