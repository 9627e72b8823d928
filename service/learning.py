"""Officers' lessons reach every worker's classifier, and only once committed.

Theory of operation
-------------------
An officer's decision stores its lesson (a routing or a kind example) in the update's
own transaction, numbered by the database (`storage.queries.learning`); nothing is
taught in memory there, so a transaction that rolls back teaches nothing. Each worker
keeps the number of the newest lesson its classifier learned (`Learning.version`) and
catches up (`Learning.catch_up`): it reads the counter, then the lessons after its
own number up to the counter, and teaches them. It catches up at start (the newest
`START_LESSONS`), right after each of its officers' presses commits (`service.desk`),
as soon as PostgreSQL notifies that any process committed a lesson, and every
`LEARNING_CHECK` seconds whatever the backend (several processes on one SQLite file
have nothing to notify them). Every lesson takes the next number, so a catch-up that
finds fewer lessons than numbers knows some were erased (`/hapusdata`, retention): the
classifier forgets every lesson and learns the remaining ones again, so erased words
leave the running worker's memory too, not only the next trained model.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from flows.classify import Classifier
from service.waiting import wait_any
from storage.base import Lesson, Store

log = logging.getLogger(__name__)

LEARNING_CHECK = 3.0
"""Seconds between two comparisons of the lesson counter with what a worker learned."""

START_LESSONS = 20000
"""At most this many of the newest lessons are taught at start (and per catch-up)."""


@dataclass
class Learning:
    """One worker's classifier, kept up to date with the officers' stored lessons."""

    store: Store
    classifier: Classifier
    version: int = 0
    _busy: asyncio.Lock = field(default_factory=asyncio.Lock, init=False, repr=False)

    async def catch_up(self) -> int:
        """Teach the lessons committed since the last catch-up; returns how many. This
        reads the database."""
        async with self._busy:
            async with self.store.transaction() as tx:
                newest = await tx.learning_version()
                if newest <= self.version:
                    return 0
                lessons = await tx.lessons(self.version, newest, START_LESSONS)
                erased = self.version > 0 and len(lessons) < min(
                    newest - self.version, START_LESSONS
                )
                if erased:
                    lessons = await tx.lessons(0, newest, START_LESSONS)
            if erased:
                log.info("lessons were erased; relearning the %d that remain", len(lessons))
                self.classifier.forget_lessons()
            for lesson in lessons:
                self._teach(lesson)
            self.version = newest
            return len(lessons)

    def _teach(self, lesson: Lesson) -> None:
        """One lesson; one that names a body or kind the catalogue no longer has is
        skipped (the catalogue was edited since)."""
        try:
            if lesson.body is not None:
                self.classifier.learn(lesson.text, lesson.body)
            if lesson.kind is not None:
                self.classifier.learn_kind(lesson.text, lesson.kind)
        except KeyError:
            log.warning("lesson %d names a body or kind not in the catalogue", lesson.version)


async def keep_learning(
    learning: Learning, stop: asyncio.Event, every: float = LEARNING_CHECK
) -> None:
    """Catch up when any process commits a lesson (as far as the backend can tell) and
    every `every` seconds anyway, until `stop` is set."""
    wake = asyncio.Event()
    async with learning.store.learning_wakeups(wake):
        while not stop.is_set():
            await wait_any((stop, wake), every)
            wake.clear()
            if stop.is_set():
                return
            try:
                await learning.catch_up()
            except Exception:
                log.exception("catching up with officers' lessons failed; will try again")
