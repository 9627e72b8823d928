"""The ends of a report that are neither solved nor rejected, decided purely.

Theory of operation
-------------------
*Dilimpahkan*: officers hand a report over to a body outside the city's authority (PLN,
BPJS Kesehatan, Polri, BPN, the province, the central government) by routing it there,
or with one tap when it was filed for one (`flows.officer.handover_decision`). It is
decided: its deadlines stop, the reporter is told whom to contact (the catalogue's
`contact`), and the officer may add a short note by replying to the desk's question
(`handover_note`).

*Dicabut*: the reporter (or the kader who filed it) withdraws a report not decided yet,
with an optional reason asked once (`/tarik KODE` or the button under `/status KODE`).
`withdrawal_refusal` says why not (not hers: as if unknown; decided; withdrawn already);
the shell locks the report and asks again, so a double tap changes nothing.

Both stamp `decided_at`: the moment the report ended, which stops the reminders and
starts the retention clock. The monthly figures judge a withdrawn report as it stood
when it was withdrawn and never count it as decided (`flows.monthly`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flows import end_texts, notices, report_texts
from flows.buttons import button
from flows.effects import Button, Reply
from flows.officer import Decision
from flows.public_view import hide_identity
from flows.report import Report, Status
from flows.rules import Rules
from flows.validation import clean_text

Buttons = tuple[tuple[Button, ...], ...]
WITHDRAW = "tarik"
"""The global button action of a withdrawal: `g:tarik:CODE[:ok|:batal]`."""


@dataclass(frozen=True)
class AddHandoverNote:
    """Send the officer's note about a handover to the reporter, keep it on the card."""

    unit: str
    note: str
    said: str


def handover_note(report: Report, text: str, unit: str) -> Reply | AddHandoverNote:
    """An officer's reply to the question after a handover."""
    if report.status is not Status.DILIMPAHKAN:
        return Reply(end_texts.handover_note_refused(report))
    if not report.reachable:
        return Reply(notices.reporter_unreachable(report.code))
    note = clean_text(text)
    if not note:
        return Reply(end_texts.handover_note_empty())
    if len(note) > end_texts.HANDOVER_NOTE_MAX:
        return Reply(end_texts.handover_note_too_long())
    return AddHandoverNote(unit, note, end_texts.handover_note_sent(report.code))


def withdrawal_refusal(report: Report | None, code: str) -> str | None:
    """Why the person may not withdraw report `code` (None: she may). `report` is None
    when no report of hers has this code (another's looks exactly like an unknown one)."""
    if report is None:
        return report_texts.report_not_found(code)
    if report.status is Status.DICABUT:
        return end_texts.already_withdrawn(code)
    if report.closed:
        return end_texts.not_withdrawable(report)
    return None


def withdraw_decision(now: datetime) -> Decision:
    """The reporter withdrew the report: ended now, nothing more for officers."""
    return Decision(Status.DICABUT, stamps=(("decided_at", now),))


def withdraw_reason(text: str) -> str | None:
    """The reason as kept (cut to `WITHDRAW_REASON_MAX`), None when none was given."""
    reason = clean_text(text)
    return reason[: end_texts.WITHDRAW_REASON_MAX] or None


def short(code: str) -> str:
    """The code as buttons carry it (no dash)."""
    return code.replace("-", "")


def withdraw_button(code: str) -> Button:
    """Under a report's detail: start withdrawing it."""
    return button(end_texts.WITHDRAW_BUTTON, None, WITHDRAW, short(code))


def ask_reason(code: str) -> Reply:
    """The one question of a withdrawal: a reason, or none, or keep the report."""
    return Reply(
        end_texts.ask_withdraw_reason(code),
        (
            (button(end_texts.WITHDRAW_NO_REASON, None, WITHDRAW, f"{short(code)}:ok"),),
            (button(end_texts.WITHDRAW_KEEP, None, WITHDRAW, f"{short(code)}:batal"),),
        ),
    )


def card_lines(report: Report, rules: Rules) -> list[str]:
    """What the card says of an outside body's report, or of how the report ended."""
    known = {body.id: body for body in rules.catalogue.bodies}
    body = known.get(report.body)
    city = rules.places.city
    if report.status is Status.DICABUT:
        reason = report.end_note
        if reason and report.privacy.anonymous:
            reason = hide_identity(report, reason)
        return [end_texts.card_withdrawn_line(report, reason, rules.timezone)]
    if body is None or not body.outside:
        return []
    contact = body.contact or "-"
    if report.status is Status.DILIMPAHKAN:
        return [end_texts.card_handover_line(body.name, contact, report.end_note)]
    if report.closed:
        return []
    return [end_texts.card_outside_line(body.name, contact, city)]


def detail_note(report: Report, rules: Rules) -> str:
    """Added under `/status KODE` of a handed-over report: whom to contact (and the
    officer's note); of a withdrawn one: her reason. Empty otherwise."""
    if report.status is Status.DICABUT:
        return "\n" + end_texts.detail_withdrawn(report.end_note)
    known = {body.id: body for body in rules.catalogue.bodies}
    body = known.get(report.body)
    if report.status is not Status.DILIMPAHKAN or body is None:
        return ""
    return "\n" + end_texts.detail_handover(body.name, body.contact or "-", report.end_note)
