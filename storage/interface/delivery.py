"""What a transaction does for delivery: leases (one process at a time) and the
outbox of outgoing messages with their links to reports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """One outgoing message waiting in the outbox; `payload` is owned by `bot/`."""

    id: int
    chat_id: int
    payload: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime
    report_id: int | None
    purpose: str
    lane: int = 0


@dataclass(frozen=True, slots=True)
class SentMark:
    """An outbox message Telegram accepted: its id, Telegram's message id, and when."""

    outbox_id: int
    telegram_message_id: int | None
    at: datetime


@dataclass(frozen=True, slots=True)
class OutboxStats:
    """How the outbox is doing, for health checks and logs."""

    pending: int
    oldest_pending_age_seconds: float | None
    failed: int


class DeliveryOperations(Protocol):
    """Leases and the outbox."""

    # -- leases (one process at a time) ------------------------------------------------

    async def try_lead(self, name: str, holder: str, now: datetime, lease: timedelta) -> bool:
        """Hold or renew the lease `name` for `holder` until `now + lease`. This writes.

        True if `holder` now holds it: nobody did, it already did (a renewal), or the
        previous holder let it expire (a takeover). False while another holder's lease
        runs. A holder renews well before expiry (say every lease/3) and stops the
        guarded work as soon as a renewal fails, so that at most one process does it
        (e.g. ``try_lead("outbox-sender", ...)``: only one sender drains the outbox).
        All holders' clocks must agree to well within `lease`.
        """
        ...

    async def lease_holder(self, name: str, now: datetime) -> str | None:
        """Who holds the lease `name` now, if anyone. Read-only."""
        ...

    # -- outbox -----------------------------------------------------------------------

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

        `lane` is its priority among chats: lower goes first (see `due_messages`).
        `first_part`: the outbox id of the first part when this row is a later part of
        one long message (`message_copies` tells copies apart by it). To a blocked chat
        the row is still recorded, but failed ("blocked") at once.
        """
        ...

    async def due_messages(
        self,
        now: datetime,
        limit: int = 100,
        *,
        lane_waits: Sequence[timedelta] = (),
        skip_chats: Sequence[int] = (),
    ) -> list[OutboxMessage]:
        """The messages to send now, by lane, then by id. This is a read-only operation.

        Per chat only the oldest unfinished message is a candidate (one chat's messages
        go out strictly in order), and only once its `next_attempt_at <= now`. A message
        that has waited longer than `lane_waits[lane]` since it was queued counts as
        lane 0, so no lane starves (lanes beyond the sequence never move up). The chats
        in `skip_chats` (the sender's in flight) are left out, before the `limit`.
        """
        ...

    async def mark_sent(
        self, outbox_id: int, *, telegram_message_id: int | None, now: datetime
    ) -> None:
        """Record delivery and, if the row has a report and a message id is given, link
        the Telegram message to that report (`report_for_message`). This writes.

        Applies even if the row was failed meanwhile (it did go out). NotFoundError if
        no such row.
        """
        ...

    async def mark_all_sent(self, marks: Sequence[SentMark]) -> None:
        """`mark_sent` for each mark, in order; a message no longer in the outbox (erased
        meanwhile) is skipped. This writes."""
        ...

    async def recent_sends(self, since: datetime) -> list[tuple[int, datetime]]:
        """(chat_id, when) of each message sent since `since`, oldest first: what a new
        holder of the sender's lease paces against (a group's last minute). Read-only."""
        ...

    async def mark_retry(self, outbox_id: int, *, error: str, next_attempt_at: datetime) -> None:
        """Count a failed attempt and schedule the next one. This writes.

        No effect on a row that is already sent or failed; NotFoundError if no such row.
        """
        ...

    async def mark_failed(self, outbox_id: int, *, error: str, now: datetime) -> None:
        """Give up on a message; the chat's later messages become due. This writes.

        No effect on a row that is already sent or failed; NotFoundError if no such row.
        """
        ...

    async def mark_chat_blocked(self, chat_id: int, *, now: datetime) -> int:
        """The user blocked the bot: fail the chat's pending messages ("blocked") and
        remember the chat. Returns how many messages failed. This writes.
        """
        ...

    async def is_chat_blocked(self, chat_id: int) -> bool:
        """Whether the chat is marked blocked. This is a read-only operation."""
        ...

    async def unblock_chat(self, chat_id: int) -> bool:
        """The user wrote again; True if the chat was blocked. This writes."""
        ...

    async def report_for_message(self, chat_id: int, message_id: int) -> tuple[int, str] | None:
        """(report_id, purpose) of a sent message, or None. This is a read-only operation."""
        ...

    async def message_may_be_unrecorded(self, chat_id: int, message_id: int) -> bool:
        """Whether the message may be one Telegram accepted whose sending is not recorded
        yet: newer than every message linked in the chat, while a message about a report
        waits there to be (or is being) sent. This is a read-only operation."""
        ...

    async def messages_for_report(self, report_id: int, purpose: str) -> list[tuple[int, int]]:
        """(chat_id, message_id) of the report's sent messages with this purpose, in
        sending order. This is a read-only operation.
        """
        ...

    async def message_copies(self, report_id: int, purpose: str, chat_id: int) -> list[list[int]]:
        """The report's sent messages with this purpose in one chat, one list of message
        ids (its parts, in order) per copy, in sending order. Read-only."""
        ...

    async def chats_showing(self, report_id: int, purpose: str) -> list[int]:
        """Chats where a message of the report with this purpose was sent or is pending,
        ascending. Read-only."""
        ...

    async def relink_messages(
        self, chat_id: int, report_id: int, purpose: str, new_purpose: str
    ) -> int:
        """Link the report's sent messages of `purpose` in this chat under `new_purpose`;
        returns how many. This writes."""
        ...

    async def outbox_stats(self, now: datetime) -> OutboxStats:
        """Pending and failed counts and the age of the oldest pending message.

        This is a read-only operation.
        """
        ...

    async def prune_outbox(self, older_than: datetime, limit: int | None = None) -> int:
        """Delete sent and failed messages finished before `older_than`, at most `limit`
        of them (None: all); returns how many. Pending messages and the message links
        (`report_for_message`, `messages_for_report`) are kept. This writes.
        """
        ...
