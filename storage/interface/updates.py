"""What a transaction does for intake bookkeeping: processed updates (exactly-once
intake), updates given up on (dead letters), meta key/values and conversations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """An update given up on after failing again and again (no personal data: see
    `storage.queries.dead_letters`)."""

    update_id: int
    kind: str
    chat_id: int | None
    error: str
    attempts: int
    first_failed_at: datetime
    dead_at: datetime


class UpdateOperations(Protocol):
    """Processed updates, dead letters, meta values and conversations."""

    # -- updates (exactly-once intake) ------------------------------------------------

    async def claim_update(self, update_id: int, now: datetime) -> bool:
        """Record an update as processed; False if it already was. This writes."""
        ...

    async def claim_chat_update(self, update_id: int, chat_id: int, now: datetime) -> bool:
        """`claim_update` of an update from `chat_id`; if claimed, also unblock the chat
        and hold its lock until the transaction ends. This writes."""
        ...

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
        """The end of a resident's step: queue `replies` to the chat (each a message's
        payloads, its parts in order; a later part names the first), then
        `save_conversation`. This writes."""
        ...

    async def prune_updates(self, older_than: datetime) -> int:
        """Forget updates processed before `older_than`; returns how many. This writes."""
        ...

    # -- failing updates (dead letters) -----------------------------------------------

    async def count_failure(
        self, update_id: int, *, kind: str, chat_id: int | None, error: str, now: datetime
    ) -> int:
        """Record one more failed attempt at the update; returns its attempts. Writes."""
        ...

    async def bury_update(self, update_id: int, now: datetime) -> None:
        """Mark the update given up on (after `count_failure`). This writes."""
        ...

    async def dead_letters(self, limit: int = 50) -> list[DeadLetter]:
        """The updates given up on, newest first. This is a read-only operation."""
        ...

    async def count_dead_letters(self, since: datetime) -> int:
        """How many updates were given up on since `since`. This is a read-only operation."""
        ...

    async def prune_dead_letters(self, older_than: datetime) -> int:
        """Forget failures last seen before `older_than`; returns how many. This writes."""
        ...

    # -- meta key/value ---------------------------------------------------------------

    async def get_meta(self, key: str) -> str | None:
        """The value stored under `key`, or None. This is a read-only operation."""
        ...

    async def set_meta(self, key: str, value: str) -> None:
        """Store `value` under `key`, replacing any previous value. This writes."""
        ...

    # -- conversations ----------------------------------------------------------------

    async def load_conversation(self, chat_id: int) -> str | None:
        """The chat's saved state JSON, or None. This is a read-only operation.

        It also makes the transaction the chat's only user until it ends: another
        transaction (of any process) loading or saving the same chat waits for it, so
        a chat's updates are handled one after the other.
        """
        ...

    async def save_conversation(
        self,
        chat_id: int,
        state_json: str,
        *,
        updated_at: datetime,
        draft_updated_at: datetime | None,
    ) -> None:
        """Replace the chat's state; `draft_updated_at` is None without a draft. This writes."""
        ...

    async def stale_drafts(self, older_than: datetime, limit: int = 100) -> list[int]:
        """Chat ids whose draft was last touched before `older_than`, stalest first.

        This is a read-only operation.
        """
        ...
