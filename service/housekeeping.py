"""Housekeeping: residents' held messages to officers (the relay limit), deadline
reminders (a digest when a chat has many), follow-up questions, retention, pruning the
outbox; and the loop that runs it every few minutes.

Everything is computed from the database, so nothing is lost across restarts. Work is
done in short transactions (on SQLite every resident's update waits for the running
one), each begun only in a gap between residents' updates (`pressure`, at most
`YIELD_MOST` later), and stops between them when asked; each step is safe to repeat.
No Telegram here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flows.deadlines import digest_chats
from flows.office import Office
from flows.rules import Rules
from service.cards import Cards
from service.clock import utc_now
from service.engine import Engine
from service.followups import ask_followups
from service.relays import release_held
from service.reminders import DueReminder, Reminders
from service.waiting import nap
from storage.base import Store, Transaction

log = logging.getLogger(__name__)

REMINDER_PAGE = 1000
"""Open reports whose deadlines the reminders pass reads per transaction."""
HOUSEKEEPING_BATCH = 25
"""Reports a housekeeping transaction changes at most (reminders, follow-ups, retention):
about 1 ms each on SQLite at a million reports, so a batch stays well under 50 ms even
when a backlog is caught up (after downtime, or a lowered retention)."""
REMINDER_CLAIM_BATCH = 100
"""Reminders of a digest one transaction claims at most (about 0.1 ms each on SQLite)."""
OUTBOX_KEEP = timedelta(days=30)
"""How long sent and failed messages stay in the outbox; pending ones stay until done.
The links from sent messages to their reports (replies to cards) are kept for ever."""
OUTBOX_PRUNE_BATCH = 500
"""Outbox rows one housekeeping transaction deletes at most."""
YIELD_PAUSE = 0.05
"""Seconds housekeeping naps while residents' updates are being handled."""
YIELD_MOST = 5.0
"""Seconds housekeeping waits at most for a gap before its next transaction, so a long
surge delays it but never stops it."""


@dataclass
class Housekeeping:
    """One pass of housekeeping at a time (`run`), or any of its steps."""

    store: Store
    rules: Rules
    office: Office
    clock: Callable[[], datetime] = utc_now
    on_commit: Callable[[], None] = lambda: None  # messages were queued
    on_escalation: Callable[[], None] = lambda: None  # a missed deadline (metrics)
    pressure: Callable[[], bool] = lambda: False  # residents' updates are being handled
    reminders: Reminders = field(init=False)
    cards: Cards = field(init=False)

    def __post_init__(self) -> None:
        self.reminders = Reminders(self.rules, self.office)
        self.cards = Cards(self.rules, self.office)

    async def run(self, retention: timedelta, stop: asyncio.Event | None = None) -> tuple[int, int]:
        """Release residents' held messages (as far as their relay limit allows), send
        due deadline reminders and follow-up questions, anonymise closed reports
        past `retention` and prune old finished messages from the outbox; returns how
        many reminders and follow-ups.

        Each step runs as many short transactions (`HOUSEKEEPING_BATCH` reports each),
        never one long one: on SQLite every resident's update waits for the running
        transaction. Once `stop` is set the pass ends before its next transaction; every
        step is safe to stop half-way and repeat, so the next pass does the rest.
        """
        now = self.clock()
        await self.release_relays(now)
        reminders = await self.send_reminders(now, stop)
        followups = await self.ask_followups(now, stop)
        await self.apply_retention(now - retention, now, stop)
        await self.prune_outbox(now - OUTBOX_KEEP, stop)
        return reminders, followups

    async def send_reminders(self, now: datetime, stop: asyncio.Event | None = None) -> int:
        """Deadline reminders and escalations of every open report; returns how many
        (whether sent one by one or in a digest).

        Pages through the open reports' lifecycle times (`REMINDER_PAGE` per read) and
        decides outside any transaction which have a reminder due; only those are read
        in full (`HOUSEKEEPING_BATCH` per transaction) to learn where each reminder goes.
        A chat due more than `DIGEST_OVER` of them in this pass gets one digest
        (`_send_digest`); the others get each on its own, `HOUSEKEEPING_BATCH` reports
        per transaction. Stopped before it sends anything, it leaves everything for the
        next pass, which decides afresh.
        """
        report_ids = await self._reports_with_reminders(now, stop)
        due: list[DueReminder] = []
        for start in range(0, len(report_ids), HOUSEKEEPING_BATCH):
            if _stopped(stop):
                return 0
            await self.yield_to_residents(stop)
            async with self.store.transaction() as tx:
                due += await self.reminders.due_reminders(
                    tx, report_ids[start : start + HOUSEKEEPING_BATCH], now
                )
        digests = digest_chats(item.chat for item in due if item.chat is not None)
        one_by_one = sorted({item.report_id for item in due if item.chat not in digests})
        sent = await self._send_one_by_one(one_by_one, digests, now, stop)
        for chat in sorted(digests):
            if _stopped(stop):
                break
            sent += await self._send_digest(chat, [i for i in due if i.chat == chat], now)
        return sent

    async def _reports_with_reminders(self, now: datetime, stop: asyncio.Event | None) -> list[int]:
        """Ids of the open reports with a reminder due now (none once `stop` is set)."""
        due: list[int] = []
        after = 0
        while not _stopped(stop):
            await self.yield_to_residents(stop)
            async with self.store.transaction() as tx:
                page = await tx.open_report_progress(after, REMINDER_PAGE)
                already = await tx.reminders_sent([p.report_id for p in page])
            due += [
                p.report_id
                for p in page
                if self.office.reminders_of(p, self.rules, now, already.get(p.report_id, set()))
            ]
            if len(page) < REMINDER_PAGE:
                return due
            after = page[-1].report_id
        return []

    async def _send_one_by_one(
        self, report_ids: list[int], digests: set[int], now: datetime, stop: asyncio.Event | None
    ) -> int:
        """Each reminder about these reports as its own message, except those for the
        `digests` chats; returns how many."""
        sent = 0
        for start in range(0, len(report_ids), HOUSEKEEPING_BATCH):
            if _stopped(stop):
                break
            await self.yield_to_residents(stop)
            async with self.store.transaction() as tx:
                count, escalations = await self.reminders.send_reminders(
                    tx, report_ids[start : start + HOUSEKEEPING_BATCH], now, skip_chats=digests
                )
            sent += count
            if count:
                self.on_commit()
            for _ in range(escalations):
                self.on_escalation()
        return sent

    async def _send_digest(self, chat: int, due: list[DueReminder], now: datetime) -> int:
        """One digest to `chat` for all these reminders; returns how many it holds.

        The digest is queued in the transaction that claims the first
        `REMINDER_CLAIM_BATCH` reminders (those already claimed elsewhere are left
        out), the rest are claimed in further short transactions, not interrupted by a
        stop. Only a crash between them leaves some unclaimed: the next pass tells them
        again (a repeat, never a loss). The text is built and cut before the transaction.
        """
        first, rest = due[:REMINDER_CLAIM_BATCH], due[REMINDER_CLAIM_BATCH:]
        digest = self.reminders.digest(chat, due, now)
        async with self.store.transaction() as tx:
            claimed = await self.reminders.claim_reminders(tx, first, now)
            if len(claimed) < len(first):  # claimed meanwhile by another pass (rare)
                listed = [*claimed, *rest]
                digest = self.reminders.digest(chat, listed, now) if listed else []
            await self.reminders.send_digest(tx, chat, digest, now)
        if digest:
            self.on_commit()
        for start in range(0, len(rest), REMINDER_CLAIM_BATCH):
            async with self.store.transaction() as tx:
                claimed += await self.reminders.claim_reminders(
                    tx, rest[start : start + REMINDER_CLAIM_BATCH], now
                )
        for _ in range(sum(item.late for item in claimed)):
            self.on_escalation()
        return len(claimed)

    async def yield_to_residents(self, stop: asyncio.Event | None) -> float:
        """Before a transaction: while residents' updates are being handled, nap (at
        most `YIELD_MOST` seconds, or until `stop`), so on SQLite no resident's update
        waits for housekeeping's write lock; returns the seconds waited."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        while self.pressure() and not _stopped(stop):
            if loop.time() - started >= YIELD_MOST:
                break
            await asyncio.sleep(YIELD_PAUSE)
        return loop.time() - started

    async def ask_followups(self, now: datetime, stop: asyncio.Event | None = None) -> int:
        """Ask every reporter whose solved report is due whether it is really solved;
        returns how many were due (a reporter without a chat is not asked)."""

        async def batch(tx: Transaction) -> int:
            return await ask_followups(tx, self.rules, now, HOUSEKEEPING_BATCH)

        return await self._in_batches(batch, HOUSEKEEPING_BATCH, stop)

    async def release_relays(self, now: datetime) -> int:
        """Send residents' held messages to the officers as far as each one's relay
        limit allows now, the longest waiting first (`HOUSEKEEPING_BATCH` reports per
        pass; the rest wait for the next); returns how many messages went."""
        released = 0
        await self.yield_to_residents(None)
        async with self.store.transaction() as tx:
            for report_id in await tx.reports_with_held_relays(HOUSEKEEPING_BATCH):
                report = await tx.get_report_by_id(report_id)
                released += (await release_held(tx, self.rules, self.office.roles, report, now))[0]
        if released:
            self.on_commit()
        return released

    async def apply_retention(
        self, cutoff: datetime, now: datetime, stop: asyncio.Event | None = None
    ) -> int:
        """Anonymise the closed reports decided before `cutoff` and refresh their cards;
        returns how many."""

        async def batch(tx: Transaction) -> int:
            report_ids = await tx.anonymise_closed_before(cutoff, HOUSEKEEPING_BATCH)
            await tx.forget_messages_about(report_ids)  # cards sent with her name
            await tx.forget_evidence(report_ids)  # a voice or a face tells who reported
            for report_id in report_ids:
                await self.cards.refresh_card(tx, await tx.get_report_by_id(report_id), now)
            return len(report_ids)

        return await self._in_batches(batch, HOUSEKEEPING_BATCH, stop)

    async def prune_outbox(self, older_than: datetime, stop: asyncio.Event | None = None) -> int:
        """Delete sent and failed messages finished before `older_than` (pending ones and
        the links from sent messages to reports stay); returns how many."""

        async def batch(tx: Transaction) -> int:
            return await tx.prune_outbox(older_than, OUTBOX_PRUNE_BATCH)

        return await self._in_batches(batch, OUTBOX_PRUNE_BATCH, stop, queues=False)

    async def _in_batches(
        self,
        batch: Callable[[Transaction], Awaitable[int]],
        size: int,
        stop: asyncio.Event | None,
        *,
        queues: bool = True,
    ) -> int:
        """Run `batch` in one transaction after another until it does fewer than `size`
        things or `stop` is set; returns how many it did in all. When `queues`, each
        batch that did something may have queued messages: the sender is woken."""
        done = 0
        while not _stopped(stop):
            await self.yield_to_residents(stop)
            async with self.store.transaction() as tx:
                count = await batch(tx)
            done += count
            if count and queues:
                self.on_commit()
            if count < size:
                break
        return done


async def keep_house(
    engine: Engine,
    keeper: Housekeeping,
    every: timedelta,
    retention: timedelta,
    holder: str,
    stop: asyncio.Event,
) -> None:
    """Expire abandoned drafts, send deadline reminders and follow-up questions, forget
    old update ids: at start and then every `every`. Everything is computed from the
    database, so nothing is lost across restarts; with several workers only the holder
    of the housekeeping lease does it, so nobody is asked twice. A pass in progress
    ends between two of its transactions once `stop` is set (a catch-up pass over a
    million reports takes tens of seconds); the next run does the rest."""
    while not stop.is_set():
        try:
            async with engine.store.transaction() as tx:
                leading = await tx.try_lead("housekeeping", holder, engine.clock(), every * 3)
            if not leading:
                await nap(stop, every.total_seconds())
                continue
            expired = await engine.expire_drafts()
            reminders, followups = await keeper.run(retention, stop)
            if expired or reminders or followups:
                log.info(
                    "housekeeping: %d drafts expired, %d reminders, %d follow-ups",
                    expired,
                    reminders,
                    followups,
                )
            if not stop.is_set():
                await engine.prune_updates()
        except Exception:
            log.exception("housekeeping failed; will try again")
        await nap(stop, every.total_seconds())


def _stopped(stop: asyncio.Event | None) -> bool:
    return stop is not None and stop.is_set()
