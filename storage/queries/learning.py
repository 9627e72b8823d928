"""What officers teach the classifier: routing and kind examples, numbered by lesson.

Every example takes the next lesson number from the one-row counter `learning_version`
(``UPDATE ... RETURNING``, which holds the row's lock until the transaction ends), so
lessons commit in number order: once a worker reads the counter at N, every lesson up
to N is visible, and "the lessons after what I know, up to N" misses none. A rolled
back transaction takes its number back with it.
"""

from __future__ import annotations

from datetime import datetime

from storage.interface.learning import Lesson
from storage.queries.runner import Runner

_LESSONS = (
    "SELECT version, text, body, kind FROM ("
    "SELECT version, text, body, NULL AS kind FROM routing_examples "
    "WHERE version > ? AND version <= ? "
    "UNION ALL SELECT version, text, NULL AS body, kind FROM kind_examples "
    "WHERE version > ? AND version <= ? "
    "ORDER BY version DESC LIMIT ?) AS newest ORDER BY version"
)


class LearningQueries(Runner):
    """Officers' lessons for the classifier."""

    async def add_routing_example(
        self, text: str, body: str, at: datetime, report_id: int | None = None
    ) -> int:
        """Remember an officer-confirmed routing for the classifier; returns its lesson
        number. This writes."""
        version = await self._next_lesson()
        await self._execute(
            "add routing example",
            "INSERT INTO routing_examples (report_id, text, body, added_at, version) "
            "VALUES (?, ?, ?, ?, ?)",
            (report_id, text, body, self._encode_time(at), version),
        )
        return version

    async def add_kind_example(
        self, text: str, kind: str, at: datetime, report_id: int | None = None
    ) -> int:
        """Remember an officer's correction of the kind of problem; returns its lesson
        number. This writes."""
        version = await self._next_lesson()
        await self._execute(
            "add kind example",
            "INSERT INTO kind_examples (report_id, text, kind, added_at, version) "
            "VALUES (?, ?, ?, ?, ?)",
            (report_id, text, kind, self._encode_time(at), version),
        )
        return version

    async def learning_version(self) -> int:
        """The number of the newest committed lesson (0: none). This is a read-only
        operation."""
        value = await self._value(
            "read learning version", "SELECT version FROM learning_version WHERE id = 1"
        )
        return int(value or 0)

    async def lessons(self, after: int, upto: int, limit: int = 20000) -> list[Lesson]:
        """The newest `limit` lessons numbered after `after` up to `upto`, oldest first.

        This is a read-only operation.
        """
        rows = await self._rows("read lessons", _LESSONS, (after, upto, after, upto, limit))
        return [Lesson(int(row[0]), str(row[1]), row[2], row[3]) for row in rows]

    async def _next_lesson(self) -> int:
        """Take the next lesson number (the counter row stays locked until the end of
        the transaction) and announce it at commit, where the backend can."""
        version = await self._value(
            "number a lesson",
            "UPDATE learning_version SET version = version + 1 WHERE id = 1 RETURNING version",
        )
        await self._announce_lesson()
        return int(version)

    async def _announce_lesson(self) -> None:
        """Tell other processes, at commit, that a lesson was added (PostgreSQL: NOTIFY;
        elsewhere they compare `learning_version` every few seconds)."""
