"""What a resident may do to her filed report, decided purely: write to its officers,
answer the follow-up question (a "belum" reopens it), rate the handling."""

from __future__ import annotations

import pytest

from flows import notices, report_texts, texts
from flows.effects import Reply
from flows.officer import reopen_decision
from flows.report import Report, Status
from flows.report_actions import (
    answer_followup,
    detail_buttons,
    followup_question,
    rate,
    relay_refusal,
)
from tests.flows.helpers import RULES
from tests.flows.test_officer import report

CODE = "SW-7K3M-Q9XA"


@pytest.mark.parametrize(
    ("found", "expected"),
    [
        pytest.param(None, report_texts.report_not_found(CODE), id="not-hers"),
        pytest.param(report(status=Status.DIPROSES), None, id="open-relays"),
        pytest.param(
            report(status=Status.SELESAI), notices.report_closed_no_relay(CODE), id="closed"
        ),
        pytest.param(
            report(status=Status.DUPLIKAT), notices.report_closed_no_relay(CODE), id="duplicate"
        ),
    ],
)
def test_writing_to_the_officers(found: Report | None, expected: str | None) -> None:
    assert relay_refusal(found, CODE) == expected


@pytest.mark.parametrize(
    ("answer", "reopens"),
    [
        pytest.param("ya", False, id="ya-keeps-it-solved"),
        pytest.param("sebagian", False, id="sebagian-keeps-it-solved"),
        pytest.param("belum", True, id="belum-reopens"),
    ],
)
def test_answering_the_follow_up(answer: str, reopens: bool) -> None:
    solved = report(status=Status.SELESAI)
    answered = answer_followup(solved, answer)
    assert answered is not None
    assert answered.reopen == (reopen_decision() if reopens else None)
    assert answered.note == notices.followup_note(answer)
    assert answered.to_officers == notices.followup_to_officers(solved, answer)
    assert answered.thanks.text == notices.followup_thanks(answer)
    assert [b.data for b in answered.thanks.buttons[0]] == [
        f"g:rate:SW7K3MQ9XA:{n}" for n in range(1, 6)
    ]


@pytest.mark.parametrize(
    "found",
    [
        pytest.param(None, id="not-hers"),
        pytest.param(report(status=Status.DIPROSES), id="not-solved"),
        pytest.param(report(status=Status.SELESAI, followup_answer="ya"), id="answered"),
    ],
)
def test_a_stale_follow_up_button_changes_nothing(found: Report | None) -> None:
    assert answer_followup(found, "belum") is None


@pytest.mark.parametrize(
    ("found", "expected"),
    [
        pytest.param(
            report(status=Status.SELESAI),
            (4, Reply(notices.rating_thanks(4))),
            id="first-rating-kept",
        ),
        pytest.param(
            report(status=Status.SELESAI, rating=5),
            (None, Reply(texts.stale_button())),
            id="second-rating-stale",
        ),
        pytest.param(None, (None, Reply(texts.stale_button())), id="not-hers"),
    ],
)
def test_rating(found: Report | None, expected: tuple[int | None, Reply]) -> None:
    assert rate(found, 4) == expected


def test_the_follow_up_question_offers_three_answers() -> None:
    question = followup_question(report(status=Status.SELESAI, decided_at=None), RULES.timezone)
    assert [b.data for b in question.buttons[0]] == [
        "g:fu:SW7K3MQ9XA:ya",
        "g:fu:SW7K3MQ9XA:belum",
        "g:fu:SW7K3MQ9XA:sebagian",
    ]


@pytest.mark.parametrize(
    ("status", "buttons"),
    [
        pytest.param(Status.DIPROSES, 2, id="open-can-message-or-withdraw"),
        pytest.param(Status.SELESAI, 0, id="closed-cannot"),
        pytest.param(Status.DILIMPAHKAN, 0, id="handed-over-cannot"),
        pytest.param(Status.DICABUT, 0, id="withdrawn-cannot"),
    ],
)
def test_a_report_detail_offers_a_message_while_open(status: Status, buttons: int) -> None:
    assert len(detail_buttons(report(status=status))) == buttons
