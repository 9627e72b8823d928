"""The storage interface: what the bot may ask of a database.

`Store` hands out transactions; every operation is a method of a `Transaction`, so
one unit of work (conversation state, processed update, new reports, outgoing
messages) commits or rolls back as a whole::

    async with store.transaction() as tx:
        if not await tx.claim_update(update.update_id, now):
            return  # already processed by this or another process
        await tx.save_conversation(chat_id, state_json, updated_at=now, draft_updated_at=None)
        await tx.enqueue(chat_id, payload, now=now)

Backends: `storage.sqlite.SqliteStore` (one file, WAL) and
`storage.postgres.PostgresStore` (a connection pool; several bot processes may share
one database). Timestamps are timezone-aware `datetime`s; naive ones are rejected with
ValueError. Stored and returned timestamps are UTC.
Failures raise the errors in `storage.errors`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from flows.deadlines import Progress
from flows.monthly import ReportFacts
from flows.report import HistoryEntry, NewReport, Privacy, Report, Status


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
class HeldRelay:
    """A resident's message to officers, held back by the relay limit."""

    id: int
    report_id: int
    text: str
    photo: str | None
    held_at: datetime


@dataclass(frozen=True, slots=True)
class OutboxStats:
    """How the outbox is doing, for health checks and logs."""

    pending: int
    oldest_pending_age_seconds: float | None
    failed: int


@dataclass(frozen=True, slots=True)
class KaderRecord:
    """A verified kader and how many reports she filed for neighbours."""

    user_id: int
    name: str
    kelurahan: str
    active: bool
    reports: int


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


class Store(Protocol):
    """A database the bot can open transactions on."""

    def transaction(self) -> AbstractAsyncContextManager[Transaction]:
        """Start one unit of work: commit on normal exit, roll back and re-raise on error."""
        ...

    def outbox_wakeups(self, wake: asyncio.Event) -> AbstractAsyncContextManager[None]:
        """While open, `wake` is set when another process commits new outbox messages, as
        far as the backend can tell (PostgreSQL: LISTEN/NOTIFY; SQLite: never)."""
        ...

    async def close(self) -> None:
        """Wait for the running transaction, then release the database. Idempotent."""
        ...


class Transaction(Protocol):
    """The operations of one unit of work. Valid only inside its ``async with`` block."""

    # -- updates (exactly-once intake) ------------------------------------------------

    async def claim_update(self, update_id: int, now: datetime) -> bool:
        """Record an update as processed; False if it already was. This writes."""
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

    # -- reports ----------------------------------------------------------------------

    async def insert_report(self, new: NewReport, *, actor: str = "pelapor") -> Report:
        """Store a new report as `diterima` with its first history line. This writes.

        Raises CodeTakenError if another report has `new.code`; the transaction stays
        usable, so the caller may retry with another code.
        """
        ...

    async def get_report(self, code: str) -> Report:
        """The report with this code; NotFoundError if none. This is a read-only operation."""
        ...

    async def get_report_by_id(self, report_id: int) -> Report:
        """The report with this id; NotFoundError if none. This is a read-only operation."""
        ...

    async def reports_by_reporter(self, user_id: int, limit: int = 20) -> list[Report]:
        """The user's reports, newest first. This is a read-only operation."""
        ...

    async def count_reports_since(self, user_id: int, since: datetime) -> int:
        """How many reports the user filed at or after `since`. This is a read-only operation."""
        ...

    async def lock_reports(self, report_ids: Sequence[int]) -> list[Report]:
        """Lock these reports' rows until the transaction ends (in id order) and return
        them as they are now, in the order given. Locks; does not write."""
        ...

    async def set_status(
        self,
        report_id: int,
        to_status: Status,
        *,
        actor: str,
        at: datetime,
        note: str | None = None,
    ) -> Report:
        """Move the report to `to_status` and append a history line. This writes.

        Storage does not judge transitions (flows/ does); NotFoundError if no report.
        """
        ...

    async def set_body(
        self,
        report_id: int,
        body: str,
        kind: str | None,
        *,
        actor: str,
        at: datetime,
        note: str | None = None,
    ) -> Report:
        """Route the report to `body`/`kind` and append a history line. This writes.

        The status is unchanged (the history line goes from it to itself); `note`
        defaults to "body: <old> → <new>". NotFoundError if no report.
        """
        ...

    async def history(self, report_id: int) -> list[HistoryEntry]:
        """The report's history, oldest first; NotFoundError if no report.

        This is a read-only operation.
        """
        ...

    # -- routing ----------------------------------------------------------------------

    async def open_reports_near(
        self, kelurahan: str, body: str, since: datetime, limit: int = 50
    ) -> list[Report]:
        """Open reports of one kelurahan and body filed since `since`, newest first.

        This is a read-only operation.
        """
        ...

    async def add_supporter(self, report_id: int, user_id: int, chat_id: int, at: datetime) -> bool:
        """Record that a resident follows a report; False if she already did. This writes."""
        ...

    async def supporter_chats(self, report_id: int) -> list[int]:
        """Chats of the residents who support a report. This is a read-only operation."""
        ...

    async def add_routing_example(
        self, text: str, body: str, at: datetime, report_id: int | None = None
    ) -> None:
        """Remember an officer-confirmed routing for the classifier. This writes."""
        ...

    async def routing_examples(self, limit: int = 20000) -> list[tuple[str, str]]:
        """The newest officer-confirmed (text, body) pairs, oldest first. Read-only."""
        ...

    # -- officers' work ------------------------------------------------------------------

    async def stamp(
        self, report_id: int, field: str, at: datetime | None, *, keep_first: bool = False
    ) -> None:
        """Set one lifecycle timestamp (None clears it); `keep_first` keeps an earlier one.

        `field`: verified_at, first_answer_at, decided_at, followup_due_at or
        followup_asked_at. This writes.
        """
        ...

    async def set_outcome(
        self, report_id: int, *, reject_reason: str | None, duplicate_of: str | None
    ) -> None:
        """Why a report was rejected, or which report it duplicates. This writes."""
        ...

    async def set_followup(
        self, report_id: int, *, answer: str | None = None, rating: int | None = None
    ) -> None:
        """The reporter's answer to "is it really solved?" and/or her rating. This writes."""
        ...

    async def add_note(
        self, report_id: int, *, kind: str, actor: str, at: datetime, note: str, public: bool
    ) -> None:
        """Append a history line that does not change the status. This writes."""
        ...

    async def open_queue(self, bodies: Sequence[str] | None, limit: int = 50) -> list[Report]:
        """Open reports of some bodies (None: all), oldest first. Read-only."""
        ...

    async def search_reports(
        self, words: str, bodies: Sequence[str] | None, limit: int = 10
    ) -> list[Report]:
        """Reports whose description contains `words`, newest first. Read-only."""
        ...

    async def report_facts_between(
        self, start: datetime, end: datetime, bodies: Sequence[str] | None = None
    ) -> list[ReportFacts]:
        """What the statistics need of the reports of some bodies (None: all) filed in
        [start, end), oldest first; no personal data. Read-only."""
        ...

    async def open_report_progress(self, after_id: int, limit: int = 1000) -> list[Progress]:
        """The lifecycle times of the open reports with an id above `after_id`, by id.

        Page through every open report (the reminders pass) by passing the last id of
        a page as the next `after_id`. Read-only.
        """
        ...

    async def due_followups(self, now: datetime, limit: int = 100) -> list[Report]:
        """Solved reports whose reporter is to be asked now if it is really solved. Read-only."""
        ...

    async def claim_reminder(self, report_id: int, deadline: str, level: str, at: datetime) -> bool:
        """Record that a reminder is being sent; False if it already was. This writes."""
        ...

    async def reminders_sent(self, report_ids: Sequence[int]) -> dict[int, set[tuple[str, str]]]:
        """(deadline, level) pairs already sent, per report; reports without any are
        left out. Read-only."""
        ...

    # -- kader registry -------------------------------------------------------------------

    async def create_kader_invite(
        self, token: str, name: str, kelurahan: str, *, created_by: int, at: datetime
    ) -> None:
        """Store a one-time invitation. This writes."""
        ...

    async def use_kader_invite(self, token: str, user_id: int, at: datetime) -> KaderRecord | None:
        """Turn an unused invitation into a verified kader; None if unknown or used. Writes."""
        ...

    async def kader(self, user_id: int) -> KaderRecord | None:
        """The kader with this Telegram user id, if registered. Read-only."""
        ...

    async def kaders(self) -> list[KaderRecord]:
        """Every registered kader, by kelurahan and name. Read-only."""
        ...

    async def set_kader_active(self, user_id: int, active: bool) -> bool:
        """(De)activate a kader; False if there is none. This writes."""
        ...

    # -- personal data ------------------------------------------------------------------

    async def supported_codes(self, user_id: int) -> list[str]:
        """Codes of the reports this person supports. Read-only."""
        ...

    async def forget_messages_about(self, report_ids: Sequence[int]) -> int:
        """Delete the sent and failed outbox rows about these reports (erasure,
        retention); returns how many. This writes."""
        ...

    async def erase_person(self, user_id: int, chat_id: int) -> list[int]:
        """Erase a person's data, keeping her reports anonymous; returns their ids. Writes."""
        ...

    async def anonymise_closed_before(
        self, cutoff: datetime, limit: int | None = None
    ) -> list[int]:
        """Anonymise closed reports decided before `cutoff`, at most `limit` of them (None:
        all); returns their ids, ascending. Writes."""
        ...

    # -- residents' messages to officers (the relay limit) ------------------------------

    async def count_relays_since(self, user_id: int, since: datetime) -> int:
        """Messages about this person's reports queued to officers (purpose "relay")
        at or after `since`. Read-only."""
        ...

    async def hold_relay(self, report_id: int, text: str, photo: str | None, at: datetime) -> int:
        """Keep a message for the officers until the limit allows it; its id. Writes."""
        ...

    async def held_relays(self, report_id: int) -> list[HeldRelay]:
        """The report's held messages, oldest first. Read-only."""
        ...

    async def release_held_relays(self, held_ids: Sequence[int]) -> int:
        """Forget held messages just queued for the officers; how many. Writes."""
        ...

    async def reports_with_held_relays(self, limit: int = 100) -> list[int]:
        """Ids of reports with held messages, the longest waiting first. Read-only."""
        ...

    # -- privacy (protections, public text) ----------------------------------------------

    async def add_protection(
        self, report_id: int, privacy: Privacy, *, actor: str, at: datetime
    ) -> None:
        """Give the report more protection. Writes."""
        ...

    async def set_public_text(self, report_id: int, text: str, *, actor: str, at: datetime) -> None:
        """An officer's public text, approved by writing it. Writes."""
        ...

    async def set_photos_public(self, report_id: int, *, actor: str, at: datetime) -> None:
        """An officer marked the report's photos public. Writes."""
        ...

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
        self, now: datetime, limit: int = 100, *, lane_waits: Sequence[timedelta] = ()
    ) -> list[OutboxMessage]:
        """The messages to send now, by lane, then by id. This is a read-only operation.

        Per chat only the oldest unfinished message is a candidate (one chat's messages
        go out strictly in order), and only once its `next_attempt_at <= now`. A message
        that has waited longer than `lane_waits[lane]` since it was queued counts as
        lane 0, so no lane starves (lanes beyond the sequence never move up).
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
