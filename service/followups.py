"""Asking reporters of solved reports whether the problem is really solved, inside the
caller's transaction. No Telegram here."""

from __future__ import annotations

from datetime import datetime

from flows import closing_texts
from flows.closing import with_evidence
from flows.report_actions import followup_question
from flows.rules import Rules
from service.outbox import enqueue
from service.outgoing import Outgoing
from storage.base import Transaction


async def ask_followups(tx: Transaction, rules: Rules, now: datetime, limit: int = 100) -> int:
    """Ask reporters of solved reports whether the problem is really solved (at most
    `limit` of them); returns how many were due. A reporter without a chat (erased, or a
    partner's report) is not asked: its follow-up is no longer due. This writes."""
    due = await tx.due_followups(now, limit)
    for report in due:
        if not report.reachable:  # erased, or filed by a partner: nobody to ask
            await tx.stamp(report.id, "followup_due_at", None)
            continue
        await tx.stamp(report.id, "followup_asked_at", now)
        question = followup_question(report, rules.timezone)
        for part in with_evidence(question, await tx.closing(report.id)):
            out = (
                Outgoing(text=closing_texts.after_photo_caption(report.code), photo=part)
                if isinstance(part, str)
                else part
            )
            await enqueue(
                tx,
                report.reporter.chat_id,
                out,
                now=now,
                report_id=report.id,
                purpose="followup",
            )
    return len(due)
