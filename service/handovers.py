"""The officer's note on a handover to an outside body (*dilimpahkan*), inside the
desk's transaction: sent to the reporter, kept in the history and on the card. The
handover itself is an ordinary decision (`service.decisions`). No Telegram here."""

from __future__ import annotations

from datetime import datetime

from flows import end_texts, notices
from flows.report import Report
from flows.report_ends import AddHandoverNote
from service.decisions import Decisions
from service.messages import tell_reporter
from storage.base import Transaction


async def handover_note(
    tx: Transaction,
    work: Decisions,
    report: Report,
    actor: str,
    note: AddHandoverNote,
    now: datetime,
) -> None:
    """Send the note to the reporter, keep it (history, card). This writes."""
    body = work.rules.catalogue.body(report.body)
    text = end_texts.handover_note_to_reporter(report, note.unit, body.name, note.note)
    await tell_reporter(tx, report, text, now, purpose="officer_reply", supporters_too=False)
    await tx.set_end_note(report.id, note.note)
    await tx.add_note(
        report.id,
        kind="reply",
        actor=actor,
        at=now,
        note=notices.officer_answer_note(note.unit, note.note),
        public=True,
    )
    await work.cards.refresh_card(tx, await tx.get_report_by_id(report.id), now)
