"""The first and last statements of a resident's update: claim it, unblock her chat,
lock it; at the end queue the step's answers and save her conversation.

Shared by both backends as several statements; PostgreSQL makes each end one
(`storage.postgres.steps`), a round trip instead of several.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from storage.queries.core import CoreQueries
from storage.queries.outbox import OutboxQueries


class IntakeQueries(OutboxQueries, CoreQueries):
    """`claim_chat_update` and `save_step`."""

    async def claim_chat_update(self, update_id: int, chat_id: int, now: datetime) -> bool:
        """`claim_update`; if claimed, the chat is unblocked (she wrote, so she has not
        blocked the bot) and locked until the transaction ends (`_lock_chat`). False,
        and nothing changed, if the update was already processed. This writes."""
        if not await self.claim_update(update_id, now):
            return False
        await self.unblock_chat(chat_id)
        await self._lock_chat(chat_id)
        return True

    async def save_step(
        self,
        chat_id: int,
        state_json: str,
        *,
        updated_at: datetime,
        draft_updated_at: datetime | None,
        replies: Sequence[Sequence[str]],
        purpose: str,
        lane: int,
        now: datetime,
    ) -> None:
        """Queue `replies` to the chat, each a message's parts in order (a later part
        names the first, as `enqueue`'s `first_part`), then `save_conversation`. This
        writes."""
        for parts in replies:
            first: int | None = None
            for payload in parts:
                outbox_id = await self.enqueue(
                    chat_id, payload, now=now, purpose=purpose, lane=lane, first_part=first
                )
                first = outbox_id if first is None else first
        await self.save_conversation(
            chat_id, state_json, updated_at=updated_at, draft_updated_at=draft_updated_at
        )
