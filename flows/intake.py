"""The intake conversation as a pure state machine.

Theory of operation
-------------------
`step(conv, event, now, rules)` is the whole conversation: it takes the saved state
of one chat and one event, and returns the new state and the effects for the shell to
carry out (messages, a report to file, a query to show). It never reads the clock, a
file or the network, so every transition is a line in a table test.

What each step asks, what its buttons and a typed answer do and where an answer leads
is one table, `STEPS` in `steps.py` (drawn in `intake.mmd`). This module dispatches an
event to its row and settles the placeholders the handlers return (`answered(...)`
moves on as the row's `then` says, `ASK` becomes the open question). The happy path:
IDLE → DESCRIPTION [→ ROLE ("Saya kader") → KADER_NAME → KADER_PHONE → NEIGHBOUR_NAME →
NEIGHBOUR_PHONE → CONSENT → DESCRIPTION] → BODY [→ BODY_LIST | OUTSIDE] → PLACE
[→ OUTSIDE_CITY | KECAMATAN → KELURAHAN → PLACE_DETAIL] → PRIVACY → [CONTACT →] SUMMARY
[→ SIMILAR] → IDLE. A report is short (issue #17): a place the story names, or a pin,
is confirmed with one tap, and a button's answer is shown in the pressed message.
KIND (chosen by the classifier) and every other part are changed from the summary's
"Ubah" menu (EDIT_MENU), which returns to SUMMARY when the part is done.

A report is withdrawn with `/tarik KODE` (or its button), one optional reason asked
(`flows.withdrawing`).

Interruptions never lose the draft: commands (`/batal`, `/lapor`, `/status`, ...) work
in every step, photos, other evidence (`evidence_intake.py`) and location pins are kept
whenever they arrive, anything we cannot read gets a polite answer and the open
question again. `/lapor` with a draft open asks first (DISCARD). Buttons carry the
menu number of their question (see `buttons.py`), so a double tap or an old button is
answered with a notice and changes nothing. A draft untouched for `rules.draft_ttl` is
dropped with a polite message on the next event, or by an `Expire` from a sweep.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from flows import notices, ombudsman_texts, report_texts, texts, withdrawing
from flows.answers import on_contact, on_location, on_photo, typed_choice
from flows.buttons import Choice, parse_choice
from flows.codes import parse_code
from flows.effects import (
    AnswerFollowUp,
    ClaimInvite,
    Effect,
    EraseMyData,
    FileReport,
    Keyboard,
    Notice,
    Rate,
    RelayToOfficers,
    Reply,
    SendDossier,
    ShowMyData,
    ShowReport,
    ShowReports,
)
from flows.errors import FlowError
from flows.events import (
    Command,
    Contact,
    Event,
    Expire,
    InviteChecked,
    Location,
    Media,
    Photo,
    Press,
    SimilarFound,
    Text,
    Unsupported,
    WithdrawalChecked,
)
from flows.evidence_intake import on_media, on_unsupported_media
from flows.evidence_texts import UNSUPPORTED_MEDIA
from flows.navigation import (
    ASK,
    Advance,
    Ask,
    Outcome,
    Result,
    clear,
    expired,
    goto,
    missing_step,
    new_report,
    reprompt,
)
from flows.prompts import erase_buttons, kind_label, start_button
from flows.public_view import PublicReport
from flows.report_ends import WITHDRAW
from flows.rules import Rules
from flows.state import Conversation, KaderProfile, Step
from flows.steps import STEPS, next_step, prompt
from flows.validation import clean_text

__all__ = ["missing_step", "step"]


def step(conv: Conversation, event: Event, now: datetime, rules: Rules) -> Result:
    """Apply one event to one conversation; return the new state and the effects."""
    effects: list[Effect] = []
    if conv.draft is not None and expired(conv, now, rules):
        hours = int(rules.draft_ttl.total_seconds() // 3600)
        conv = clear(conv)
        effects.append(Reply(texts.draft_expired(hours), keyboard=Keyboard.REMOVE))
    if isinstance(event, Expire):
        return (conv.model_copy(update={"updated_at": now}) if effects else conv), effects
    conv, more = _settle(*_handle(conv, event, now, rules), rules, _pressed_question(event))
    return conv.model_copy(update={"updated_at": now}), effects + more


def _settle(
    conv: Conversation,
    effects: list[Effect | Ask | Advance],
    rules: Rules,
    pressed: int | None = None,
) -> Result:
    """Fill in what the handlers left to the table: an answered question moves on to the
    step the table names, and every placeholder becomes the question then open.

    A press on a question's button answered by nothing but the next question (with
    inline buttons or none) shows it in the pressed message: an edit, not one more
    message. A question with a reply keyboard, or after another message, comes new."""
    for effect in effects:
        if isinstance(effect, Advance):
            conv, _ = goto(conv, next_step(conv, effect.done))
    asks = sum(1 for e in effects if isinstance(e, Ask | Advance))
    in_place = pressed if asks == 1 and not any(isinstance(e, Reply) for e in effects) else None
    settled: list[Effect] = []
    for effect in effects:
        if not isinstance(effect, Ask | Advance):
            settled.append(effect)
            continue
        question = prompt(conv, rules)
        if in_place is not None and question.keyboard is Keyboard.KEEP:
            question = dataclasses.replace(question, replace=in_place)
        settled.append(question)
    return conv, settled


def _pressed_question(event: Event) -> int | None:
    """The message pressed, for a button of a question (not one valid at any time, such
    as "Buat laporan" under the welcome, which stays as it is)."""
    if not isinstance(event, Press) or event.message_id is None:
        return None
    choice = parse_choice(event.data)
    return event.message_id if choice is not None and choice.menu is not None else None


def _handle(conv: Conversation, event: Event, now: datetime, rules: Rules) -> Outcome:
    match event:
        case Command(name=name, arg=arg):
            return _on_command(conv, name.lower(), arg, now, rules)
        case Press(data=data):
            return _on_press(conv, data, now, rules)
        case Text(text=text) if conv.withdrawing and conv.draft is None:
            return withdrawing.on_reason(conv, clean_text(text))
        case Text(text=text) if conv.messaging and conv.draft is None:
            return _message_officers(conv, clean_text(text), None)
        case Text(text=text):
            return _on_text(conv, clean_text(text), now, rules)
        case Photo(file_id=file_id, caption=caption) if conv.messaging and conv.draft is None:
            return _message_officers(conv, clean_text(caption), file_id)
        case Photo():
            return on_photo(conv, event, rules)
        case Media():
            return on_media(conv, event, rules)
        case Location(latitude=lat, longitude=lon):
            return on_location(conv, lat, lon, rules)
        case Contact():
            return on_contact(conv, event, rules)
        case InviteChecked(name=name, kelurahan=kelurahan):
            return _on_invite(conv, name, kelurahan)
        case WithdrawalChecked(code=code, refusal=refusal):
            return withdrawing.on_checked(conv, code, refusal)
        case SimilarFound(reports=reports, recent=recent):
            return _on_similar(conv, reports, recent, rules)
        case Unsupported(kind=kind) if kind in UNSUPPORTED_MEDIA:
            return on_unsupported_media(conv, kind)
        case Unsupported(kind=kind):
            return conv, [Reply(texts.unsupported(kind)), *reprompt(conv)]
    raise FlowError(f"can't handle event {event!r} in step {conv.step}")


# --- commands ------------------------------------------------------------------------


def _on_command(conv: Conversation, name: str, arg: str, now: datetime, rules: Rules) -> Outcome:
    conv = withdrawing.forget(conv)
    in_draft = conv.draft is not None
    if name == "start" and arg.strip():
        return conv, [ClaimInvite(arg.strip())]
    if name == "start":
        if in_draft:
            return conv, [
                Reply(texts.welcome(rules.places.city, rules.city.level)),
                Reply(texts.draft_pending()),
                prompt(conv, rules),
            ]
        return conv, [Reply(texts.welcome(rules.places.city, rules.city.level), start_button())]
    if name == "lapor":
        return _start_report(conv, now, rules)
    if name == "batal":
        if not in_draft:
            return conv, [Reply(texts.nothing_to_cancel())]
        return clear(conv), [Reply(texts.cancelled(), keyboard=Keyboard.REMOVE)]
    if name == "status":
        shown: list[Effect]
        if not arg.strip():
            shown = [ShowReports()]
        else:
            code = parse_code(arg)
            shown = [ShowReport(code)] if code else [Reply(report_texts.invalid_code())]
        return conv, [*shown, *reprompt(conv)]
    if name == "berkas":
        code = parse_code(arg)
        asked: Effect = SendDossier(code) if code else Reply(ombudsman_texts.dossier_usage())
        return conv, [asked, *reprompt(conv)]
    if name == "tarik":
        return withdrawing.on_command(conv, arg)
    if name == "dataku":
        return conv, [ShowMyData(conv.kader, conv.draft), *reprompt(conv)]
    if name == "hapusdata":
        return conv, [Reply(report_texts.erase_confirm(), erase_buttons())]
    if name in ("bantuan", "help"):
        return conv, [Reply(texts.help_text(rules.city.ombudsman)), *reprompt(conv)]
    return conv, [Reply(texts.unknown_command(name)), *reprompt(conv)]


def _start_report(conv: Conversation, now: datetime, rules: Rules) -> Outcome:
    if conv.draft is None:
        return new_report(conv, now)
    if conv.step is Step.DISCARD:
        return conv, [prompt(conv, rules)]
    return goto(conv, Step.DISCARD, paused=conv.step)


# --- button presses ------------------------------------------------------------------


def _on_press(conv: Conversation, data: str, now: datetime, rules: Rules) -> Outcome:
    choice = parse_choice(data)
    if choice is None:
        return conv, [Notice(texts.invalid_button())]
    if choice.menu is None:
        return _on_global(conv, choice, now, rules)
    if choice.menu != conv.menu or conv.step is Step.IDLE:
        return conv, [Notice(texts.stale_button())]
    return _on_choice(conv, choice, now, rules)


def _on_choice(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Outcome:
    """A button of the open question, pressed or named by a typed text."""
    press = STEPS[conv.step].press
    if press is None:
        return conv, [Notice(texts.invalid_button())]
    return press(conv, choice, now, rules)


# --- typed text ----------------------------------------------------------------------


def _on_text(conv: Conversation, text: str, now: datetime, rules: Rules) -> Outcome:
    """A typed answer to the open question, or a typed text naming one of its buttons."""
    if conv.step is Step.IDLE or conv.draft is None:
        return conv, [Reply(texts.idle_hint(), start_button())]
    if not text:
        return conv, [ASK]
    answer = STEPS[conv.step].text
    if answer is not None:
        return answer(conv, text, rules)
    choice = typed_choice(prompt(conv, rules), text)
    if choice is not None:
        return _on_choice(conv, choice, now, rules)
    return conv, [Reply(texts.choose_button()), ASK]


def _on_global(conv: Conversation, choice: Choice, now: datetime, rules: Rules) -> Outcome:
    """Buttons valid at any time: start a report, or act on one of the person's reports."""
    if choice.action == "lapor":
        return _start_report(conv, now, rules)
    if choice.action == "hapus":
        if choice.value == "ya":
            return Conversation(menu=conv.menu + 1, updated_at=now), [EraseMyData()]
        return conv, [Reply(report_texts.erase_cancelled())]
    code_text, _, extra = choice.value.partition(":")
    code = parse_code(code_text)
    if code is None:
        return conv, [Notice(texts.invalid_button())]
    if choice.action == "rep":
        return conv, [ShowReport(code)]
    if choice.action == WITHDRAW:
        return withdrawing.on_press(conv, code, extra)
    if choice.action == "msg":
        if conv.draft is not None:
            return conv, [Reply(texts.finish_draft_first()), prompt(conv, rules)]
        return conv.model_copy(update={"messaging": code}), [Reply(notices.ask_message(code))]
    if choice.action == "fu" and extra in ("ya", "belum", "sebagian"):
        return conv, [AnswerFollowUp(code, extra)]
    if choice.action == "rate" and extra in ("1", "2", "3", "4", "5"):
        return conv, [Rate(code, int(extra))]
    if choice.action == "berkas":
        return conv, [SendDossier(code)]
    return conv, [Notice(texts.invalid_button())]


def _on_similar(
    conv: Conversation, reports: tuple[PublicReport, ...], recent: int, rules: Rules
) -> Outcome:
    """The shell found (or not) open reports like the draft the person wants to send, and
    counted her reports of the last day: over the limit, the draft waits."""
    draft = conv.draft
    if conv.step is not Step.SUMMARY or draft is None:
        return conv, []
    if recent >= rules.max_reports_per_day:
        return conv, [Reply(report_texts.too_many_reports(rules.max_reports_per_day))]
    if not reports:
        return clear(conv), [FileReport(draft.model_copy(update={"similar_checked": True}))]
    lines = tuple(
        report_texts.similar_line(report, kind_label(report.kind, rules), rules.timezone)
        for report in reports
    )
    checked = draft.model_copy(update={"similar": lines, "similar_checked": True})
    return goto(conv, Step.SIMILAR, draft=checked)


def _message_officers(conv: Conversation, text: str, photo: str | None) -> Outcome:
    """The message the person chose to write to the officers about one report."""
    code = conv.messaging
    assert code is not None
    if not text and photo is None:
        return conv, [Reply(notices.ask_message(code))]
    return conv.model_copy(update={"messaging": None}), [RelayToOfficers(code, text, photo)]


def _on_invite(conv: Conversation, name: str | None, kelurahan: str) -> Outcome:
    """A kader's invitation link was checked: remember her as kader, or say it is void."""
    if name is None:
        return conv, [Reply(report_texts.invite_invalid())]
    phone = conv.kader.phone if conv.kader else None
    kader = KaderProfile(name=name, phone=phone)
    return conv.model_copy(update={"kader": kader}), [
        Reply(report_texts.kader_welcome(name, kelurahan))
    ]
