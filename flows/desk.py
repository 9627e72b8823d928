"""The officers' desk, decided purely: a press on a card, a reply to a card or prompt.

Theory of operation
-------------------
The shell (`service.desk`) finds the report an officer's message belongs to (the
message ↔ report link kept in the database) and hands it in with who acted, where;
these functions say what follows, as data the shell carries out in one transaction:

* a press (`press_card`): a `Toast` (a short answer, nothing changes), `AskOfficer`
  (a prompt the officer replies to), `AnswerReporter` (a canned answer to the reporter)
  or `ApplyDecision` (a `flows.officer.Decision`: the report's change);
* a reply (`reply_to_card`): `Say` (a message in the chat, nothing changes),
  `SaveNote`, `MarkDuplicate` (the shell looks the other report up, then
  `flows.officer.duplicate_refusal` judges), `SetPublicText` or `AnswerReporter`; None
  when the message is the officers' own conversation.

Only configured officers in configured chats act; a chat handles only its reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flows import notices
from flows.office import Office
from flows.officer import Decision, closed_no_answer, decide, parse_card_action
from flows.public_view import masked_public_text
from flows.report import Report
from flows.rules import Rules

OFFICER_REPLYABLE = frozenset({"card", "card_moved", "card_photo", "relay", "reminder"})
"""Messages about a report that officers reply to, to answer the reporter (a digest of
reminders is about many and is linked to none; a card that moved to another chat
answers only where the report may still be handled)."""


@dataclass(frozen=True)
class Toast:
    """Answer the press with `text`; nothing changes."""

    text: str


@dataclass(frozen=True)
class Say:
    """Answer in the officers' chat with `text`; nothing changes."""

    text: str


@dataclass(frozen=True)
class AskOfficer:
    """Ask the officer for a text: `text` as a prompt to reply to, linked as `purpose`."""

    text: str
    purpose: str


@dataclass(frozen=True)
class AnswerReporter:
    """Send `text` (and `photo`) to the reporter signed by `unit`, record it, refresh
    the card; then tell the officer `said`."""

    unit: str
    text: str
    photo: str | None
    said: str


@dataclass(frozen=True)
class ApplyDecision:
    """Carry out `decision` on the report, signed by `unit`."""

    decision: Decision
    unit: str


@dataclass(frozen=True)
class SaveNote:
    """Keep `note` as an internal note of the report; then say `said`."""

    note: str
    said: str


@dataclass(frozen=True)
class MarkDuplicate:
    """Close the report as a duplicate of the report whose code the officer `typed`."""

    typed: str
    unit: str


@dataclass(frozen=True)
class SetPublicText:
    """Store `text` (already masked) as the report's approved public text; say `said`."""

    text: str
    said: str


PressOutcome = Toast | AskOfficer | AnswerReporter | ApplyDecision
ReplyOutcome = Say | SaveNote | MarkDuplicate | SetPublicText | AnswerReporter | None


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
        return Toast(notices.not_officer())
    action = parse_card_action(data)
    if action is None or report is None:
        return Toast(notices.unknown_button())
    if not roles.may_handle(chat_id, report):
        return Toast(notices.not_this_chat())
    decision = decide(report, action, rules, now, office.followup_after, len(office.templates))
    if isinstance(decision, str):
        return Toast(decision)
    unit = office.unit_name(chat_id, rules)
    if decision.ask is not None:
        return AskOfficer(_prompt(report, decision.ask), f"{decision.ask}_prompt")
    if decision.template is not None:
        if not report.reachable:
            return Toast(notices.reporter_unreachable(report.code))
        template = office.templates[decision.template]
        return AnswerReporter(unit, template, None, notices.reply_sent(report.code))
    return ApplyDecision(decision, unit)


def _prompt(report: Report, what: str) -> str:
    if what == "public_text":
        return notices.ask_public_text(report.code, report.public_text)
    if what == "note":
        return notices.ask_note(report.code)
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
        return Say(notices.not_officer())
    if not roles.may_handle(chat_id, report):
        return Say(notices.not_this_chat())
    if purpose == "note_prompt":
        return SaveNote(notices.text_or_photo(text), notices.note_saved(report.code))
    if purpose == "duplicate_prompt":
        return MarkDuplicate(text, office.unit_name(chat_id, rules))
    if purpose == "public_text_prompt":
        return _public_text(report, text)
    if purpose not in OFFICER_REPLYABLE:
        return None
    if report.closed:
        return Say(closed_no_answer(report))
    if not report.reachable:
        return Say(notices.reporter_unreachable(report.code))
    unit = office.unit_name(chat_id, rules)
    return AnswerReporter(unit, text, photo, notices.reply_sent(report.code))


def _public_text(report: Report, text: str) -> Say | SetPublicText:
    """The officer's own public text (masked again like a proposal), approved: public
    once the report is verified; never for a confidential report, never empty."""
    if report.privacy.confidential or not text.strip():
        return Say(notices.public_text_refused(report.code))
    verified = report.verified_at is not None
    return SetPublicText(
        masked_public_text(report, text.strip()), notices.public_text_saved(report.code, verified)
    )


def command_refusal(office: Office, chat_id: int, user_id: int, known: bool) -> str | None:
    """Why an officer command from this person in this chat is not run (None: run it);
    an unknown command from someone who is not an officer gets no answer ("")."""
    if office.roles.may_act(chat_id, user_id):
        return None
    return notices.not_officer() if known else ""
