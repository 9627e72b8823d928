"""The first statement of a resident's update: claim it, unblock her chat, lock it.

Shared by both backends as three statements; PostgreSQL makes them one
(`storage.postgres.overrides`), a round trip per update instead of three.
"""

from __future__ import annotations

from datetime import datetime

from storage.queries.core import CoreQueries
from storage.queries.outbox import OutboxQueries


class IntakeQueries(OutboxQueries, CoreQueries):
    """`claim_chat_update`."""

    async def claim_chat_update(self, update_id: int, chat_id: int, now: datetime) -> bool:
        """`claim_update`; if claimed, the chat is unblocked (she wrote, so she has not
        blocked the bot) and locked until the transaction ends (`_lock_chat`). False,
        and nothing changed, if the update was already processed. This writes."""
        if not await self.claim_update(update_id, now):
            return False
        await self.unblock_chat(chat_id)
        await self._lock_chat(chat_id)
        return True
