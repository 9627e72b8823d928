"""Updates that keep failing: their attempts, and the ones given up on (dead letters).

A row holds no personal data: the update's id and kind, a group chat's id (a resident's
private chat is not kept: its id is the person's), the exception's class and where it
was raised (never its message, which may quote the update), the attempts and times.
"""

from __future__ import annotations

from datetime import datetime

from storage.base import DeadLetter
from storage.queries.runner import Runner


class DeadLetterQueries(Runner):
    """Failed attempts and dead letters."""

    async def count_failure(
        self, update_id: int, *, kind: str, chat_id: int | None, error: str, now: datetime
    ) -> int:
        """Record one more failed attempt at the update; returns its attempts so far.

        This writes.
        """
        attempts = await self._value(
            f"count failure of update {update_id}",
            "INSERT INTO dead_letters (update_id, kind, chat_id, error, attempts, "
            "first_failed_at, last_failed_at) VALUES (?, ?, ?, ?, 1, ?, ?) "
            "ON CONFLICT (update_id) DO UPDATE SET attempts = dead_letters.attempts + 1, "
            "error = excluded.error, last_failed_at = excluded.last_failed_at "
            "RETURNING attempts",
            (update_id, kind, chat_id, error, self._encode_time(now), self._encode_time(now)),
        )
        return int(attempts)

    async def bury_update(self, update_id: int, now: datetime) -> None:
        """Mark the update given up on (its failures must have been counted). This writes."""
        await self._execute(
            f"bury update {update_id}",
            "UPDATE dead_letters SET dead_at = ? WHERE update_id = ? AND dead_at IS NULL",
            (self._encode_time(now), update_id),
        )

    async def dead_letters(self, limit: int = 50) -> list[DeadLetter]:
        """The updates given up on, newest first. This is a read-only operation."""
        rows = await self._rows(
            "read dead letters",
            "SELECT update_id, kind, chat_id, error, attempts, first_failed_at, dead_at "
            "FROM dead_letters WHERE dead_at IS NOT NULL "
            "ORDER BY dead_at DESC, update_id DESC LIMIT ?",
            (limit,),
        )
        return [
            DeadLetter(
                update_id=int(row["update_id"]),
                kind=str(row["kind"]),
                chat_id=None if row["chat_id"] is None else int(row["chat_id"]),
                error=str(row["error"]),
                attempts=int(row["attempts"]),
                first_failed_at=self._decode_time(row["first_failed_at"]),
                dead_at=self._decode_time(row["dead_at"]),
            )
            for row in rows
        ]

    async def count_dead_letters(self, since: datetime) -> int:
        """How many updates were given up on since `since`. This is a read-only operation."""
        count = await self._value(
            "count dead letters",
            "SELECT COUNT(*) FROM dead_letters WHERE dead_at IS NOT NULL AND dead_at >= ?",
            (self._encode_time(since),),
        )
        return int(count or 0)

    async def prune_dead_letters(self, older_than: datetime) -> int:
        """Forget failures last seen before `older_than`; returns how many. This writes."""
        return await self._execute(
            "prune dead letters",
            "DELETE FROM dead_letters WHERE last_failed_at < ?",
            (self._encode_time(older_than),),
        )
