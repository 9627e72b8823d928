"""Backpressure reads and writes: a resident's queue and whether she was told the bot
is busy (`backlog_notices`), a group's queue and the cards a digest replaces.

A replaced card stays in the outbox as ``failed`` with the error `DIGESTED`, so the
record of what was queued is kept, and so do the photos and evidence copies queued
after it (they would answer a card that never came); the report itself is untouched
and its card, with them, is posted again on demand (`/cari KODE`).
"""

from __future__ import annotations

from datetime import datetime

from storage.interface.backlog import ChatQueue
from storage.queries.runner import Runner

DIGESTED = "digested"
"""The error recorded on a card replaced by a digest (never a failure to deliver)."""
_CARD_PURPOSES = ("card", "card_edit")
_COPY_PURPOSES = ("card_photo", "card_evidence")
"""What follows a card under it: replaced with the card they follow, never alone."""


class BacklogQueries(Runner):
    """The backpressure operations."""

    async def chat_queue(self, chat_id: int) -> ChatQueue:
        """What waits to be sent to the chat, and whether its busy notice was sent in
        this backlog. This is a read-only operation."""
        row = await self._row(
            f"read the queue of chat {chat_id}",
            "SELECT count(*) AS queued, min(created_at) AS oldest, "
            "EXISTS (SELECT 1 FROM backlog_notices WHERE chat_id = ?) AS told "
            "FROM outbox WHERE state = 'pending' AND chat_id = ?",
            (chat_id, chat_id),
        )
        assert row is not None  # an aggregate always gives a row
        oldest = row["oldest"]
        return ChatQueue(
            queued=int(row["queued"]),
            oldest=None if oldest is None else self._decode_time(oldest),
            told=bool(row["told"]),
        )

    async def open_chat(self, chat_id: int) -> tuple[ChatQueue, str | None]:
        """`chat_queue` and the chat's saved state JSON, or None, in one statement (on
        PostgreSQL one round trip instead of two per resident update). The chat's lock
        (`_lock_chat`) is taken first, as `load_conversation` does, so the statement
        sees what its previous holder committed. This is a read-only operation."""
        await self._lock_chat(chat_id)
        row = await self._row(
            f"open chat {chat_id}",
            "SELECT count(*) AS queued, min(created_at) AS oldest, "
            "EXISTS (SELECT 1 FROM backlog_notices WHERE chat_id = ?) AS told, "
            "(SELECT state_json FROM conversations WHERE chat_id = ?) AS state_json "
            "FROM outbox WHERE state = 'pending' AND chat_id = ?",
            (chat_id, chat_id, chat_id),
        )
        assert row is not None  # an aggregate always gives a row
        oldest, state = row["oldest"], row["state_json"]
        queue = ChatQueue(
            queued=int(row["queued"]),
            oldest=None if oldest is None else self._decode_time(oldest),
            told=bool(row["told"]),
        )
        return queue, None if state is None else str(state)

    async def remember_busy_notice(self, chat_id: int, now: datetime) -> None:
        """Record that the chat was told the bot is busy. This writes."""
        await self._execute(
            f"remember the busy notice of chat {chat_id}",
            "INSERT INTO backlog_notices (chat_id, noticed_at) VALUES (?, ?) "
            "ON CONFLICT (chat_id) DO UPDATE SET noticed_at = excluded.noticed_at",
            (chat_id, self._encode_time(now)),
        )

    async def forget_busy_notice(self, chat_id: int) -> None:
        """The chat's backlog is over: a new one gets a new notice. This writes."""
        await self._execute(
            f"forget the busy notice of chat {chat_id}",
            "DELETE FROM backlog_notices WHERE chat_id = ?",
            (chat_id,),
        )

    async def group_queue(self, chat_id: int) -> tuple[int, int]:
        """(messages, cards) waiting to be sent to the chat; a card first in the queue
        (it may be on its way) is not counted among the cards. Read-only."""
        row = await self._row(
            f"count the queue of chat {chat_id}",
            "SELECT count(*) AS waiting, coalesce(sum(CASE WHEN purpose = 'card' "
            "AND id > (SELECT min(id) FROM outbox WHERE state = 'pending' AND chat_id = ?) "
            "THEN 1 ELSE 0 END), 0) AS cards "
            "FROM outbox WHERE state = 'pending' AND chat_id = ?",
            (chat_id, chat_id),
        )
        assert row is not None  # an aggregate always gives a row
        return int(row["waiting"]), int(row["cards"])

    async def replace_waiting_cards(self, chat_id: int, now: datetime) -> list[int]:
        """Take the cards waiting for the chat (with the photos and evidence copies
        queued after them, and their edits) out of its queue, as `DIGESTED`; returns
        their reports' ids in queue order. The chat's
        first waiting message stays (it may be on its way) and so does its report's
        card, as do edits of a card already shown in the chat. This writes."""
        doing = f"replace the waiting cards of chat {chat_id}"
        rows = await self._rows(
            doing,
            "SELECT report_id FROM outbox WHERE state = 'pending' AND chat_id = ? "
            "AND purpose = 'card' AND report_id IS NOT NULL AND id > (SELECT min(id) "
            "FROM outbox WHERE state = 'pending' AND chat_id = ?) ORDER BY id",
            (chat_id, chat_id),
        )
        head = await self._value(
            doing,
            "SELECT report_id FROM outbox WHERE id = (SELECT min(id) FROM outbox "
            "WHERE state = 'pending' AND chat_id = ?)",
            (chat_id,),
        )
        report_ids = list(dict.fromkeys(int(r[0]) for r in rows if r[0] != head))
        if not report_ids:
            return []
        copies, copy_params = self._in("purpose", _COPY_PURPOSES, "text")
        purposes, purpose_params = self._in("purpose", _CARD_PURPOSES, "text")
        finished = (DIGESTED, self._encode_time(now), chat_id)
        for reports, report_params in self._chunks_of("report_id", report_ids):
            # The copies first, while the cards they follow are still pending.
            await self._execute(
                doing,
                "UPDATE outbox SET state = 'failed', last_error = ?, finished_at = ? "  # noqa: S608
                f"WHERE state = 'pending' AND chat_id = ? AND {copies} AND {reports} "
                "AND EXISTS (SELECT 1 FROM outbox c WHERE c.state = 'pending' "
                "AND c.chat_id = outbox.chat_id AND c.report_id = outbox.report_id "
                "AND c.purpose = 'card' AND c.id < outbox.id)",
                (*finished, *copy_params, *report_params),
            )
            await self._execute(
                doing,
                "UPDATE outbox SET state = 'failed', last_error = ?, finished_at = ? "  # noqa: S608
                f"WHERE state = 'pending' AND chat_id = ? AND {purposes} AND {reports} "
                "AND NOT (purpose = 'card_edit' AND EXISTS (SELECT 1 FROM message_links l "
                "WHERE l.report_id = outbox.report_id AND l.purpose = 'card' "
                "AND l.chat_id = outbox.chat_id))",
                (*finished, *purpose_params, *report_params),
            )
        return report_ids

    async def card_digested(self, report_id: int, chat_id: int) -> bool:
        """Whether the report's card for the chat was replaced by a digest (and not
        shown there since). This is a read-only operation."""
        row = await self._row(
            f"check whether the card of report {report_id} was digested",
            "SELECT 1 FROM outbox WHERE report_id = ? AND chat_id = ? AND purpose = 'card' "
            "AND last_error = ? AND NOT EXISTS (SELECT 1 FROM message_links "
            "WHERE report_id = ? AND chat_id = ? AND purpose = 'card')",
            (report_id, chat_id, DIGESTED, report_id, chat_id),
        )
        return row is not None
