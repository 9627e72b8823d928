"""A reporter withdraws her report (*dicabut*), inside the engine's transaction: the
report is locked and judged again (a double tap or a crossing officer's decision is
seen), then closed, the reason kept for the card, her and the supporters told, the
officers told under the card. No Telegram here."""

from __future__ import annotations

from datetime import datetime

from flows import end_texts
from flows.effects import Reply
from flows.public_view import hide_identity
from flows.report_ends import withdraw_decision, withdrawal_refusal
from service.decisions import Decisions
from service.messages import tell_officers
from service.outbox import enqueue
from service.reporter import own_report
from storage.base import Transaction


async def withdrawal_refusal_for(tx: Transaction, user_id: int, code: str) -> str | None:
    """Why this person may not withdraw report `code` (None: she may). Read-only."""
    return withdrawal_refusal(await own_report(tx, user_id, code), code)


async def withdraw(
    tx: Transaction,
    work: Decisions,
    user_id: int,
    chat_id: int,
    code: str,
    reason: str | None,
    now: datetime,
) -> None:
    """Withdraw the person's report, or tell her politely why not. This writes."""
    report = await own_report(tx, user_id, code)
    if report is not None:
        (report,) = await tx.lock_reports((report.id,))  # as it is now, ours alone
    refusal = withdrawal_refusal(report, code)
    if refusal is not None:
        await enqueue(tx, chat_id, Reply(refusal), now=now)
        return
    assert report is not None  # an unknown report is refused above
    await tx.set_end_note(report.id, reason)
    report = await work.apply(
        tx, report, withdraw_decision(now), actor="pelapor", unit="pelapor", now=now
    )
    shown = hide_identity(report, reason) if reason and report.privacy.anonymous else reason
    await tell_officers(
        tx, work.office.roles, report, end_texts.withdrawn_to_officers(report.code, shown), now
    )
