"""The outbox: `outbox`, `message_links` and `blocked_chats`.

A row is ``pending`` until it is ``sent`` or ``failed``. The messages to one chat go
out strictly in order: only the pending row with the lowest id of a chat can be due.
Among chats, a row's ``lane`` orders them: lane 0 (answers to whoever just acted) before
lane 1, and so on; a row that waited too long for its lane moves up to lane 0.
Several processes may enqueue at once; draining is for one process at a time, the
holder of the sender's lease (`try_lead`).
"""

from __future__ import annotations

import contextlib
from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.base import OutboxMessage, OutboxStats, SentMark
from storage.errors import NotFoundError
from storage.queries.runner import Runner
from storage.timestamps import utc

BLOCKED = "blocked"
"""The error recorded on messages that failed because the user blocked the bot."""

_FORGOTTEN_IF_ERASED = (
    "CASE WHEN report_id IS NOT NULL AND EXISTS (SELECT 1 FROM reports "
    "WHERE reports.id = outbox.report_id AND reports.reporter_user_id = 0) "
    "THEN '{}' ELSE payload END"
)
"""A finished row about an erased reporter's report keeps no payload: a card queued
before her erasure (or retention) and sent after it must not keep her name for 30 days
(`PrivacyQueries.forget_messages_about` deletes those finished before)."""
MARK_SENT = (
    "UPDATE outbox SET state = 'sent', finished_at = ?, telegram_message_id = ?, "  # noqa: S608
    f"payload = {_FORGOTTEN_IF_ERASED} "
    "WHERE id = ? RETURNING chat_id, report_id, purpose, COALESCE(first_part, id) AS first_part"
)
"""`mark_sent`'s update: (now, Telegram's message id, outbox id); it returns the link's
columns. PostgreSQL runs it with `LINK_CONFLICT`'s insert as one statement."""
LINK_CONFLICT = (
    " ON CONFLICT (chat_id, message_id) DO UPDATE "
    "SET report_id = excluded.report_id, purpose = excluded.purpose, "
    "first_part = excluded.first_part"
)
"""A message's link to its report replaces an older one of the same message."""
_MESSAGE_COLUMNS = (
    "id, chat_id, payload, attempts, created_at, next_attempt_at, report_id, purpose, lane"
)


@dataclass(frozen=True)
class NewMessage:
    """One outbox row about to be inserted (`OutboxQueries.enqueue`'s arguments)."""

    chat_id: int
    payload: str
    purpose: str
    report_id: int | None
    lane: int
    first_part: int | None


class OutboxQueries(Runner):
    """The outbox operations."""

    async def enqueue(
        self,
        chat_id: int,
        payload: str,
        *,
        now: datetime,
        report_id: int | None = None,
        purpose: str = "reply",
        lane: int = 0,
        first_part: int | None = None,
    ) -> int:
        """Queue a message and return its outbox id. This writes.

        `first_part`: this is a later part of a long message, whose first part has that
        outbox id (so each copy of a report's card is edited as a whole). To a blocked
        chat the row is still recorded, but failed (`BLOCKED`) at once.
        """
        message = NewMessage(chat_id, payload, purpose, report_id, lane, first_part)
        return await self._insert_message(message, now)

    @abstractmethod
    async def _insert_message(self, message: NewMessage, now: datetime) -> int:
        """The INSERT of `enqueue`, its own on each backend (PostgreSQL also notifies)."""

    async def due_messages(
        self,
        now: datetime,
        limit: int = 100,
        *,
        lane_waits: Sequence[timedelta] = (),
        skip_chats: Sequence[int] = (),
    ) -> list[OutboxMessage]:
        """Per chat the oldest pending message, if due, except in `skip_chats` (e.g. the
        sender's chats in flight); by lane (a row queued before `now - lane_waits[lane]`
        counts as lane 0), then by id.

        This is a read-only operation.
        """
        # A lane's rows queued before its cutoff rank as lane 0 (`created_at <= ?` lets
        # PostgreSQL infer the parameter's type).
        promoted = " ".join(
            f"WHEN lane = {lane} AND created_at <= ? THEN 0" for lane in range(1, len(lane_waits))
        )
        rank = f"CASE {promoted} ELSE lane END" if promoted else "lane"
        skipped, skip_params = self._not_in("chat_id", list(skip_chats), "bigint")
        heads = self._in_rows_of(
            "id", "SELECT min(id) FROM outbox WHERE state = 'pending' GROUP BY chat_id"
        )
        rows = await self._rows(
            "read due messages",
            f"SELECT {_MESSAGE_COLUMNS} FROM outbox "  # noqa: S608 - constant column list
            f"WHERE {heads} AND next_attempt_at <= ? AND {skipped} ORDER BY {rank}, id LIMIT ?",
            (
                self._encode_time(now),
                *skip_params,
                *(self._encode_time(now - wait) for wait in lane_waits[1:]),
                limit,
            ),
        )
        return [
            OutboxMessage(
                id=int(row["id"]),
                chat_id=int(row["chat_id"]),
                payload=str(row["payload"]),
                attempts=int(row["attempts"]),
                created_at=self._decode_time(row["created_at"]),
                next_attempt_at=self._decode_time(row["next_attempt_at"]),
                report_id=None if row["report_id"] is None else int(row["report_id"]),
                purpose=str(row["purpose"]),
                lane=int(row["lane"]),
            )
            for row in rows
        ]

    async def mark_all_sent(self, marks: Sequence[SentMark]) -> None:
        """Each mark by `mark_sent`; a message no longer in the outbox is skipped."""
        for mark in marks:
            with contextlib.suppress(NotFoundError):
                await self.mark_sent(
                    mark.outbox_id, telegram_message_id=mark.telegram_message_id, now=mark.at
                )

    async def mark_sent(
        self, outbox_id: int, *, telegram_message_id: int | None, now: datetime
    ) -> None:
        """Record delivery and link the Telegram message to the row's report. This writes."""
        doing = f"mark message {outbox_id} sent"
        row = await self._row(
            doing, MARK_SENT, (self._encode_time(now), telegram_message_id, outbox_id)
        )
        if row is None:
            raise NotFoundError(f"no outbox message {outbox_id}")
        if row["report_id"] is not None and telegram_message_id is not None:
            await self._execute(
                doing,
                "INSERT INTO message_links (chat_id, message_id, report_id, purpose, first_part) "
                "VALUES (?, ?, ?, ?, ?)" + LINK_CONFLICT,
                (
                    row["chat_id"],
                    telegram_message_id,
                    row["report_id"],
                    row["purpose"],
                    row["first_part"],
                ),
            )

    async def recent_sends(self, since: datetime) -> list[tuple[int, datetime]]:
        """(chat_id, when) of each message sent since `since`, oldest first. Read-only."""
        rows = await self._rows(
            "read the recent sends",
            "SELECT chat_id, finished_at FROM outbox WHERE state = 'sent' AND finished_at >= ? "
            "ORDER BY finished_at, id",
            (self._encode_time(since),),
        )
        return [(int(row["chat_id"]), self._decode_time(row["finished_at"])) for row in rows]

    async def mark_retry(self, outbox_id: int, *, error: str, next_attempt_at: datetime) -> None:
        """Count a failed attempt and schedule the next one. This writes."""
        changed = await self._execute(
            f"mark message {outbox_id} for retry",
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? "
            "WHERE id = ? AND state = 'pending'",
            (error, self._encode_time(next_attempt_at), outbox_id),
        )
        if not changed:
            await self._require_message(outbox_id)

    async def mark_failed(self, outbox_id: int, *, error: str, now: datetime) -> None:
        """Give up on a message; the chat's later messages become due. This writes."""
        changed = await self._execute(
            f"mark message {outbox_id} failed",
            "UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ?, "  # noqa: S608
            f"finished_at = ?, payload = {_FORGOTTEN_IF_ERASED} "
            "WHERE id = ? AND state = 'pending'",
            (error, self._encode_time(now), outbox_id),
        )
        if not changed:
            await self._require_message(outbox_id)

    async def mark_chat_blocked(self, chat_id: int, *, now: datetime) -> int:
        """Fail the chat's pending messages as "blocked" and remember the chat. This writes."""
        doing = f"mark chat {chat_id} blocked"
        at = self._encode_time(now)
        failed = await self._execute(
            doing,
            "UPDATE outbox SET state = 'failed', last_error = ?, finished_at = ? "
            "WHERE chat_id = ? AND state = 'pending'",
            (BLOCKED, at, chat_id),
        )
        await self._execute(
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
        deleted = await self._execute(
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

    async def message_may_be_unrecorded(self, chat_id: int, message_id: int) -> bool:
        """Whether the message may be one Telegram accepted whose sending is not recorded
        yet: newer than every message linked in the chat, while a new message about a
        report (not an edit) waits there to be, or is being, sent (a sending process
        records it only once Telegram answered). This is a read-only operation."""
        row = await self._row(
            f"check whether message {message_id} of chat {chat_id} is on its way",
            "SELECT EXISTS (SELECT 1 FROM outbox WHERE state = 'pending' AND chat_id = ? "
            "AND report_id IS NOT NULL AND purpose <> 'card_edit') AND CAST(? AS BIGINT) > "
            "coalesce((SELECT max(message_id) FROM message_links WHERE chat_id = ?), 0) "
            "AS unrecorded",
            (chat_id, message_id, chat_id),
        )
        assert row is not None  # a SELECT without FROM always gives a row
        return bool(row["unrecorded"])

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

    async def message_copies(self, report_id: int, purpose: str, chat_id: int) -> list[list[int]]:
        """The report's sent messages with this purpose in one chat, as copies: each the
        message ids of its parts, in sending order (messages linked before m010 count as
        one copy). This is a read-only operation."""
        rows = await self._rows(
            f"find the copies of report {report_id}",
            "SELECT message_id, first_part FROM message_links "
            "WHERE report_id = ? AND purpose = ? AND chat_id = ? ORDER BY id",
            (report_id, purpose, chat_id),
        )
        copies: dict[int | None, list[int]] = {}
        for row in rows:
            first = None if row["first_part"] is None else int(row["first_part"])
            copies.setdefault(first, []).append(int(row["message_id"]))
        return list(copies.values())

    async def chats_showing(self, report_id: int, purpose: str) -> list[int]:
        """Chats where a message of the report with this purpose was sent or is waiting
        to be, in ascending order. This is a read-only operation."""
        rows = await self._rows(
            f"find the chats showing report {report_id}",
            "SELECT chat_id FROM message_links WHERE report_id = ? AND purpose = ? "
            "UNION SELECT chat_id FROM outbox "
            "WHERE report_id = ? AND purpose = ? AND state = 'pending' ORDER BY 1",
            (report_id, purpose, report_id, purpose),
        )
        return [int(row[0]) for row in rows]

    async def relink_messages(
        self, chat_id: int, report_id: int, purpose: str, new_purpose: str
    ) -> int:
        """Link the report's sent messages of `purpose` in this chat under `new_purpose`
        (a card that moved away is no longer the report's card there); returns how many.
        This writes."""
        return await self._execute(
            f"relink the messages of report {report_id}",
            "UPDATE message_links SET purpose = ? "
            "WHERE report_id = ? AND purpose = ? AND chat_id = ?",
            (new_purpose, report_id, purpose, chat_id),
        )

    async def outbox_stats(self, now: datetime) -> OutboxStats:
        """Pending/failed counts (a card replaced by a digest is no failure) and the oldest
        pending age. This is a read-only operation."""
        row = await self._row(
            "count pending and failed messages",
            "SELECT (SELECT count(*) FROM outbox WHERE state = 'pending') AS pending, "
            "(SELECT min(created_at) FROM outbox WHERE state = 'pending') AS oldest, "
            "(SELECT count(*) FROM outbox WHERE state = 'failed' "
            "AND (last_error IS NULL OR last_error <> 'digested')) AS failed",
        )
        assert row is not None  # a SELECT without FROM always gives a row
        oldest = row["oldest"]
        age = None if oldest is None else (utc(now) - self._decode_time(oldest)).total_seconds()
        return OutboxStats(
            pending=int(row["pending"]), oldest_pending_age_seconds=age, failed=int(row["failed"])
        )

    async def prune_outbox(self, older_than: datetime, limit: int | None = None) -> int:
        """Delete sent and failed messages finished before `older_than`, at most `limit`
        (None: all); returns how many. Pending messages and message links stay. Writes.
        """
        return await self._execute(
            "prune the outbox",
            "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox "
            "WHERE state IN ('sent', 'failed') AND finished_at < ? LIMIT ?)",
            (self._encode_time(older_than), self._NO_LIMIT if limit is None else limit),
        )

    async def _require_message(self, outbox_id: int) -> None:
        row = await self._row(
            f"find message {outbox_id}", "SELECT 1 FROM outbox WHERE id = ?", (outbox_id,)
        )
        if row is None:
            raise NotFoundError(f"no outbox message {outbox_id}")
