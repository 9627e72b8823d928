"""Closing a report with evidence, decided purely.

Theory of operation
-------------------
*Selesai* on a card no longer closes at once: the officer is asked (a prompt to reply
to, purpose "done_prompt") what was done, with an optional "after" photo. The reply
(`reply_done`) gives a `CloseReport`: the shell stores the `Closing` and, unless the
central check applies (`needs_check`), closes the report; the reporter reads the note
(and sees the photo) and is later asked, with the note again, whether it is really
solved.

The central check (`Office.central_check`, off by default) applies to an OPD's chat:
its *Selesai* is stored as a pending closing, the report's decision deadline counts as
met from that moment (the OPD did its part; the check is internal) and a validation
message with two buttons goes to the central chat. A central officer confirms
(`Confirm`: the report closes as above, signed by the OPD) or sends it back with a
reason (prompt "sendback_prompt", then `SendBack`): the pending closing is dropped, the
decision is no longer met and the OPD's chat reads the reason. The reporter never sees
a closing that is not confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flows import closing_texts, notices
from flows.effects import AskOfficer, Button, Notice, Reply
from flows.office import Office
from flows.officer import PREFIX, Decision
from flows.report import Report, Status

VALIDATE = "vok"
SEND_BACK = "vkb"
"""The acts of the validation message's buttons (`o:vok`, `o:vkb`)."""


@dataclass(frozen=True)
class Closing:
    """What the officers said they did when closing a report; `pending` until the
    central verifier confirmed it (only with the central check)."""

    report_id: int
    note: str
    photo: str | None
    unit: str
    actor: str
    said_at: datetime
    pending: bool


@dataclass(frozen=True)
class CloseReport:
    """The officer told what was done: store it, then close the report or (`check`)
    wait for the central verifier."""

    note: str
    photo: str | None
    unit: str
    check: bool


@dataclass(frozen=True)
class Confirm:
    """The central verifier confirms the pending closing: close the report."""


@dataclass(frozen=True)
class SendBack:
    """The central verifier sends the pending closing back to the OPD, with a reason."""

    reason: str


def needs_check(office: Office, chat_id: int) -> bool:
    """Whether a Selesai pressed in this chat waits for the central verifier: with the
    central check on, from any chat but the central one."""
    return office.central_check and chat_id != office.roles.central_chat


def done_refusal(report: Report, pending: Closing | None) -> str | None:
    """Why Selesai cannot be asked about now (None: ask what was done)."""
    if pending is not None and pending.pending:
        return closing_texts.already_pending(report.code)
    return None


def reply_done(
    office: Office, chat_id: int, unit: str, report: Report, text: str, photo: str | None
) -> Reply | CloseReport:
    """The officer's reply to "what was done?": a note (a photo's caption) is needed."""
    if report.closed:
        return Reply(f"Laporan {report.code} sudah ditutup ({report.status.value}); tidak diubah.")
    note = " ".join(text.split())[: closing_texts.NOTE_LIMIT]
    if not note:
        return Reply(closing_texts.note_needed(report.code))
    return CloseReport(note, photo, unit, needs_check(office, chat_id))


def press_validation(
    office: Office, chat_id: int, user_id: int, data: str, report: Report, pending: Closing | None
) -> Notice | AskOfficer | Confirm:
    """A press on a validation message's button in the central chat."""
    roles = office.roles
    if not roles.may_act(chat_id, user_id):
        return Notice(notices.not_officer())
    if chat_id != roles.central_chat:
        return Notice(closing_texts.central_only())
    if pending is None or not pending.pending or report.closed:
        return Notice(closing_texts.nothing_to_validate(report.code))
    if data == f"{PREFIX}:{VALIDATE}":
        return Confirm()
    if data == f"{PREFIX}:{SEND_BACK}":
        return AskOfficer(closing_texts.ask_send_back_reason(report.code), "sendback_prompt")
    return Notice(notices.unknown_button())


def reply_send_back(report: Report, pending: Closing | None, text: str) -> Reply | SendBack:
    """The verifier's reason for sending a closing back."""
    if pending is None or not pending.pending or report.closed:
        return Reply(closing_texts.nothing_to_validate(report.code))
    reason = " ".join(text.split())
    if not reason:
        return Reply(closing_texts.reason_needed(report.code))
    return SendBack(reason)


def with_evidence(question: Reply, closing: Closing | None) -> list[Reply | str]:
    """The follow-up question with what the officers said they did: the after photo's
    file id first (if any), then the question with the note. Without a closing (one
    closed before closing notes existed), the question alone."""
    if closing is None or closing.pending:
        return [question]
    text = f"{question.text}\n\n{closing_texts.followup_note_line(closing.note)}"
    asked = Reply(text, question.buttons, question.keyboard)
    return [closing.photo, asked] if closing.photo else [asked]


def validation_buttons() -> tuple[tuple[Button, ...], ...]:
    """Under the validation message in the central chat."""
    return (
        (
            Button(closing_texts.CONFIRM, f"{PREFIX}:{VALIDATE}"),
            Button(closing_texts.SEND_BACK, f"{PREFIX}:{SEND_BACK}"),
        ),
    )


def close_decision(now: datetime, followup_after: timedelta) -> Decision:
    """The report is solved: selesai, decided now (or when the OPD said so: the first
    stamp is kept), the reporter asked about it after `followup_after`."""
    return Decision(
        Status.SELESAI,
        stamps=(
            ("verified_at", now),
            ("decided_at", now),
            ("followup_due_at", now + followup_after),
        ),
        publish=True,
    )


PENDING_STAMPS = ("verified_at", "decided_at")
"""Stamped when an OPD's Selesai waits for the check: its deadlines count as met."""
