"""Officers' lessons join the learned layer's training data: the bot retrains in the
background and swaps the new model in.

Theory of operation
-------------------
`service.learning` teaches every committed lesson at once to the near-duplicate memory
and the learned words; the learned model (`flows.learned_model`) is only as new as its
last training. A worker retrains (`Retraining.retrain`) when the lessons changed since
its model was trained (`learning_version`; an erasure that deletes lessons advances it
too) and either `RetrainPolicy.after` lessons changed or none arrived for
`RetrainPolicy.quiet` seconds (`due`), and once at start when any lesson is stored.

A retrain reads *all* stored lessons (the newest `MAX_LESSONS`), so an erased lesson is
simply absent from the next model. Their documents are built on the event loop in small
slices (the classifier normalises them); the training itself runs in a worker thread
that waits for the trainer, which in the bot trains in a short-lived child process
(`suara_warga.model_training`), so the event loop keeps answering and the old model
answers meanwhile. The new model is swapped in with one assignment. A trainer that fails
(a crashed child) changes nothing: the old model stays, and the worker tries again after
the next quiet period.

Training is deterministic and does not depend on the order of the documents, so workers
that read the same lessons get the same model, with the same fingerprint (the cache's
name for it). During a burst, workers may retrain at different lesson numbers for a
while; once the lessons are quiet for `quiet` seconds every worker has retrained on all
of them, and they agree.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from flows.classify import Classifier
from flows.learned_lessons import LessonText
from flows.learned_model import LabelledText, Trainer, fingerprint
from service.waiting import wait_any
from storage.base import Lesson, Store

__all__ = [
    "DEFAULT_RETRAIN_POLICY",
    "MAX_LESSONS",
    "RetrainPolicy",
    "Retraining",
    "due",
    "keep_retraining",
]

log = logging.getLogger(__name__)

MAX_LESSONS = 20000
"""At most this many of the newest lessons join the training data."""
_SLICE = 200
"""Lessons normalised between two yields to the event loop."""

Documents = tuple[list[LabelledText], list[LabelledText]]


@dataclass(frozen=True)
class RetrainPolicy:
    """When a worker retrains (`[learning]` in the configuration)."""

    after: int = 20
    """Retrain as soon as this many lessons changed since the model was trained."""
    quiet: float = 600.0
    """... or when fewer changed but none for this many seconds."""
    check: float = 30.0
    """Seconds between two looks at the lesson counter."""


def due(changed: int, quiet_for: float, policy: RetrainPolicy) -> bool:
    """Whether `changed` lesson changes, the newest `quiet_for` seconds ago, call for a
    retrain.

    >>> due(0, 9999, RetrainPolicy()), due(20, 0, RetrainPolicy()), due(3, 600, RetrainPolicy())
    (False, True, True)
    """
    return changed > 0 and (changed >= policy.after or quiet_for >= policy.quiet)


DEFAULT_RETRAIN_POLICY = RetrainPolicy()


@dataclass
class Retraining:
    """One worker's learned model, retrained with the officers' stored lessons.

    `trainer` (None: the classifier's own) trains the model from the documents; in the
    bot it trains in a child process and keeps the model on disk."""

    store: Store
    classifier: Classifier
    trainer: Trainer | None = None
    version: int = 0
    """The lesson counter when the model in use was trained (0: the pack's only)."""
    fingerprint: str = ""
    """The fingerprint of the model in use ("" : the classifier has no learned layer)."""
    swapped: asyncio.Event = field(default_factory=asyncio.Event, init=False, repr=False)
    """Set each time a retrained model is swapped in (for whoever waits for one)."""
    _busy: asyncio.Lock = field(default_factory=asyncio.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        pack = self.classifier.model_documents()
        self.fingerprint = fingerprint(*pack) if pack is not None else ""

    async def retrain(self) -> bool:
        """Train on the pack and all stored lessons and swap the model in, unless it is
        the one in use; returns whether the model changed. A trainer's failure is
        raised, and the old model stays. This reads the database."""
        async with self._busy:
            async with self.store.transaction() as tx:
                newest = await tx.learning_version()
                lessons = await tx.lessons(0, newest, MAX_LESSONS)
            documents = await self._documents(lessons)
            if documents is None:
                self.version = newest
                return False
            wanted = await asyncio.to_thread(fingerprint, *documents)
            if wanted == self.fingerprint:
                self.version = newest
                return False
            trainer = self.trainer or self.classifier.trainer
            model = await asyncio.to_thread(trainer, *documents)
            self.classifier.use_model(model)
            self.version, self.fingerprint = newest, wanted
            self.swapped.set()
            log.info("routing model retrained with %d officers' lessons", len(lessons))
            return True

    async def _documents(self, lessons: Sequence[Lesson]) -> Documents | None:
        """The training documents, normalised a slice at a time between yields."""
        texts: list[LessonText] = [(x.text, x.body, x.kind) for x in lessons]
        pack = self.classifier.model_documents()
        if pack is None:
            return None
        bodies, kinds = pack
        for start in range(0, len(texts), _SLICE):
            await asyncio.sleep(0)
            more = self.classifier.model_documents(texts[start : start + _SLICE])
            assert more is not None
            bodies += more[0][len(pack[0]) :]
            kinds += more[1][len(pack[1]) :]
        return bodies, kinds


async def keep_retraining(
    retraining: Retraining,
    stop: asyncio.Event,
    policy: RetrainPolicy,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Retrain at start when lessons are stored, then whenever `due`, until `stop`."""
    seen, since, first, retry_at = 0, clock(), True, clock()
    while not stop.is_set():
        try:
            async with retraining.store.transaction() as tx:
                newest = await tx.learning_version()
            if newest != seen:
                seen, since = newest, clock()
            changed = newest - retraining.version
            wanted = due(changed, clock() - since, policy) or (first and changed > 0)
            if wanted and clock() >= retry_at:
                await retraining.retrain()
        except Exception:
            log.exception("retraining the routing model failed; the old model stays")
            retry_at = clock() + policy.quiet  # not again before a quiet period
        first = False
        await wait_any((stop,), policy.check)
