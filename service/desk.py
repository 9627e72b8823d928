"""The officers' desk: card buttons, replies to cards, officer commands.

Every update from an officers' chat is one transaction, like the resident engine's:
the update id is claimed, the change and every message it causes commit together.
Only configured officers in configured chats act; anyone else gets a short refusal
and nothing changes. No Telegram here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from flows import notices
from flows.codes import parse_code
from flows.office import Office
from flows.officer import (
    closed_no_answer,
    decide,
    duplicate_decision,
    duplicate_refusal,
    parse_card_action,
)
from flows.public_view import masked_public_text
from flows.report import Report
from flows.rules import Rules
from service.casework import Casework
from service.clock import utc_now
from service.officer_commands import OfficerCommands
from service.outbox import enqueue
from service.outgoing import Outgoing
from service.unit_of_work import unit_of_work
from storage.base import Store, Transaction
from storage.errors import NotFoundError

log = logging.getLogger(__name__)

OFFICER_REPLYABLE = frozenset({"card", "card_moved", "card_photo", "relay", "reminder"})
"""Messages about a report that officers reply to, to answer the reporter (a digest of
reminders is about many and is linked to none; a card that moved to another chat
answers only where the report may still be handled)."""

@dataclass
class Desk:
    """See the module docstring."""

    store: Store
    rules: Rules
    office: Office
    clock: Callable[[], datetime] = utc_now
    on_commit: Callable[[], None] = lambda: None
    bot_username: str = ""
    work: Casework = field(init=False)

    def __post_init__(self) -> None:
        self.work = Casework(self.rules, self.office)

    async def press(
        self, chat_id: int, user_id: int, message_id: int, data: str, update_id: int | None
    ) -> str | None:
        """A press on a card button; returns the toast to show (None: nothing to say)."""
        now = self.clock()
        async with unit_of_work(self.store, update_id, now, self.on_commit) as tx:
            if tx is None:
                return None
            toast = await self._press(tx, chat_id, user_id, message_id, data, now)
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
        async with unit_of_work(self.store, update_id, now, self.on_commit) as tx:
            if tx is None:
                return
            await self._reply(tx, chat_id, user_id, actor, reply_to, text, photo, now)

    async def command(
        self, chat_id: int, user_id: int, name: str, arg: str, update_id: int | None
    ) -> None:
        """An officer command (`/antrian`, `/cari`, `/laporan`, `/undang_kader`, `/kader`)."""
        now = self.clock()
        async with unit_of_work(self.store, update_id, now, self.on_commit) as tx:
            if tx is None:
                return
            commands = OfficerCommands(self.rules, self.office, self.bot_username)
            if not self.office.roles.may_act(chat_id, user_id):
                if commands.known(name):
                    await _say(tx, chat_id, notices.not_officer(), now)
            else:
                await commands.run(tx, chat_id, user_id, name, arg, now)

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
            if not report.reachable:
                return notices.reporter_unreachable(report.code)
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
        if what == "public_text":
            text = notices.ask_public_text(report.code, report.public_text)
        elif what == "note":
            text = notices.ask_note(report.code)
        else:
            text = notices.ask_duplicate(report.code)
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
        elif purpose == "public_text_prompt":
            await self._edit_public_text(tx, chat_id, report, text, who, now)
        elif purpose in OFFICER_REPLYABLE and report.closed:
            await _say(tx, chat_id, closed_no_answer(report), now)
        elif purpose in OFFICER_REPLYABLE and not report.reachable:
            await _say(tx, chat_id, notices.reporter_unreachable(report.code), now)
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

    async def _edit_public_text(
        self, tx: Transaction, chat_id: int, report: Report, text: str, actor: str, now: datetime
    ) -> None:
        """The officer's own public text (masked again like a proposal), approved: public
        once the report is verified."""
        if report.privacy.confidential or not text.strip():
            await _say(tx, chat_id, notices.public_text_refused(report.code), now)
            return
        masked = masked_public_text(report, text.strip())
        await tx.set_public_text(report.id, masked, actor=actor, at=now)
        await self.work.refresh_card(tx, await tx.get_report_by_id(report.id), now)
        verified = report.verified_at is not None
        await _say(tx, chat_id, notices.public_text_saved(report.code, verified), now)

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
        if code is not None:
            try:
                other = await tx.get_report(code)
            except NotFoundError:
                other = None
        if other is not None and not self.office.roles.may_handle(chat_id, other):
            other = None  # another chat's report: as if unknown
        if other is not None and other.id != report.id:
            # Both as they are now, locked: two officers crossing X → Y and Y → X at
            # once see each other's decision (the second is refused).
            report, other = await tx.lock_reports((report.id, other.id))
        refusal = duplicate_refusal(report, other)
        if refusal is not None:
            await _say(tx, chat_id, refusal, now)
            return
        assert other is not None  # duplicate_refusal refuses an unknown report
        await tx.set_outcome(report.id, reject_reason="duplikat", duplicate_of=other.code)
        if report.reachable:  # the reporter follows the report that stays open
            await tx.add_supporter(other.id, report.reporter.user_id, report.reporter.chat_id, now)
        unit = self.office.unit_name(chat_id, self.rules)
        refreshed = await tx.get_report_by_id(report.id)
        await self.work.apply(
            tx, refreshed, duplicate_decision(now), actor=actor, unit=unit, now=now
        )
        await self.work.refresh_card(tx, other, now)


async def _say(tx: Transaction, chat_id: int, text: str, now: datetime) -> None:
    await enqueue(tx, chat_id, Outgoing(text=text), now=now)
