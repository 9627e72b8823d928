"""The outbox sender: drains due messages to Telegram, within Telegram's limits.

Guarantees, and how:

* **Nothing is lost.** A message leaves the outbox only when Telegram accepted it (sent),
  answered 403 (the person blocked the bot: this and the chat's later messages fail as
  "blocked", never retried) or rejected it as malformed (400: failed, so one bad message
  never blocks its chat). A 403 from an officers' group (the bot was removed, or may not
  post) keeps its messages pending, retried with backoff, and `on_unreachable_group`
  raises the alarm once. Network errors, timeouts and 5xx are retried with backoff; a
  429 waits its `retry_after`. A stop or a crash leaves unsent messages pending.
* **At least once.** Telegram has no idempotency key: a message it accepted that we could
  not record as sent (the process died between Telegram's answer and our commit, or the
  answer was lost on the way) is sent again. That one message is then duplicated, and it
  is the only duplicate: the chat's next message waits for it.
* **Order per chat.** Storage hands out only a chat's oldest unfinished message, and a
  chat has at most one message in flight. Chats do not wait for one another.
* **Telegram's limits** (`SendLimits`): overall an even pace, per chat a burst then a
  steady pace, per group also a log of the last minute's sends; each sized so that no
  window holds more than the limit.
* **Answers first.** Each message has a lane (`service.outbox.Lane`): the answer to whoever
  just acted, then news to reporters, then officers' cards, then reminders. Storage
  hands out due messages by lane and the overall pace serves the lowest lane first;
  a message passed over for longer than its lane's `lane_waits` counts as an answer,
  so no lane starves. Each chat's own messages still go strictly in order.
* **One sender.** With several workers, give each a `lease_holder` name (unique among
  them, the same across its restarts): only the holder of the storage lease sends, so
  no message goes twice and the limits hold for the whole bot. A stop hands it over
  (`bot.sender_lease`).
* **A new sender paces as Telegram counts.** Taking the lease over, or starting, the
  sender first reads the last minute's sends from the outbox (`recent_sends`) into its
  pacer: a group the previous holder filled this minute waits for the minute to end.
* **429.** Telegram's `retry_after` is for repeating *that* request, so only its chat
  waits. But when 429s hit `FLOOD_CHATS` different chats within a second, the flood is
  the bot's (the global ~30/s, e.g. another process using the token): every send pauses
  until its retry_after is over.

The Bot API calls of one message (a send, the pressed message replaced, the edit of every
copy of a card) are `bot.outbox_calls`'; this module decides what their outcome means.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError

from bot.flood import flood_wait
from bot.outbox_calls import NothingToEdit, OutboxCalls
from bot.pacing import Pacer, SendLimits
from bot.sender_lease import LEASE, SENDER_LEASE, SenderLease
from bot.write_batch import Together, WriteBatch
from service.clock import utc_now
from service.outbox import LANE_WAITS
from service.outgoing import Outgoing
from service.waiting import wait_any
from storage.base import OutboxMessage, SentMark, Store, Transaction

__all__ = ["SENDER_LEASE", "OutboxSender", "SendLimits", "backoff"]

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(minutes=10)
IDLE_POLL_SECONDS = 1.0
READ_GAP_SECONDS = 0.005
"""The least time between two reads of the due messages (§17 of docs/benchmarks.md:
on PostgreSQL, under load, 503 reads of 0.65 ms each became 211 per walk)."""
MAX_IN_FLIGHT = 100
"""Chats with a message being sent (or waiting for its turn) at once."""
HOLD_AFTER_ERROR = timedelta(seconds=5)
"""How long a chat rests after an unexpected error (e.g. the database is unavailable)."""


async def _relink(tx: Transaction, message: OutboxMessage, out: Outgoing) -> None:
    """After an edit with `relink`, the messages it was for are linked under that
    purpose (in this chat; the chat's order makes it exactly the copies sent so far)."""
    if out.edit is not None and out.relink is not None:
        report_id, purpose = out.edit
        await tx.relink_messages(message.chat_id, report_id, purpose, out.relink)


def backoff(attempts: int) -> timedelta:
    """How long to wait before the next attempt: 1 s, 2 s, 4 s, ... up to 10 minutes."""
    return min(timedelta(seconds=2 ** min(attempts, 16)), MAX_BACKOFF)


@dataclass
class OutboxSender:
    """Sends what the engine put in the outbox; see the module docstring."""

    store: Store
    bot: Bot
    limits: SendLimits = field(default_factory=SendLimits)
    clock: Callable[[], datetime] = utc_now
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    retry_delay: Callable[[int], timedelta] = backoff
    max_in_flight: int = MAX_IN_FLIGHT
    lease_holder: str | None = None  # None: the only process sending, no lease
    record: Callable[[str], None] = lambda result: None  # counts results (metrics)
    on_unreachable_group: Callable[[int], Awaitable[object]] | None = None
    lease: timedelta = LEASE
    lane_waits: tuple[timedelta, ...] = LANE_WAITS  # how long each lane may be passed over
    idle_poll: float = IDLE_POLL_SECONDS  # seconds between reads when nothing woke it
    read_gap: float = READ_GAP_SECONDS  # at least this long from one read to the next
    pacer: Pacer = field(init=False)
    _in_flight: dict[int, asyncio.Task[None]] = field(init=False, default_factory=dict)
    _on_the_wire: set[int] = field(init=False, default_factory=set)
    _resting: dict[int, datetime] = field(init=False, default_factory=dict)
    _moved: dict[int, int] = field(init=False, default_factory=dict)
    _unreachable: set[int] = field(init=False, default_factory=set)
    _finished_during_read: set[int] | None = field(init=False, default=None)
    _last_read: float = field(init=False, default=float("-inf"))
    _recalled: bool = field(init=False, default=False)  # the pacer knows the recent sends
    _records: WriteBatch = field(init=False)
    _lease: SenderLease = field(init=False)
    _calls: OutboxCalls = field(init=False)

    def __post_init__(self) -> None:
        self.pacer = Pacer(self.limits)
        self._records = WriteBatch(self.store)
        self._lease = SenderLease(self.store, self.lease_holder, self.clock, self.lease)
        self._calls = OutboxCalls(self.bot, self.store, self.pacer)

    async def run(self, stop: asyncio.Event) -> None:
        """Send until `stop` is set; then finish the requests already on the wire (the
        others stay pending). Cancelled (a crash), it cancels every send at once."""
        try:
            async with self.store.outbox_wakeups(self.wake):
                await self._send_until(stop)
        except asyncio.CancelledError:
            await self._cancel(self._in_flight)
            self._records.cancel()
            raise
        await self._cancel(self._waiting())
        await asyncio.gather(*self._in_flight.values(), return_exceptions=True)
        await self._lease.hand_over()

    async def _send_until(self, stop: asyncio.Event) -> None:
        """The sending loop: lead, start what is due, wait for a wake-up or the poll."""
        loop = asyncio.get_running_loop()
        while not stop.is_set():
            self.wake.clear()
            if not await self._lease.lead():  # another worker sends; ask again soon
                self._recalled = False
                await self._cancel(self._waiting())
                await wait_any((stop,), IDLE_POLL_SECONDS)
                continue
            try:
                if not self._recalled:  # just took over (or started): pace as Telegram counts
                    await self._recall_sends()
                self._last_read = loop.time()
                await self.start_due()
            except Exception:
                log.exception("reading the outbox failed; retrying")
            # Even after starting some: what was due and not started waits for a send
            # to finish, a commit or a retry's time, and each of these sets `wake` (an
            # immediate second read found the same rows in flight, one read in two).
            await wait_any((self.wake, stop), self.idle_poll)
            # At most one read per `read_gap`: under load the wake-ups of those few
            # milliseconds gather into one read (each read scans the pending rows).
            await asyncio.sleep(self._last_read + self.read_gap - loop.time())

    async def _recall_sends(self) -> None:
        """Count the sends of the last group window, whoever made them (the previous
        holder of the lease, this process before a restart): a group that had its 20 in
        the last minute waits for the minute to end (§17 of docs/benchmarks.md)."""
        now = self.clock()
        since = now - timedelta(seconds=self.limits.group_window)
        async with self.store.reading() as tx:
            sends = await tx.recent_sends(since)
        loop_now = asyncio.get_running_loop().time()
        self.pacer.recall((chat, loop_now - (now - at).total_seconds()) for chat, at in sends)
        self._recalled = True

    async def start_due(self) -> int:
        """Start sending each due message whose chat has none in flight; returns how many."""
        room = self.max_in_flight - len(self._in_flight)
        if room <= 0:
            return 0
        now = self.clock()
        self._resting = {c: t for c, t in self._resting.items() if t > now}
        # Chats in flight or resting are left out by the query, not after it: a read
        # then carries about as many rows as it starts (it carried ten times more).
        busy = [*self._in_flight, *self._resting]
        # A send that finishes while we read may have been read as still pending (its
        # "sent" committed after our snapshot, which PostgreSQL's concurrent
        # transactions allow): its chat waits for the next read.
        self._finished_during_read = set()
        async with self.store.reading() as tx:  # one query: no transaction needed
            due = await tx.due_messages(now, room, lane_waits=self.lane_waits, skip_chats=busy)
        finished, self._finished_during_read = self._finished_during_read, None
        started = 0
        for message in due:
            chat = message.chat_id
            if started == room:
                break
            if chat in self._in_flight or chat in self._resting or chat in finished:
                continue
            task = asyncio.create_task(self._deliver(message))
            self._in_flight[chat] = task
            task.add_done_callback(self._finisher(chat))
            started += 1
        return started

    def _finisher(self, chat_id: int) -> Callable[[asyncio.Task[None]], None]:
        def finished(_task: asyncio.Task[None]) -> None:
            self._in_flight.pop(chat_id, None)
            if self._finished_during_read is not None:
                self._finished_during_read.add(chat_id)
            self.wake.set()

        return finished

    async def _deliver(self, message: OutboxMessage) -> None:
        """Wait for the chat's turn, make one attempt and record its outcome."""
        try:
            try:
                out = Outgoing.from_json(message.payload)
            except (ValueError, KeyError, TypeError, IndexError) as exc:
                await self._failed(message, f"unreadable payload: {exc!r}")
                return
            await self.pacer.turn(message.chat_id, message.lane)
            if not self.leading():  # lost the lease while waiting: another worker sends
                return
            self._on_the_wire.add(message.chat_id)
            await self._attempt(message, out)
            self.pacer.landed(message.chat_id)
        except Exception:  # e.g. the database is unavailable: never a busy loop
            log.exception("outbox message %s: unexpected error; chat rests", message.id)
            self._rest(message.chat_id, HOLD_AFTER_ERROR)
        finally:
            self._on_the_wire.discard(message.chat_id)

    async def _attempt(self, message: OutboxMessage, out: Outgoing) -> None:
        try:
            chat_id = self._moved.get(message.chat_id, message.chat_id)
            message_id = await self._calls.perform(message, out, chat_id)
        except RetryAfter as exc:
            delay = flood_wait(exc)
            if self.pacer.flooded(message.chat_id, delay.total_seconds()):
                log.warning("429s from several chats: every send pauses for %s", delay)
            self.record("rate_limited")
            await self._retry(message, f"429: retry after {delay}", delay)
        except Forbidden as exc:
            if message.chat_id < 0:  # a group or channel: officers, who can fix it
                await self._unreachable_group(message, exc)
                return
            # A private chat's id is the person's Telegram id: not in the logs.
            log.warning("a resident blocked the bot (outbox message %s): %s", message.id, exc)
            self.record("blocked")
            await self._write(lambda tx: tx.mark_chat_blocked(message.chat_id, now=self.clock()))
        except ChatMigrated as exc:
            log.error("chat %s is now %s: update the config", message.chat_id, exc.new_chat_id)
            self._moved[message.chat_id] = int(exc.new_chat_id)
            await self._retry(message, str(exc), timedelta(0))
        except (BadRequest, NothingToEdit) as exc:
            self.record("failed")
            await self._failed(message, str(exc), out)
        except TelegramError as exc:  # network errors, timeouts, 5xx, and the unexpected
            self.record("retry")
            await self._retry(message, str(exc), self.retry_delay(message.attempts))
        else:
            self.record("sent")
            self._unreachable.discard(message.chat_id)
            mark = SentMark(message.id, message_id, self.clock())

            async def record(tx: Transaction) -> None:
                await _relink(tx, message, out)
                await tx.mark_all_sent([mark])

            # Marks alone go together: on PostgreSQL one round trip for the batch.
            together = Together(self.store.mark_all_sent, mark)
            relinks = out.edit is not None and out.relink is not None
            await self._write(record, None if relinks else together)

    async def _write(
        self, record: Callable[[Transaction], Awaitable[object]], together: Together | None = None
    ) -> None:
        """Record the outcome of an attempt (`bot.write_batch`: several to a transaction,
        a database locked by another writer waited out). The chat stays in flight until
        it is committed, so a message Telegram accepted is not sent again because its
        bookkeeping met a lock."""
        await self._records.write(record, together)

    async def _retry(self, message: OutboxMessage, error: str, delay: timedelta) -> None:
        log.info("outbox message %s: %s; retrying in %s", message.id, error, delay)
        await self._write(
            lambda tx: tx.mark_retry(message.id, error=error, next_attempt_at=self.clock() + delay)
        )
        self._wake_in(delay)

    async def _unreachable_group(self, message: OutboxMessage, exc: Forbidden) -> None:
        """The bot may not post in this group: keep its messages, alert once."""
        self.record("forbidden")
        await self._retry(message, f"403: {exc}", self.retry_delay(message.attempts))
        if message.chat_id in self._unreachable:
            return
        self._unreachable.add(message.chat_id)
        log.error("the bot may not post in group %s: %s", message.chat_id, exc)
        if self.on_unreachable_group is not None:
            await self.on_unreachable_group(message.chat_id)

    async def _failed(
        self, message: OutboxMessage, error: str, out: Outgoing | None = None
    ) -> None:
        log.error("outbox message %s failed: %s", message.id, error)

        async def record(tx: Transaction) -> None:
            if out is not None:  # a moved card's copies that are gone are moved too
                await _relink(tx, message, out)
            await tx.mark_failed(message.id, error=error, now=self.clock())

        await self._write(record)

    def _rest(self, chat_id: int, delay: timedelta) -> None:
        """Leave the chat alone for `delay` (in memory: after errors we cannot record)."""
        self._resting[chat_id] = self.clock() + delay
        self._wake_in(delay)

    def _wake_in(self, delay: timedelta) -> None:
        """Look at the outbox again when a retry becomes due (the idle poll is slower)."""
        if delay.total_seconds() < 60:
            asyncio.get_running_loop().call_later(delay.total_seconds(), self.wake.set)

    def _waiting(self) -> dict[int, asyncio.Task[None]]:
        """The sends still waiting for their turn (not yet on the wire)."""
        return {c: t for c, t in self._in_flight.items() if c not in self._on_the_wire}

    def leading(self) -> bool:
        """Whether this process may send now (its lease has a safe while to run)."""
        return self._lease.leading()

    @staticmethod
    async def _cancel(tasks: dict[int, asyncio.Task[None]]) -> None:
        for task in tasks.values():
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*tasks.values(), return_exceptions=True)
