"""Casework shared by the resident engine and the officers' desk, inside a transaction.

Posting and editing a report's card, telling the reporter (and her supporters) what
happened, applying an officer's decision, deadline reminders (one by one, or as a
digest) and follow-up questions.
Everything goes through the outbox in the caller's transaction. No Telegram here.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from flows import notices
from flows.buttons import button
from flows.card import officer_card
from flows.deadlines import Deadline, describe, reminders_due
from flows.effects import Reply
from flows.office import Office
from flows.officer import Decision, card_buttons
from flows.officer_texts import body_short
from flows.report import Report
from flows.rules import Rules
from service.outbox import enqueue, enqueue_parts
from service.outgoing import Outgoing, from_reply, split_parts
from storage.base import Transaction

FOLLOWUP_ANSWERS = (("✅ Ya, sudah", "ya"), ("❌ Belum", "belum"), ("〰 Sebagian", "sebagian"))


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


def outgoing_card(
    report: Report,
    rules: Rules,
    office: Office,
    now: datetime,
    *,
    supporters: int,
    keyboard: str = "main",
) -> Outgoing:
    """The card as a message (text and the buttons of `keyboard`)."""
    text = officer_card(
        report,
        rules,
        supporters=supporters,
        deadline=office.next_deadline_line(report, rules, now),
    )
    buttons = card_buttons(report, keyboard, rules, office.templates)
    return Outgoing(
        text=text, buttons=tuple(tuple((b.label, b.data) for b in row) for row in buttons)
    )


@dataclass
class Casework:
    """See the module docstring."""

    rules: Rules
    office: Office

    async def post_card(self, tx: Transaction, report: Report, now: datetime) -> None:
        """Post the card (and its photos) to the chat responsible for the report's body."""
        chat = self.office.roles.chat_for(report.body)
        if chat is None:
            return
        supporters = len(await tx.supporter_chats(report.id))
        card = outgoing_card(report, self.rules, self.office, now, supporters=supporters)
        await enqueue(tx, chat, card, now=now, report_id=report.id, purpose="card")
        for number, file_id in enumerate(report.photos, start=1):
            caption = f"Foto {number}/{len(report.photos)} · {report.code}"
            photo = Outgoing(text=caption, photo=file_id)
            await enqueue(tx, chat, photo, now=now, report_id=report.id, purpose="card_photo")

    async def refresh_card(
        self,
        tx: Transaction,
        report: Report,
        now: datetime,
        keyboard: str = "main",
        *,
        skip: Collection[int] = (),
    ) -> None:
        """Edit every copy of the card in place to show the report as it is now: in the
        chat handling it and wherever else it was shown (`/cari`), except in `skip`."""
        chats = set(await tx.chats_showing(report.id, "card"))
        handling = self.office.roles.chat_for(report.body)
        if handling is not None:
            chats.add(handling)
        chats -= set(skip)
        if not chats:
            return
        supporters = len(await tx.supporter_chats(report.id))
        card = outgoing_card(
            report, self.rules, self.office, now, supporters=supporters, keyboard=keyboard
        )
        edit = Outgoing(text=card.text, buttons=card.buttons, edit=(report.id, "card"))
        for chat in sorted(chats):
            await enqueue(tx, chat, edit, now=now, report_id=report.id, purpose="card_edit")

    async def tell_reporter(
        self,
        tx: Transaction,
        report: Report,
        text: str,
        now: datetime,
        *,
        photo: str | None = None,
        purpose: str = "status",
        supporters_too: bool = True,
    ) -> None:
        """A message about the report to its reporter (and the residents supporting it);
        an erased reporter has no chat and gets nothing."""
        chats = [report.reporter.chat_id] if report.reachable else []
        if supporters_too:
            chats += [c for c in await tx.supporter_chats(report.id) if c not in chats]
        for chat in chats:
            if photo is not None:
                await enqueue(
                    tx,
                    chat,
                    Outgoing(text="", photo=photo),
                    now=now,
                    report_id=report.id,
                    purpose=purpose,
                )
            await enqueue(
                tx, chat, Outgoing(text=text), now=now, report_id=report.id, purpose=purpose
            )

    async def tell_officers(
        self,
        tx: Transaction,
        report: Report,
        text: str,
        now: datetime,
        *,
        photo: str | None = None,
        purpose: str = "relay",
    ) -> None:
        """A message about the report to the chat handling it, as a reply to the report's
        card (and linked, so officers can answer by replying to it); with `photo`, one
        photo message with the text as its caption."""
        chat = self.office.roles.chat_for(report.body)
        if chat is None:
            return
        relay = Outgoing(text=text, photo=photo, reply_to=(report.id, "card"))
        await enqueue(tx, chat, relay, now=now, report_id=report.id, purpose=purpose)

    async def apply(
        self,
        tx: Transaction,
        report: Report,
        decision: Decision,
        *,
        actor: str,
        unit: str,
        now: datetime,
    ) -> Report:
        """Carry out an officer's decision: store it, tell the reporter, update the card."""
        moved_from = None
        if decision.body is not None and decision.body != report.body:
            moved_from = report.body
            report = await tx.set_body(report.id, decision.body, report.kind, actor=actor, at=now)
        for field, at in decision.stamps:
            await tx.stamp(report.id, field, at, keep_first=decision.keep_first_stamps)
        if decision.reject_reason is not None:
            await tx.set_outcome(
                report.id, reject_reason=decision.reject_reason, duplicate_of=report.duplicate_of
            )
        await self._protect(tx, report, decision, actor=actor, now=now)
        if decision.learn:
            await tx.add_routing_example(report.description, report.body, now, report.id)
            self.rules.classifier.learn(report.description, report.body)
        if decision.to_status is not None and decision.to_status is not report.status:
            report = await tx.set_status(report.id, decision.to_status, actor=actor, at=now)
        else:
            report = await tx.get_report_by_id(report.id)
        if moved_from is not None:
            await self._move_card(tx, report, moved_from, now)
        else:
            await self.refresh_card(tx, report, now, decision.keyboard)
        if decision.to_status is not None or moved_from is not None:
            await self._tell_news(tx, report, unit, now)
        return report

    async def _protect(
        self, tx: Transaction, report: Report, decision: Decision, *, actor: str, now: datetime
    ) -> None:
        """Officers' privacy decisions: add a protection (never remove one), approve the
        public text (verification), make the photos public."""
        if decision.protect is not None:
            wanted = report.privacy.adding(
                anonymous=decision.protect == "anonim",
                confidential=decision.protect == "rahasia",
            )
            if wanted is not report.privacy:
                await tx.add_protection(report.id, wanted, actor=actor, at=now)
        if report.privacy.confidential:
            return
        if decision.publish and report.public_at is None:
            await tx.stamp(report.id, "public_at", now, keep_first=True)
        if decision.photos_public and report.photos:
            await tx.set_photos_public(report.id, actor=actor, at=now)

    async def _move_card(
        self, tx: Transaction, report: Report, old_body: str, now: datetime
    ) -> None:
        """Re-routed: the old chat's copies say where it went and stop being its card
        there (`relink`); the new chat gets a fresh card; copies elsewhere follow."""
        old_chat = self.office.roles.chat_for(old_body)
        new_chat = self.office.roles.chat_for(report.body)
        if old_chat is not None and old_chat != new_chat:
            moved = notices.moved_card(report, self._body_name(report.body))
            edit = Outgoing(text=moved, edit=(report.id, "card"), relink="card_moved")
            await enqueue(tx, old_chat, edit, now=now, report_id=report.id, purpose="card_edit")
            await self.post_card(tx, report, now)
            skip = {old_chat} if new_chat is None else {old_chat, new_chat}
            await self.refresh_card(tx, report, now, skip=skip)
        else:
            await self.refresh_card(tx, report, now)

    async def _tell_news(self, tx: Transaction, report: Report, unit: str, now: datetime) -> None:
        body = self.rules.catalogue.body(report.body) if report.body in self._bodies() else None
        if body is not None and body.outside:
            text = notices.rerouted_outside(report, body.name, body.contact or "-")
        else:
            text = notices.status_changed(report, unit, self._body_name(report.body))
        await self.tell_reporter(tx, report, text, now)

    def _bodies(self) -> set[str]:
        return {body.id for body in self.rules.catalogue.bodies}

    def _body_name(self, body_id: str) -> str:
        if body_id in self._bodies():
            return self.rules.catalogue.body(body_id).name
        return f"petugas pengaduan {self.rules.places.city}"

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
        return [
            item
            for item in due
            if await tx.claim_reminder(item.report_id, item.deadline.kind, item.level, now)
        ]

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

    async def ask_followups(self, tx: Transaction, now: datetime, limit: int = 100) -> int:
        """Ask reporters of solved reports whether the problem is really solved (at most
        `limit` of them); returns how many were asked."""
        due = await tx.due_followups(now, limit)
        for report in due:
            await tx.stamp(report.id, "followup_asked_at", now)
            code = report.code.replace("-", "")
            question = Reply(
                notices.followup_question(report, self.rules.timezone),
                (
                    tuple(
                        button(label, None, "fu", f"{code}:{answer}")
                        for label, answer in FOLLOWUP_ANSWERS
                    ),
                ),
            )
            await enqueue(
                tx,
                report.reporter.chat_id,
                from_reply(question),
                now=now,
                report_id=report.id,
                purpose="followup",
            )
        return len(due)
