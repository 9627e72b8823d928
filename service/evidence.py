"""Evidence beyond photos in the officers' chat: copies under the card, by file id."""

from __future__ import annotations

from datetime import datetime

from flows.evidence_texts import card_caption
from flows.report import Report
from service.outbox import enqueue
from service.outgoing import Outgoing
from storage.base import Transaction

PURPOSE = "card_evidence"
"""The outbox purpose of an evidence copy (a reply to one answers the reporter)."""


async def post_evidence(tx: Transaction, chat: int, report: Report, now: datetime) -> None:
    """Queue a copy of each piece of the report's evidence to `chat`, each answering the
    card (a video note has no caption: the reply shows whose it is). This writes."""
    items = (await tx.evidence_of([report.id])).get(report.id, ())
    for number, item in enumerate(items, start=1):
        copy = Outgoing(
            text=card_caption(number, len(items), report.code, item),
            media=(item.kind.value, item.file_id),
            reply_to=(report.id, "card"),
        )
        await enqueue(tx, chat, copy, now=now, report_id=report.id, purpose=PURPOSE)
