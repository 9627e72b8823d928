"""Closing with evidence, carried out inside the caller's transaction: store what the
officers did, close the report (or wait for the central verifier), tell the reporter,
and the verifier's confirmation or sending back. Decided in `flows.closing`; no
Telegram here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flows import closing_texts
from flows.closing import (
    PENDING_STAMPS,
    CloseReport,
    Closing,
    close_decision,
    validation_buttons,
)
from flows.report import Report
from service.decisions import Decisions
from service.messages import tell_officers, tell_reporter
from service.outbox import enqueue
from service.outgoing import Outgoing
from storage.base import Transaction

VALIDATION = "validation"
"""The outbox purpose of the validation message in the central chat (its buttons act
on the report it is linked to)."""


@dataclass(frozen=True)
class Closings:
    """See the module docstring; `work` carries out the closing decision."""

    work: Decisions

    async def close(
        self,
        tx: Transaction,
        chat_id: int,
        report: Report,
        said: CloseReport,
        actor: str,
        now: datetime,
    ) -> None:
        """The officer told what was done: close the report, or (central check) keep it
        waiting for the verifier, its decision deadline met. This writes."""
        closing = Closing(
            report.id, said.note, said.photo, said.unit, actor, now, pending=said.check
        )
        await tx.save_closing(closing)
        if not said.check:
            await self._finish(tx, report, closing, actor, now)
            return
        for stamp in PENDING_STAMPS:
            await tx.stamp(report.id, stamp, now, keep_first=True)
        await tx.add_note(
            report.id,
            kind="note",
            actor=actor,
            at=now,
            note=closing_texts.history_pending(said.unit, said.note),
            public=False,
        )
        await self._ask_verifier(tx, report, closing, now)
        await self.work.cards.refresh_card(tx, await tx.get_report_by_id(report.id), now)
        await enqueue(
            tx, chat_id, Outgoing(text=closing_texts.waiting_validation(report.code)), now=now
        )

    async def confirm(
        self,
        tx: Transaction,
        chat_id: int,
        report: Report,
        closing: Closing,
        actor: str,
        now: datetime,
    ) -> None:
        """The central verifier confirms a pending closing. This writes."""
        await tx.confirm_closing(report.id)
        await self._finish(tx, report, closing, actor, now)
        await self._settle_request(tx, chat_id, report, closing_texts.validated(report.code), now)
        await tell_officers(
            tx, self.work.office.roles, report, closing_texts.validated_to_opd(report.code), now
        )

    async def send_back(
        self, tx: Transaction, chat_id: int, report: Report, reason: str, actor: str, now: datetime
    ) -> None:
        """The central verifier sends a pending closing back to the OPD: the decision is
        not met any more, the OPD's chat reads why. This writes."""
        await tx.drop_closing(report.id)
        await tx.stamp(report.id, "decided_at", None)
        await tx.add_note(
            report.id,
            kind="note",
            actor=actor,
            at=now,
            note=closing_texts.history_sent_back(reason),
            public=False,
        )
        await self._settle_request(tx, chat_id, report, closing_texts.sent_back(report.code), now)
        refreshed = await tx.get_report_by_id(report.id)
        await self.work.cards.refresh_card(tx, refreshed, now)
        await tell_officers(
            tx,
            self.work.office.roles,
            refreshed,
            closing_texts.sent_back_to_opd(report.code, reason),
            now,
        )

    async def _finish(
        self, tx: Transaction, report: Report, closing: Closing, actor: str, now: datetime
    ) -> None:
        """Selesai, signed by the unit that did the work; the reporter reads what was
        done (and sees the after photo) right after the status news."""
        if report.followup_answer is not None:  # reopened by her "belum": a new round
            await tx.reset_followup(report.id)
        decision = close_decision(now, self.work.office.followup_after)
        report = await self.work.apply(
            tx, report, decision, actor=actor, unit=closing.unit, now=now
        )
        await tx.add_note(
            report.id,
            kind="closing",
            actor=actor,
            at=now,
            note=closing_texts.history_done(closing.note),
            public=True,
        )
        text = closing_texts.closing_to_reporter(report.code, closing.unit, closing.note)
        await tell_reporter(tx, report, text, now, photo=closing.photo)

    async def _ask_verifier(
        self, tx: Transaction, report: Report, closing: Closing, now: datetime
    ) -> None:
        """The validation message (after the photo, if any) in the central chat."""
        central = self.work.office.roles.central_chat
        if central is None:
            return
        if closing.photo is not None:
            photo = Outgoing(
                text=closing_texts.after_photo_caption(report.code), photo=closing.photo
            )
            await enqueue(
                tx, central, photo, now=now, report_id=report.id, purpose="validation_photo"
            )
        text = closing_texts.validation_request(
            report.code, closing.unit, closing.note, closing.photo is not None
        )
        buttons = tuple(tuple((b.label, b.data) for b in row) for row in validation_buttons())
        request = Outgoing(text=text, buttons=buttons)
        await enqueue(tx, central, request, now=now, report_id=report.id, purpose=VALIDATION)

    async def _settle_request(
        self, tx: Transaction, chat_id: int, report: Report, outcome: str, now: datetime
    ) -> None:
        """The validation message loses its buttons and says what became of it."""
        edit = Outgoing(text=outcome, edit=(report.id, VALIDATION))
        await enqueue(tx, chat_id, edit, now=now, report_id=report.id, purpose="card_edit")
