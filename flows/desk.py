"""The officers' desk, decided purely: a press on a card, a reply to a card or prompt.

Theory of operation
-------------------
The shell (`service.desk`) finds the report an officer's message belongs to (the
message ↔ report link kept in the database) and hands it in with who acted, where;
these functions say what follows, as data the shell carries out in one transaction:

* a press (`press_card`): a `Notice` (a toast, nothing changes), `AskOfficer` (a
  prompt the officer replies to), `AnswerReporter` (a canned answer to the reporter)
  or `ApplyDecision` (a `flows.officer.Decision`: the report's change);
* a reply (`reply_to_card`): a `Reply` (a message in the chat, nothing changes),
  `SaveNote`, `MarkDuplicate` (the shell looks the other report up, then
  `flows.officer.duplicate_refusal` judges), `SetPublicText`, `AnswerReporter` or
  `flows.closing.CloseReport` (what was done, after *Selesai*); None when the message
  is the officers' own conversation.

The effects are in `flows.effects`, beside the resident conversation's.

Only configured officers in configured chats act; a chat handles only its reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flows import closing_texts, end_texts, notices, officer_texts
from flows.closing import CloseReport, reply_done
from flows.effects import (
    AnswerReporter,
    AskOfficer,
    MarkDuplicate,
    Notice,
    Reply,
    SaveNote,
    SetPublicText,
)
from flows.office import Office
from flows.officer import Decision, closed_no_answer, decide, parse_card_action
from flows.public_view import masked_public_text
from flows.report import Report, Status
from flows.report_ends import AddHandoverNote, handover_note
from flows.rules import Rules

OFFICER_REPLYABLE = frozenset(
    {"card", "card_moved", "card_photo", "card_evidence", "relay", "reminder"}
)
"""Messages about a report that officers reply to, to answer the reporter (a digest of
reminders is about many and is linked to none; a card that moved to another chat
answers only where the report may still be handled)."""


@dataclass(frozen=True)
class ApplyDecision:
    """Carry out `decision` on the report, signed by `unit`; then ask the officer
    `prompt` (a question to reply to, e.g. a note after a handover), if any."""

    decision: Decision
    unit: str
    prompt: str | None = None


PressOutcome = Notice | AskOfficer | AnswerReporter | ApplyDecision
ReplyOutcome = (
    Reply
    | SaveNote
    | MarkDuplicate
    | SetPublicText
    | AnswerReporter
    | CloseReport
    | AddHandoverNote
    | None
)
HANDOVER_NOTE_PROMPT = "handover_note_prompt"
"""The desk's question after a handover, which the officer may answer with a note."""


def officer_actor(user_id: int) -> str:
    """How an officer is named in a report's history."""
    return f"petugas:{user_id}"


def press_card(
    office: Office,
    rules: Rules,
    chat_id: int,
    user_id: int,
    data: str,
    report: Report | None,
    now: datetime,
) -> PressOutcome:
    """What a press on a button follows; `report` is the report of the card pressed
    (None: the message is not a card)."""
    roles = office.roles
    if not roles.may_act(chat_id, user_id):
        return Notice(notices.not_officer())
    action = parse_card_action(data)
    if action is None or report is None:
        return Notice(notices.unknown_button())
    if not roles.may_handle(chat_id, report):
        return Notice(notices.not_this_chat())
    decision = decide(report, action, rules, now, len(office.templates))
    if isinstance(decision, str):
        return Notice(decision)
    unit = office.unit_name(chat_id, rules)
    if decision.ask is not None:
        return AskOfficer(_prompt(report, decision.ask), f"{decision.ask}_prompt")
    if decision.template is not None:
        if not report.reachable:
            return Notice(notices.reporter_unreachable(report.code))
        template = office.templates[decision.template]
        return AnswerReporter(unit, template, None, notices.reply_sent(report.code))
    return ApplyDecision(decision, unit, _handover_prompt(report, decision, rules))


def _handover_prompt(report: Report, decision: Decision, rules: Rules) -> str | None:
    """After a handover, the officer may add a note for the reporter (if she is reachable)."""
    if decision.to_status is not Status.DILIMPAHKAN or not report.reachable:
        return None
    body = rules.catalogue.body(decision.body or report.body)
    return end_texts.ask_handover_note(report.code, body.name)


def _prompt(report: Report, what: str) -> str:
    if what == "public_text":
        return notices.ask_public_text(report.code, report.public_text)
    if what == "note":
        return notices.ask_note(report.code)
    if what == "done":
        return closing_texts.ask_done(report.code)
    return notices.ask_duplicate(report.code)


def reply_to_card(
    office: Office,
    rules: Rules,
    chat_id: int,
    user_id: int,
    purpose: str,
    report: Report,
    text: str,
    photo: str | None,
) -> ReplyOutcome:
    """What an officer's reply to a message about `report` (sent for `purpose`) follows."""
    roles = office.roles
    if not roles.may_act(chat_id, user_id):
        return Reply(notices.not_officer())
    if purpose == HANDOVER_NOTE_PROMPT:
        # Asked of this chat when it handed the report over (the card may have moved on).
        return handover_note(report, text, office.unit_name(chat_id, rules))
    if not roles.may_handle(chat_id, report):
        return Reply(notices.not_this_chat())
    if purpose == "note_prompt":
        return SaveNote(notices.text_or_photo(text), notices.note_saved(report.code))
    if purpose == "duplicate_prompt":
        return MarkDuplicate(text, office.unit_name(chat_id, rules))
    if purpose == "public_text_prompt":
        return _public_text(report, text)
    if purpose == "done_prompt":
        return reply_done(office, chat_id, office.unit_name(chat_id, rules), report, text, photo)
    if purpose not in OFFICER_REPLYABLE:
        return None
    if report.closed:
        return Reply(closed_no_answer(report))
    if not report.reachable:
        return Reply(notices.reporter_unreachable(report.code))
    unit = office.unit_name(chat_id, rules)
    return AnswerReporter(unit, text, photo, notices.reply_sent(report.code))


def _public_text(report: Report, text: str) -> Reply | SetPublicText:
    """The officer's own public text (masked again like a proposal), approved: public
    once the report is verified; never for a confidential report, never empty."""
    if report.privacy.confidential or not text.strip():
        return Reply(notices.public_text_refused(report.code))
    verified = report.verified_at is not None
    return SetPublicText(
        masked_public_text(report, text.strip()), notices.public_text_saved(report.code, verified)
    )


def central_refusal(office: Office, chat_id: int) -> str | None:
    """Why a command for the central chat only (kader registry) is refused here."""
    return None if chat_id == office.roles.central_chat else officer_texts.central_only()


def command_refusal(office: Office, chat_id: int, user_id: int, known: bool) -> str | None:
    """Why an officer command from this person in this chat is not run (None: run it);
    an unknown command from someone who is not an officer gets no answer ("")."""
    if office.roles.may_act(chat_id, user_id):
        return None
    return notices.not_officer() if known else ""
