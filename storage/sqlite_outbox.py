"""The outbox in SQLite: `outbox`, `message_links` and `blocked_chats`.

A row is ``pending`` until it is ``sent`` or ``failed``. The messages to one chat go
out strictly in order: only the pending row with the lowest id of a chat can be due.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from storage.base import OutboxMessage, OutboxStats
from storage.errors import NotFoundError
from storage.sqlite_core import Queries, from_db_time, to_db_time

BLOCKED = "blocked"
"""The error recorded on messages that failed because the user blocked the bot."""

_MESSAGE_COLUMNS = "id, chat_id, payload, attempts, created_at, next_attempt_at, report_id, purpose"


class OutboxQueries(Queries):
    """The outbox operations of a SQLite transaction."""

    async def enqueue(
        self,
        chat_id: int,
        payload: str,
        *,
        now: datetime,
        report_id: int | None = None,
        purpose: str = "reply",
    ) -> int:
        """Queue a message and return its outbox id. This writes."""
        at = to_db_time(now)
        blocked = await self.is_chat_blocked(chat_id)
        return await self._insert(
            f"enqueue a message to chat {chat_id}",
            "INSERT INTO outbox (chat_id, payload, purpose, report_id, state, created_at, "
            "next_attempt_at, finished_at, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                chat_id,
                payload,
                purpose,
                report_id,
                "failed" if blocked else "pending",
                at,
                at,
                at if blocked else None,
                BLOCKED if blocked else None,
            ),
        )

    async def due_messages(self, now: datetime, limit: int = 100) -> list[OutboxMessage]:
        """Per chat the oldest pending message, if due; ordered by id.

        This is a read-only operation.
        """
        rows = await self._rows(
            "read due messages",
            f"SELECT {_MESSAGE_COLUMNS} FROM outbox "  # noqa: S608 - constant column list
            "WHERE id IN (SELECT min(id) FROM outbox WHERE state = 'pending' GROUP BY chat_id) "
            "AND next_attempt_at <= ? ORDER BY id LIMIT ?",
            (to_db_time(now), limit),
        )
        return [_message_from(row) for row in rows]

    async def mark_sent(
        self, outbox_id: int, *, telegram_message_id: int | None, now: datetime
    ) -> None:
        """Record delivery and link the Telegram message to the row's report. This writes."""
        doing = f"mark message {outbox_id} sent"
        row = await self._row(
            doing, "SELECT chat_id, report_id, purpose FROM outbox WHERE id = ?", (outbox_id,)
        )
        if row is None:
            raise NotFoundError(f"no outbox message {outbox_id}")
        await self._write(
            doing,
            "UPDATE outbox SET state = 'sent', finished_at = ?, telegram_message_id = ? "
            "WHERE id = ?",
            (to_db_time(now), telegram_message_id, outbox_id),
        )
        if row["report_id"] is not None and telegram_message_id is not None:
            await self._write(
                doing,
                "INSERT INTO message_links (chat_id, message_id, report_id, purpose) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (chat_id, message_id) DO UPDATE "
                "SET report_id = excluded.report_id, purpose = excluded.purpose",
                (row["chat_id"], telegram_message_id, row["report_id"], row["purpose"]),
            )

    async def mark_retry(self, outbox_id: int, *, error: str, next_attempt_at: datetime) -> None:
        """Count a failed attempt and schedule the next one. This writes."""
        changed, _ = await self._write(
            f"mark message {outbox_id} for retry",
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? "
            "WHERE id = ? AND state = 'pending'",
            (error, to_db_time(next_attempt_at), outbox_id),
        )
        if not changed:
            await self._require_message(outbox_id)

    async def mark_failed(self, outbox_id: int, *, error: str, now: datetime) -> None:
        """Give up on a message; the chat's later messages become due. This writes."""
        changed, _ = await self._write(
            f"mark message {outbox_id} failed",
            "UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ?, "
            "finished_at = ? WHERE id = ? AND state = 'pending'",
            (error, to_db_time(now), outbox_id),
        )
        if not changed:
            await self._require_message(outbox_id)

    async def mark_chat_blocked(self, chat_id: int, *, now: datetime) -> int:
        """Fail the chat's pending messages as "blocked" and remember the chat. This writes."""
        doing = f"mark chat {chat_id} blocked"
        at = to_db_time(now)
        failed, _ = await self._write(
            doing,
            "UPDATE outbox SET state = 'failed', last_error = ?, finished_at = ? "
            "WHERE chat_id = ? AND state = 'pending'",
            (BLOCKED, at, chat_id),
        )
        await self._write(
            doing,
            "INSERT INTO blocked_chats (chat_id, blocked_at) VALUES (?, ?) "
            "ON CONFLICT (chat_id) DO NOTHING",
            (chat_id, at),
        )
        return failed

    async def is_chat_blocked(self, chat_id: int) -> bool:
        """Whether the chat is marked blocked. This is a read-only operation."""
        row = await self._row(
            f"check whether chat {chat_id} is blocked",
            "SELECT 1 FROM blocked_chats WHERE chat_id = ?",
            (chat_id,),
        )
        return row is not None

    async def unblock_chat(self, chat_id: int) -> bool:
        """Forget that the chat blocked the bot; True if it had. This writes."""
        deleted, _ = await self._write(
            f"unblock chat {chat_id}", "DELETE FROM blocked_chats WHERE chat_id = ?", (chat_id,)
        )
        return deleted > 0

    async def report_for_message(self, chat_id: int, message_id: int) -> tuple[int, str] | None:
        """(report_id, purpose) of a sent message, or None. This is a read-only operation."""
        row = await self._row(
            "find the report of a message",
            "SELECT report_id, purpose FROM message_links WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
        return None if row is None else (int(row["report_id"]), str(row["purpose"]))

    async def messages_for_report(self, report_id: int, purpose: str) -> list[tuple[int, int]]:
        """(chat_id, message_id) of the report's sent messages, in sending order.

        This is a read-only operation.
        """
        rows = await self._rows(
            f"find the messages of report {report_id}",
            "SELECT chat_id, message_id FROM message_links "
            "WHERE report_id = ? AND purpose = ? ORDER BY id",
            (report_id, purpose),
        )
        return [(int(row["chat_id"]), int(row["message_id"])) for row in rows]

    async def outbox_stats(self, now: datetime) -> OutboxStats:
        """Pending/failed counts and the oldest pending age. This is a read-only operation."""
        pending = await self._row(
            "count pending messages",
            "SELECT count(*), min(created_at) FROM outbox WHERE state = 'pending'",
        )
        failed = await self._row(
            "count failed messages", "SELECT count(*) FROM outbox WHERE state = 'failed'"
        )
        assert pending is not None and failed is not None  # aggregates always give a row
        oldest = pending[1]
        age = None if oldest is None else (now - from_db_time(oldest)).total_seconds()
        return OutboxStats(
            pending=int(pending[0]), oldest_pending_age_seconds=age, failed=int(failed[0])
        )

    async def prune_outbox(self, older_than: datetime, limit: int | None = None) -> int:
        """Delete sent and failed messages finished before `older_than`, at most `limit`
        (None: all); returns how many. Pending messages and message links stay. Writes.
        """
        deleted, _ = await self._write(
            "prune the outbox",
            "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox "
            "WHERE state IN ('sent', 'failed') AND finished_at < ? LIMIT ?)",
            (to_db_time(older_than), -1 if limit is None else limit),
        )
        return deleted

    async def _require_message(self, outbox_id: int) -> None:
        row = await self._row(
            f"find message {outbox_id}", "SELECT 1 FROM outbox WHERE id = ?", (outbox_id,)
        )
        if row is None:
            raise NotFoundError(f"no outbox message {outbox_id}")


def _message_from(row: sqlite3.Row) -> OutboxMessage:
    return OutboxMessage(
        id=int(row["id"]),
        chat_id=int(row["chat_id"]),
        payload=str(row["payload"]),
        attempts=int(row["attempts"]),
        created_at=from_db_time(row["created_at"]),
        next_attempt_at=from_db_time(row["next_attempt_at"]),
        report_id=None if row["report_id"] is None else int(row["report_id"]),
        purpose=str(row["purpose"]),
    )
