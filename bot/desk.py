"""The officers' desk: card buttons, replies to cards, officer commands, housekeeping.

Every update from an officers' chat is one transaction, like the resident engine's:
the update id is claimed, the change and every message it causes commit together.
Only configured officers in configured chats act; anyone else gets a short refusal
and nothing changes. No Telegram here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.casework import Casework, DueReminder
from bot.engine import utc_now
from bot.officer_commands import OfficerCommands
from bot.outbox import enqueue
from bot.outgoing import Outgoing
from flows import notices
from flows.codes import parse_code
from flows.deadlines import digest_chats
from flows.office import Office
from flows.officer import decide, duplicate_decision, parse_card_action
from flows.report import Report
from flows.rules import Rules
from storage.base import Store, Transaction
from storage.errors import NotFoundError

log = logging.getLogger(__name__)

OFFICER_REPLYABLE = frozenset({"card", "card_photo", "relay", "reminder"})
"""Messages about a report that officers reply to, to answer the reporter (a digest of
reminders is about many and is linked to none)."""

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
OUTBOX_PRUNE_BATCH = 1000
"""Outbox rows one housekeeping transaction deletes at most."""


@dataclass
class Desk:
    """See the module docstring."""

    store: Store
    rules: Rules
    office: Office
    clock: Callable[[], datetime] = utc_now
    on_commit: Callable[[], None] = lambda: None
    bot_username: str = ""
    on_escalation: Callable[[], None] = lambda: None  # a missed deadline (metrics)
    work: Casework = field(init=False)

    def __post_init__(self) -> None:
        self.work = Casework(self.rules, self.office)

    async def press(
        self, chat_id: int, user_id: int, message_id: int, data: str, update_id: int | None
    ) -> str | None:
        """A press on a card button; returns the toast to show (None: nothing to say)."""
        now = self.clock()
        async with self.store.transaction() as tx:
            if update_id is not None and not await tx.claim_update(update_id, now):
                return None
            toast = await self._press(tx, chat_id, user_id, message_id, data, now)
        self.on_commit()
        return toast

    async def message(
        self,
        chat_id: int,
        user_id: int,
        actor: str,
        reply_to: int | None,
        text: str,
        photo: str | None,
        update_id: int | None,
    ) -> None:
        """A message in an officers' chat: a reply to a card (or prompt) is work; the rest
        is the officers' own conversation and is left alone."""
        if reply_to is None:
            return
        now = self.clock()
        async with self.store.transaction() as tx:
            if update_id is not None and not await tx.claim_update(update_id, now):
                return
            await self._reply(tx, chat_id, user_id, actor, reply_to, text, photo, now)
        self.on_commit()

    async def command(
        self, chat_id: int, user_id: int, name: str, arg: str, update_id: int | None
    ) -> None:
        """An officer command (`/antrian`, `/cari`, `/laporan`, `/undang_kader`, `/kader`)."""
        now = self.clock()
        async with self.store.transaction() as tx:
            if update_id is not None and not await tx.claim_update(update_id, now):
                return
            commands = OfficerCommands(self.rules, self.office, self.bot_username)
            if not self.office.roles.may_act(chat_id, user_id):
                if commands.known(name):
                    await _say(tx, chat_id, notices.not_officer(), now)
            else:
                await commands.run(tx, chat_id, user_id, name, arg, now)
        self.on_commit()

    async def housekeeping(
        self, retention: timedelta, stop: asyncio.Event | None = None
    ) -> tuple[int, int]:
        """Send due deadline reminders and follow-up questions, anonymise closed reports
        past `retention` and prune old finished messages from the outbox; returns how
        many reminders and follow-ups.

        Each step runs as many short transactions (`HOUSEKEEPING_BATCH` reports each),
        never one long one: on SQLite every resident's update waits for the running
        transaction. Once `stop` is set the pass ends before its next transaction; every
        step is safe to stop half-way and repeat, so the next pass does the rest.
        """
        now = self.clock()
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
            async with self.store.transaction() as tx:
                due += await self.work.due_reminders(
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
            async with self.store.transaction() as tx:
                count, escalations = await self.work.send_reminders(
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
        digest = self.work.digest(chat, due, now)
        async with self.store.transaction() as tx:
            claimed = await self.work.claim_reminders(tx, first, now)
            if len(claimed) < len(first):  # claimed meanwhile by another pass (rare)
                listed = [*claimed, *rest]
                digest = self.work.digest(chat, listed, now) if listed else []
            await self.work.send_digest(tx, chat, digest, now)
        if digest:
            self.on_commit()
        for start in range(0, len(rest), REMINDER_CLAIM_BATCH):
            async with self.store.transaction() as tx:
                claimed += await self.work.claim_reminders(
                    tx, rest[start : start + REMINDER_CLAIM_BATCH], now
                )
        for _ in range(sum(item.late for item in claimed)):
            self.on_escalation()
        return len(claimed)

    async def ask_followups(self, now: datetime, stop: asyncio.Event | None = None) -> int:
        """Ask every reporter whose solved report is due whether it is really solved;
        returns how many were asked."""
        asked = 0
        while not _stopped(stop):
            async with self.store.transaction() as tx:
                count = await self.work.ask_followups(tx, now, HOUSEKEEPING_BATCH)
            asked += count
            if count:
                self.on_commit()
            if count < HOUSEKEEPING_BATCH:
                break
        return asked

    async def apply_retention(
        self, cutoff: datetime, now: datetime, stop: asyncio.Event | None = None
    ) -> int:
        """Anonymise the closed reports decided before `cutoff` and refresh their cards;
        returns how many."""
        done = 0
        while not _stopped(stop):
            async with self.store.transaction() as tx:
                report_ids = await tx.anonymise_closed_before(cutoff, HOUSEKEEPING_BATCH)
                for report_id in report_ids:
                    await self.work.refresh_card(tx, await tx.get_report_by_id(report_id), now)
            done += len(report_ids)
            if report_ids:
                self.on_commit()
            if len(report_ids) < HOUSEKEEPING_BATCH:
                break
        return done

    async def prune_outbox(self, older_than: datetime, stop: asyncio.Event | None = None) -> int:
        """Delete sent and failed messages finished before `older_than` (pending ones and
        the links from sent messages to reports stay); returns how many."""
        pruned = 0
        while not _stopped(stop):
            async with self.store.transaction() as tx:
                count = await tx.prune_outbox(older_than, OUTBOX_PRUNE_BATCH)
            pruned += count
            if count < OUTBOX_PRUNE_BATCH:
                break
        return pruned

    async def _press(
        self,
        tx: Transaction,
        chat_id: int,
        user_id: int,
        message_id: int,
        data: str,
        now: datetime,
    ) -> str | None:
        roles = self.office.roles
        if not roles.may_act(chat_id, user_id):
            return notices.not_officer()
        action = parse_card_action(data)
        link = await tx.report_for_message(chat_id, message_id)
        if action is None or link is None or link[1] != "card":
            return "Tombol ini tidak dikenali."
        report = await tx.get_report_by_id(link[0])
        if not roles.may_handle(chat_id, report):
            return notices.not_this_chat()
        decision = decide(
            report, action, self.rules, now, self.office.followup_after, len(self.office.templates)
        )
        if isinstance(decision, str):
            return decision
        actor = f"petugas:{user_id}"
        unit = self.office.unit_name(chat_id, self.rules)
        if decision.ask is not None:
            await self._ask(tx, chat_id, report, decision.ask, now)
            return None
        if decision.template is not None:
            await self._answer_reporter(
                tx, report, actor, unit, self.office.templates[decision.template], None, now
            )
            await self.work.refresh_card(tx, await tx.get_report_by_id(report.id), now)
            return notices.reply_sent(report.code)
        await self.work.apply(tx, report, decision, actor=actor, unit=unit, now=now)
        return None

    async def _ask(
        self, tx: Transaction, chat_id: int, report: Report, what: str, now: datetime
    ) -> None:
        text = (
            notices.ask_note(report.code) if what == "note" else notices.ask_duplicate(report.code)
        )
        await enqueue(
            tx,
            chat_id,
            Outgoing(text=text, keyboard="force_reply"),
            now=now,
            report_id=report.id,
            purpose=f"{what}_prompt",
        )

    async def _reply(
        self,
        tx: Transaction,
        chat_id: int,
        user_id: int,
        actor: str,
        reply_to: int,
        text: str,
        photo: str | None,
        now: datetime,
    ) -> None:
        link = await tx.report_for_message(chat_id, reply_to)
        if link is None:
            return
        report_id, purpose = link
        if not self.office.roles.may_act(chat_id, user_id):
            await _say(tx, chat_id, notices.not_officer(), now)
            return
        report = await tx.get_report_by_id(report_id)
        if not self.office.roles.may_handle(chat_id, report):
            await _say(tx, chat_id, notices.not_this_chat(), now)
            return
        who = f"petugas:{user_id}"
        if purpose == "note_prompt":
            await tx.add_note(
                report.id, kind="note", actor=who, at=now, note=text or "(foto)", public=False
            )
            await _say(tx, chat_id, notices.note_saved(report.code), now)
        elif purpose == "duplicate_prompt":
            await self._mark_duplicate(tx, chat_id, report, text, who, now)
        elif purpose in OFFICER_REPLYABLE:
            unit = self.office.unit_name(chat_id, self.rules)
            await self._answer_reporter(tx, report, who, unit, text, photo, now)
            await self.work.refresh_card(tx, await tx.get_report_by_id(report.id), now)
            await _say(tx, chat_id, notices.reply_sent(report.code), now)

    async def _answer_reporter(
        self,
        tx: Transaction,
        report: Report,
        actor: str,
        unit: str,
        text: str,
        photo: str | None,
        now: datetime,
    ) -> None:
        """An officer's answer goes to the reporter, signed by the unit; the first answer
        meets the 14-day deadline."""
        message = notices.officer_reply(report, unit, text or "(foto)")
        await self.work.tell_reporter(
            tx, report, message, now, photo=photo, purpose="officer_reply", supporters_too=False
        )
        await tx.stamp(report.id, "first_answer_at", now, keep_first=True)
        await tx.add_note(
            report.id,
            kind="reply",
            actor=actor,
            at=now,
            note=f"{unit}: {text or '(foto)'}",
            public=True,
        )

    async def _mark_duplicate(
        self,
        tx: Transaction,
        chat_id: int,
        report: Report,
        typed: str,
        actor: str,
        now: datetime,
    ) -> None:
        code = parse_code(typed)
        other = None
        if code is not None and code != report.code:
            try:
                other = await tx.get_report(code)
            except NotFoundError:
                other = None
        if other is None:
            await _say(tx, chat_id, notices.duplicate_unknown(), now)
            return
        await tx.set_outcome(report.id, reject_reason="duplikat", duplicate_of=other.code)
        # The reporter follows the report that stays open.
        await tx.add_supporter(other.id, report.reporter.user_id, report.reporter.chat_id, now)
        unit = self.office.unit_name(chat_id, self.rules)
        refreshed = await tx.get_report_by_id(report.id)
        await self.work.apply(
            tx, refreshed, duplicate_decision(now), actor=actor, unit=unit, now=now
        )
        await self.work.refresh_card(tx, other, now)


async def _say(tx: Transaction, chat_id: int, text: str, now: datetime) -> None:
    await enqueue(tx, chat_id, Outgoing(text=text), now=now)


def _stopped(stop: asyncio.Event | None) -> bool:
    return stop is not None and stop.is_set()
