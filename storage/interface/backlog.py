"""What a transaction does for backpressure (`flows.backlog`): a chat's queue, the
busy notices told, and the cards a digest replaces."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class ChatQueue:
    """The messages waiting for one chat, and whether it was told the bot is busy."""

    queued: int
    oldest: datetime | None  # when the oldest of them was queued
    told: bool


class BacklogOperations(Protocol):
    """A chat's queue, busy notices, digests of waiting cards."""

    async def chat_queue(self, chat_id: int) -> ChatQueue:
        """What waits for the chat, and whether its busy notice was sent. Read-only."""
        ...

    async def open_chat(self, chat_id: int) -> tuple[ChatQueue, str | None]:
        """`chat_queue` and the chat's saved state JSON (`load_conversation`, the chat's
        lock taken first), in one statement. Read-only."""
        ...

    async def remember_busy_notice(self, chat_id: int, now: datetime) -> None:
        """Record that the chat was told the bot is busy. This writes."""
        ...

    async def forget_busy_notice(self, chat_id: int) -> None:
        """The chat's backlog is over; a new one gets a new notice. This writes."""
        ...

    async def group_queue(self, chat_id: int) -> tuple[int, int]:
        """(messages, cards) waiting for the chat, a card first in line not counted
        among the cards. Read-only."""
        ...

    async def replace_waiting_cards(self, chat_id: int, now: datetime) -> list[int]:
        """Take the cards waiting for the chat out of its queue (failed as "digested");
        their reports' ids in queue order. This writes."""
        ...

    async def card_digested(self, report_id: int, chat_id: int) -> bool:
        """Whether the report's card for the chat was replaced by a digest and not
        shown there since. Read-only."""
        ...
