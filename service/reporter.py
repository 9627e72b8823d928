"""What a resident's effects do to reports: file, support, write to officers, follow up.

Each function runs inside the engine's transaction and leaves messages in the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flows import notices, report_actions, report_ends, report_texts, texts
from flows.effects import Reply
from flows.privacy_texts import my_data
from flows.prompts import start_button, status_buttons
from flows.report import Report
from flows.rules import Rules
from flows.state import Draft, KaderProfile
from service.decisions import Decisions
from service.messages import tell_officers
from service.outbox import enqueue
from service.outgoing import Outgoing
from service.relays import release_held
from storage.base import Transaction
from storage.errors import NotFoundError


@dataclass(frozen=True)
class Sender:
    """Who sent an update, and in which (private) chat."""

    user_id: int
    chat_id: int
    name: str
    username: str | None = None


async def own_report(tx: Transaction, user_id: int, code: str) -> Report | None:
    """The report with this code if this person filed it (others' codes look unknown)."""
    try:
        report = await tx.get_report(code)
    except NotFoundError:
        return None
    return report if report.reporter.user_id == user_id else None


async def support(
    tx: Transaction, work: Decisions, user_id: int, chat_id: int, code: str, now: datetime
) -> None:
    """Follow an existing report instead of filing a duplicate; the card counts one more."""
    report = await tx.get_report(code)
    if report.reporter.user_id == user_id:
        text = report_texts.support_own(code)
    else:
        await tx.add_supporter(report.id, user_id, chat_id, now)
        await work.cards.refresh_card(tx, report, now)
        text = report_texts.supporting(code)
    await enqueue(tx, chat_id, Outgoing(text=text), now=now, report_id=report.id, purpose="support")


async def relay(
    tx: Transaction,
    work: Decisions,
    user_id: int,
    chat_id: int,
    code: str,
    text: str,
    photo: str | None,
    now: datetime,
) -> None:
    """The reporter writes to the officers handling her report: kept, then sent as far
    as the relay limit allows (`service.relays`); told once when her messages wait."""
    report = await own_report(tx, user_id, code)
    refusal = report_actions.relay_refusal(report, code)
    if refusal is not None:
        await enqueue(tx, chat_id, Reply(refusal), now=now)
        return
    assert report is not None  # an unknown report is refused above
    await tx.add_note(
        report.id,
        kind="reporter",
        actor="pelapor",
        at=now,
        note=notices.text_or_photo(text),
        public=True,
    )
    already_waiting = bool(await tx.held_relays(report.id))
    await tx.hold_relay(report.id, text, photo, now)
    _, still_held = await release_held(tx, work.rules, work.office.roles, report, now)
    if not still_held:
        await enqueue(tx, chat_id, Reply(notices.relayed()), now=now)
    elif not already_waiting:
        await enqueue(tx, chat_id, Reply(notices.relays_held()), now=now)


async def answer_followup(
    tx: Transaction,
    work: Decisions,
    user_id: int,
    chat_id: int,
    code: str,
    answer: str,
    now: datetime,
) -> Report | None:
    """ "Is it really solved?" — ya / sebagian / belum (which reopens the report).
    Returns the report when it was reopened."""
    report = await own_report(tx, user_id, code)
    answered = report_actions.answer_followup(report, answer)
    if answered is None or report is None:
        await enqueue(tx, chat_id, Reply(texts.stale_button()), now=now)
        return None
    await tx.set_followup(report.id, answer=answer)
    await tx.add_note(
        report.id, kind="followup", actor="pelapor", at=now, note=answered.note, public=True
    )
    if answered.reopen is not None:
        report = await work.apply(
            tx, report, answered.reopen, actor="pelapor", unit="pelapor", now=now
        )
    await tell_officers(tx, work.office.roles, report, answered.to_officers, now)
    await enqueue(tx, chat_id, answered.thanks, now=now, report_id=report.id, purpose="followup")
    return report if answered.reopen is not None else None


async def rate(
    tx: Transaction, user_id: int, chat_id: int, code: str, rating: int, now: datetime
) -> None:
    """The reporter's 1–5 rating of the handling."""
    report = await own_report(tx, user_id, code)
    stored, answer = report_actions.rate(report, rating)
    if report is not None and stored is not None:
        await tx.set_followup(report.id, rating=stored)
    await enqueue(tx, chat_id, answer, now=now)


async def show_reports(
    tx: Transaction, user_id: int, chat_id: int, now: datetime, rules: Rules
) -> None:
    """`/status`: the person's reports, newest first, each a button."""
    reports = await tx.reports_by_reporter(user_id)
    if not reports:
        reply = Reply(report_texts.no_reports(), start_button())
    else:
        text = report_texts.report_list(reports, rules.timezone)
        reply = Reply(text, status_buttons([r.code for r in reports]))
    await enqueue(tx, chat_id, reply, now=now)


async def show_report(
    tx: Transaction, user_id: int, chat_id: int, code: str, now: datetime, rules: Rules
) -> None:
    """`/status CODE`: one of the person's reports with its public history."""
    report = await own_report(tx, user_id, code)
    if report is None:
        # Someone else's code looks exactly like a code that does not exist.
        await enqueue(tx, chat_id, Reply(report_texts.report_not_found(code)), now=now)
        return
    history = [entry for entry in await tx.history(report.id) if entry.public]
    text = report_texts.report_detail(report, history, rules.timezone)
    text += report_ends.detail_note(report, rules)
    buttons = report_actions.detail_buttons(report)
    await enqueue(tx, chat_id, Reply(text, buttons), now=now, report_id=report.id, purpose="detail")


async def show_my_data(
    tx: Transaction,
    who: Sender,
    kader: KaderProfile | None,
    draft: Draft | None,
    now: datetime,
    rules: Rules,
) -> None:
    """`/dataku`: everything stored about the person."""
    registered = await tx.kader(who.user_id)
    reports = await tx.reports_by_reporter(who.user_id, limit=200)
    text = my_data(
        who.name,
        who.username,
        kader,
        f"{registered.name}, Kel. {registered.kelurahan}" if registered else None,
        draft,
        reports,
        await tx.supported_codes(who.user_id),
        rules.timezone,
        evidence=await tx.evidence_of([report.id for report in reports]),
    )
    await enqueue(tx, who.chat_id, Reply(text), now=now)
