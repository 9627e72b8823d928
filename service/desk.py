"""The officers' desk: card buttons, replies to cards, officer commands.

Every update from an officers' chat is one unit of work, like the resident engine's:
the update id is claimed, the change and every message it causes commit together.
What follows from a press or a reply is decided purely (`flows.desk`): this module
finds the report concerned and carries the outcome out. No Telegram here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from flows import closing, desk, notices, press_texts
from flows.closing import CloseReport, Confirm, SendBack
from flows.codes import parse_code
from flows.desk import HANDOVER_NOTE_PROMPT, ApplyDecision, officer_actor
from flows.effects import (
    AnswerReporter,
    AskOfficer,
    Keyboard,
    MarkDuplicate,
    Notice,
    Reply,
    SaveNote,
    SetPublicText,
)
from flows.office import Office
from flows.officer import duplicate_decision, duplicate_refusal
from flows.report import Report
from flows.report_ends import AddHandoverNote
from flows.rules import Rules
from service.clock import utc_now
from service.closing import VALIDATION, Closings
from service.decisions import Decisions
from service.handovers import handover_note
from service.learning import Learning
from service.messages import tell_reporter
from service.officer_commands import OfficerCommands
from service.outbox import enqueue
from service.outgoing import Outgoing
from service.unit_of_work import unit_of_work
from storage.base import Store, Transaction
from storage.errors import NotFoundError, StorageError

log = logging.getLogger(__name__)

PRESS_WAITS = (0.05, 0.1, 0.2, 0.4, 0.8, 1.0, 1.0, 1.0, 1.0)
"""Seconds between tries of a press on a card not recorded yet (about 5.5 s in all;
Telegram answers a sending in milliseconds, the record follows at once)."""


class _NotRecordedYet(Exception):
    """The pressed message may be a card whose sending is not recorded yet."""


@dataclass
class Desk:
    """See the module docstring."""

    store: Store
    rules: Rules
    office: Office
    clock: Callable[[], datetime] = utc_now
    on_commit: Callable[[], None] = lambda: None
    bot_username: str = ""
    learning: Learning | None = None  # caught up after each press (the lesson committed)
    press_waits: tuple[float, ...] = PRESS_WAITS
    work: Decisions = field(init=False)
    closings: Closings = field(init=False)

    def __post_init__(self) -> None:
        self.work = Decisions(self.rules, self.office)
        self.closings = Closings(self.work)

    async def press(
        self, chat_id: int, user_id: int, message_id: int, data: str, update_id: int | None
    ) -> str | None:
        """A press on a card button; returns the toast to show (None: nothing to say).

        A press may reach this worker before the card's sending is recorded (another
        worker, or this one, records it once Telegram answered): such a press is rolled
        back and tried again after each of `press_waits` seconds, then told to press again."""
        for wait in (*self.press_waits, None):
            now = self.clock()
            try:
                async with unit_of_work(self.store, update_id, now, self.on_commit) as tx:
                    if tx is None:
                        return None
                    patient = wait is not None
                    toast = await self._press(tx, chat_id, user_id, message_id, data, now, patient)
            except _NotRecordedYet:
                assert wait is not None
                log.info("press on message %s of chat %s waits for its record", message_id, chat_id)
                await asyncio.sleep(wait)
                continue
            await self._learn()
            return toast
        raise AssertionError("unreachable: the last try is not patient")

    async def _learn(self) -> None:
        """Teach this worker's classifier what the press just committed (other workers
        catch up on their own, `service.learning`)."""
        if self.learning is None:
            return
        try:
            await self.learning.catch_up()
        except StorageError as exc:  # the periodic catch-up tries again
            log.warning("could not catch up with officers' lessons: %s", exc)

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
            await self._reply(tx, chat_id, user_id, reply_to, text, photo, now)

    async def command(
        self, chat_id: int, user_id: int, name: str, arg: str, update_id: int | None
    ) -> None:
        """An officer command (`/antrian`, `/cari`, `/laporan`, `/undang_kader`, `/kader`)."""
        now = self.clock()
        async with unit_of_work(self.store, update_id, now, self.on_commit) as tx:
            if tx is None:
                return
            commands = OfficerCommands(self.rules, self.office, self.bot_username)
            refusal = desk.command_refusal(self.office, chat_id, user_id, commands.known(name))
            if refusal is None:
                await commands.run(tx, chat_id, user_id, name, arg, now)
            elif refusal:
                await _say(tx, chat_id, refusal, now)

    async def _press(
        self,
        tx: Transaction,
        chat_id: int,
        user_id: int,
        message_id: int,
        data: str,
        now: datetime,
        patient: bool = False,
    ) -> str | None:
        link = await tx.report_for_message(chat_id, message_id)
        if (
            link is None
            and self.office.roles.may_act(chat_id, user_id)
            and await tx.message_may_be_unrecorded(chat_id, message_id)
        ):
            if patient:
                raise _NotRecordedYet
            return press_texts.card_not_recorded_yet()
        if link is not None and link[1] == VALIDATION:
            return await self._validate(tx, chat_id, user_id, link[0], data, now)
        card = await tx.get_report_by_id(link[0]) if link and link[1] == "card" else None
        outcome = desk.press_card(self.office, self.rules, chat_id, user_id, data, card, now)
        match outcome:
            case Notice(text=text):
                return text
            case AskOfficer(text=text, purpose=purpose):
                assert card is not None  # only a card's report is asked about
                if purpose == "done_prompt":
                    refusal = closing.done_refusal(card, await tx.closing(card.id))
                    if refusal is not None:
                        return refusal
                prompt = Outgoing(text=text, keyboard=Keyboard.FORCE_REPLY)
                await enqueue(tx, chat_id, prompt, now=now, report_id=card.id, purpose=purpose)
                return None
            case AnswerReporter():
                assert card is not None
                await self._answer_reporter(tx, card, officer_actor(user_id), outcome, now)
                return outcome.said
            case ApplyDecision(decision=decision, unit=unit, prompt=asked):
                assert card is not None
                actor = officer_actor(user_id)
                await self.work.apply(tx, card, decision, actor=actor, unit=unit, now=now)
                if asked is not None:  # e.g. a note for the reporter after a handover
                    question = Outgoing(text=asked, keyboard=Keyboard.FORCE_REPLY)
                    p = HANDOVER_NOTE_PROMPT
                    await enqueue(tx, chat_id, question, now=now, report_id=card.id, purpose=p)
                return None

    async def _validate(
        self, tx: Transaction, chat_id: int, user_id: int, report_id: int, data: str, now: datetime
    ) -> str | None:
        """A press on a validation message in the central chat (`flows.closing`)."""
        report = await tx.get_report_by_id(report_id)
        pending = await tx.closing(report.id)
        outcome = closing.press_validation(self.office, chat_id, user_id, data, report, pending)
        match outcome:
            case Notice(text=text):
                return text
            case AskOfficer(text=text, purpose=purpose):
                prompt = Outgoing(text=text, keyboard=Keyboard.FORCE_REPLY)
                await enqueue(tx, chat_id, prompt, now=now, report_id=report.id, purpose=purpose)
            case Confirm():
                assert pending is not None  # only a pending closing is confirmed
                who = officer_actor(user_id)
                await self.closings.confirm(tx, chat_id, report, pending, who, now)
        return None

    async def _reply(
        self,
        tx: Transaction,
        chat_id: int,
        user_id: int,
        reply_to: int,
        text: str,
        photo: str | None,
        now: datetime,
    ) -> None:
        link = await tx.report_for_message(chat_id, reply_to)
        if link is None:
            return
        report_id, purpose = link
        report = await tx.get_report_by_id(report_id)
        who = officer_actor(user_id)
        if purpose == "sendback_prompt":
            await self._send_back(tx, chat_id, user_id, report, text, now)
            return
        outcome = desk.reply_to_card(
            self.office, self.rules, chat_id, user_id, purpose, report, text, photo
        )
        match outcome:
            case CloseReport():  # a second reply to the prompt while it waits is refused
                refusal = closing.done_refusal(report, await tx.closing(report.id))
                if refusal is not None:
                    await _say(tx, chat_id, refusal, now)
                else:
                    await self.closings.close(tx, chat_id, report, outcome, who, now)
            case Reply(text=said):
                await _say(tx, chat_id, said, now)
            case SaveNote(note=note, said=said):
                await tx.add_note(
                    report.id, kind="note", actor=who, at=now, note=note, public=False
                )
                await _say(tx, chat_id, said, now)
            case MarkDuplicate(typed=typed, unit=unit):
                await self._mark_duplicate(tx, chat_id, report, typed, who, unit, now)
            case SetPublicText(text=public, said=said):
                await tx.set_public_text(report.id, public, actor=who, at=now)
                await self.work.cards.refresh_card(tx, await tx.get_report_by_id(report.id), now)
                await _say(tx, chat_id, said, now)
            case AnswerReporter(said=said):
                await self._answer_reporter(tx, report, who, outcome, now)
                await _say(tx, chat_id, said, now)
            case AddHandoverNote(said=said):
                await handover_note(tx, self.work, report, who, outcome, now)
                await _say(tx, chat_id, said, now)

    async def _send_back(
        self, tx: Transaction, chat_id: int, user_id: int, report: Report, text: str, now: datetime
    ) -> None:
        """The verifier's reason for sending a pending closing back to the OPD."""
        if not self.office.roles.may_act(chat_id, user_id):
            await _say(tx, chat_id, notices.not_officer(), now)
            return
        outcome = closing.reply_send_back(report, await tx.closing(report.id), text)
        if isinstance(outcome, SendBack):
            who = officer_actor(user_id)
            await self.closings.send_back(tx, chat_id, report, outcome.reason, who, now)
        else:
            await _say(tx, chat_id, outcome.text, now)

    async def _answer_reporter(
        self, tx: Transaction, report: Report, actor: str, answer: AnswerReporter, now: datetime
    ) -> None:
        """An officer's answer goes to the reporter, signed by the unit; the first answer
        meets the 14-day deadline; the card shows it."""
        message = notices.officer_reply(report, answer.unit, notices.text_or_photo(answer.text))
        await tell_reporter(
            tx,
            report,
            message,
            now,
            photo=answer.photo,
            purpose="officer_reply",
            supporters_too=False,
        )
        await tx.stamp(report.id, "first_answer_at", now, keep_first=True)
        await tx.add_note(
            report.id,
            kind="reply",
            actor=actor,
            at=now,
            note=notices.officer_answer_note(answer.unit, answer.text),
            public=True,
        )
        await self.work.cards.refresh_card(tx, await tx.get_report_by_id(report.id), now)

    async def _mark_duplicate(
        self,
        tx: Transaction,
        chat_id: int,
        report: Report,
        typed: str,
        actor: str,
        unit: str,
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
        refreshed = await tx.get_report_by_id(report.id)
        await self.work.apply(
            tx, refreshed, duplicate_decision(now), actor=actor, unit=unit, now=now
        )
        await self.work.cards.refresh_card(tx, other, now)


async def _say(tx: Transaction, chat_id: int, text: str, now: datetime) -> None:
    await enqueue(tx, chat_id, Outgoing(text=text), now=now)
