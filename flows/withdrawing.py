"""The resident's side of a withdrawal, in her conversation: `/tarik KODE` or the button
under `/status KODE` → the shell checks (`CheckWithdrawal` → `WithdrawalChecked`) →
one question for a reason (typed, or "Cabut tanpa alasan", or "Batal") → `Withdraw`.

Only the next typed text is taken as the reason; any command in between, or a draft
being written, leaves the report alone. The shell decides again under a lock when it
withdraws (`flows.report_ends.withdrawal_refusal`), so a double tap is harmless.
"""

from __future__ import annotations

from flows import end_texts, texts
from flows.codes import parse_code
from flows.effects import CheckWithdrawal, Notice, Reply, Withdraw
from flows.navigation import Outcome
from flows.report_ends import ask_reason, withdraw_reason
from flows.state import Conversation


def on_command(conv: Conversation, arg: str) -> Outcome:
    """`/tarik KODE`: check the report first (a draft in progress comes first)."""
    if conv.draft is not None:
        return conv, [Reply(texts.finish_draft_first())]
    code = parse_code(arg) if arg.strip() else None
    if code is None:
        return conv, [Reply(end_texts.withdraw_usage())]
    return conv, [CheckWithdrawal(code)]


def on_press(conv: Conversation, code: str, extra: str) -> Outcome:
    """The withdraw button (check first), "Cabut tanpa alasan" or "Batal"."""
    if extra == "ok":
        return _stop(conv), [Withdraw(code, None)]
    if extra == "batal":
        return _stop(conv), [Reply(end_texts.withdraw_kept(code))]
    if extra:
        return conv, [Notice(texts.invalid_button())]
    return on_command(conv, code)


def on_checked(conv: Conversation, code: str, refusal: str | None) -> Outcome:
    """The shell's answer: refused, or ask the reason once."""
    if refusal is not None:
        return _stop(conv), [Reply(refusal)]
    asked = conv.model_copy(update={"withdrawing": code, "messaging": None})
    return asked, [ask_reason(code)]


def on_reason(conv: Conversation, text: str) -> Outcome:
    """The typed reason: withdraw now (an empty text asks again)."""
    code = conv.withdrawing
    assert code is not None
    if not text:
        return conv, [ask_reason(code)]
    return _stop(conv), [Withdraw(code, withdraw_reason(text))]


def forget(conv: Conversation) -> Conversation:
    """Any command ends the question: a later text is never taken as a reason."""
    return _stop(conv) if conv.withdrawing is not None else conv


def _stop(conv: Conversation) -> Conversation:
    return conv.model_copy(update={"withdrawing": None})
