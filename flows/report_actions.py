"""What a resident may do to her filed report, decided purely: write to its officers,
answer "is it really solved?" (a "belum" reopens it), rate the handling.

The shell (`service.reporter`) looks the report up (None: no report of hers has this
code, since others' codes look unknown) and carries out what these functions return.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flows import notices, report_texts, texts
from flows.buttons import button
from flows.effects import Button, Reply
from flows.officer import Decision, reopen_decision
from flows.report import Report, Status
from flows.report_ends import withdraw_button

RATINGS = ("1", "2", "3", "4", "5")
Buttons = tuple[tuple[Button, ...], ...]


def relay_refusal(report: Report | None, code: str) -> str | None:
    """Why the reporter's message cannot go to the officers of report `code` (None: it
    can): no such report of hers, or the report is closed."""
    if report is None:
        return report_texts.report_not_found(code)
    if report.closed:
        return notices.report_closed_no_relay(code)
    return None


@dataclass(frozen=True)
class FollowUpAnswered:
    """The reporter answered the follow-up question: note it, reopen the report when it
    is not solved (`reopen`), tell the officers, thank her and ask for a rating."""

    note: str
    reopen: Decision | None
    to_officers: str
    thanks: Reply


def answer_followup(report: Report | None, answer: str) -> FollowUpAnswered | None:
    """The reporter's ya / sebagian / belum about her solved report; None when the
    question is stale (not her report, not solved, or answered already)."""
    if report is None or report.status is not Status.SELESAI or report.followup_answer:
        return None
    short = report.code.replace("-", "")
    stars = (tuple(button(n, None, "rate", f"{short}:{n}") for n in RATINGS),)
    return FollowUpAnswered(
        note=notices.followup_note(answer),
        reopen=reopen_decision() if answer == "belum" else None,
        to_officers=notices.followup_to_officers(report, answer),
        thanks=Reply(notices.followup_thanks(answer), stars),
    )


def rate(report: Report | None, rating: int) -> tuple[int | None, Reply]:
    """The reporter's 1–5 rating of the handling: the rating to store (None: nothing,
    she rated already or the report is not hers) and the answer."""
    if report is None or report.rating is not None:
        return None, Reply(texts.stale_button())
    return rating, Reply(notices.rating_thanks(rating))


def followup_question(report: Report, tz: ZoneInfo) -> Reply:
    """Asked some days after a report is solved: is the problem really solved?"""
    code = report.code.replace("-", "")
    answers = tuple(
        button(label, None, "fu", f"{code}:{answer}") for label, answer in notices.FOLLOWUP_ANSWERS
    )
    return Reply(notices.followup_question(report, tz), (answers,))


def detail_buttons(report: Report) -> Buttons:
    """Under a report's detail, while it is open: write to its officers, or withdraw it."""
    if report.closed:
        return ()
    return (
        (button(notices.MESSAGE_OFFICERS, None, "msg", report.code.replace("-", "")),),
        (withdraw_button(report.code),),
    )
