"""Deadline reminders to officers: one message each, or a digest per chat.

A reminder goes to the chat handling the report before a legal deadline, an escalation
to the central chat once it is missed; `claim_reminder` keeps each to one sending,
whoever else runs this. Everything goes through the outbox in the caller's
transaction. No Telegram here.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from flows import notices
from flows.deadlines import Deadline, describe, reminders_due
from flows.office import Office
from flows.officer_texts import body_short
from flows.ombudsman import reason_of_escalation
from flows.report import Report
from flows.rules import Rules
from service.ombudsman import Ombudsman
from service.outbox import enqueue, enqueue_parts
from service.outgoing import Outgoing, split_parts
from storage.base import Transaction


@dataclass(frozen=True, slots=True)
class DueReminder:
    """A reminder (or, `late`, an escalation) due about one report, and the chat it goes
    to (None: no chat is configured for it; it is claimed and dropped)."""

    report_id: int
    code: str
    body: str
    deadline: Deadline
    level: str  # "pengingat" | "terlambat"
    chat: int | None

    @property
    def late(self) -> bool:
        """An escalation: the deadline is missed."""
        return self.level == "terlambat"


@dataclass(frozen=True)
class Reminders:
    """Finds, claims and queues reminders; see the module docstring."""

    rules: Rules
    office: Office

    async def due_reminders(
        self, tx: Transaction, report_ids: Sequence[int], now: datetime
    ) -> list[DueReminder]:
        """The reminders and escalations due now about these reports (closed ones have
        none), each with the chat it goes to. This is a read-only operation."""
        already = await tx.reminders_sent(report_ids)
        due: list[DueReminder] = []
        for report_id in report_ids:
            report = await tx.get_report_by_id(report_id)
            due += self._reminders_of(report, already.get(report_id, set()), now)
        return due

    async def send_reminders(
        self,
        tx: Transaction,
        report_ids: Sequence[int],
        now: datetime,
        *,
        skip_chats: Collection[int] = frozenset(),
    ) -> tuple[int, int]:
        """Deadline reminders about these reports to the responsible chat, escalations
        to the central chat, one message each (officers may reply to it to answer the
        reporter); those for `skip_chats` are left alone (they go in a digest). Returns
        how many messages, and how many of them escalations.

        Each report is read again here (a closed one is skipped), so what was picked in
        an earlier transaction is judged as it is now; `claim_reminder` keeps every
        reminder to one sending, whoever else runs this.
        """
        sent = escalations = 0
        already = await tx.reminders_sent(report_ids)
        for report_id in report_ids:
            report = await tx.get_report_by_id(report_id)
            for due in self._reminders_of(report, already.get(report_id, set()), now):
                if due.chat in skip_chats:
                    continue
                if not await tx.claim_reminder(report.id, due.deadline.kind, due.level, now):
                    continue
                await self._ombudsman_route(tx, report, due, now)
                if due.chat is None:
                    continue
                line = describe(due.deadline, now, self.rules.timezone)
                text = notices.reminder(report, line, due.late)
                await enqueue(
                    tx,
                    due.chat,
                    Outgoing(text=text),
                    now=now,
                    report_id=report.id,
                    purpose="reminder",
                )
                sent += 1
                escalations += due.late
        return sent, escalations

    async def claim_reminders(
        self, tx: Transaction, due: Sequence[DueReminder], now: datetime
    ) -> list[DueReminder]:
        """Record these reminders as sent (for a digest); returns those not already
        claimed, which are now this caller's to send. This writes."""
        claimed = [
            item
            for item in due
            if await tx.claim_reminder(item.report_id, item.deadline.kind, item.level, now)
        ]
        for item in claimed:
            if reason_of_escalation(item.deadline.kind, item.level) is not None:
                report = await tx.get_report_by_id(item.report_id)
                await self._ombudsman_route(tx, report, item, now)
        return claimed

    async def _ombudsman_route(
        self, tx: Transaction, report: Report, due: DueReminder, now: datetime
    ) -> None:
        """A missed answer or decision deadline: the reporter is told (once) of her
        right to complain to the Ombudsman (`flows.ombudsman`)."""
        reason = reason_of_escalation(due.deadline.kind, due.level)
        if reason is not None:
            await Ombudsman(self.rules, self.office).offer(tx, report, reason, now)

    def digest(self, chat: int, due: Sequence[DueReminder], now: datetime) -> list[Outgoing]:
        """One message to `chat` listing these reminders (`notices.reminder_digest`), cut
        to Telegram's limit; in the central chat each line names the office. No database:
        build it before the transaction that queues it."""
        central = chat == self.office.roles.central_chat
        items = [
            notices.DigestItem(
                code=item.code,
                deadline=item.deadline,
                late=item.late,
                office=body_short(item.body, self.rules) if central else None,
            )
            for item in due
        ]
        return split_parts(Outgoing(text=notices.reminder_digest(items, now, self.rules.timezone)))

    async def send_digest(
        self, tx: Transaction, chat: int, digest: list[Outgoing], now: datetime
    ) -> None:
        """Queue a digest built by `digest`. It is linked to no report, so replying to it
        answers nobody. This writes."""
        await enqueue_parts(tx, chat, digest, now=now, purpose="reminder_digest")

    def _reminders_of(
        self, report: Report, already: set[tuple[str, str]], now: datetime
    ) -> list[DueReminder]:
        """The report's reminders due now: a reminder to its chat before a deadline, an
        escalation to the central chat once missed."""
        if report.closed:
            return []
        deadlines: dict[str, Deadline] = {
            d.kind: d for d in self.office.deadlines_of(report, self.rules)
        }
        roles = self.office.roles
        return [
            DueReminder(
                report_id=report.id,
                code=report.code,
                body=report.body,
                deadline=deadlines[kind],
                level=level,
                chat=roles.central_chat if level == "terlambat" else roles.chat_for(report.body),
            )
            for kind, level in reminders_due(
                deadlines.values(), now, self.office.deadlines, already
            )
        ]
