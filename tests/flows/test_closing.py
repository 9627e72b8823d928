"""Closing with evidence, decided purely: Selesai asks what was done; the reply closes
the report or (central check) waits for the central verifier, who confirms or sends it
back with a reason."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from flows import closing_texts, notices
from flows.closing import (
    CloseReport,
    Closing,
    Confirm,
    SendBack,
    close_decision,
    done_refusal,
    press_validation,
    reply_send_back,
    with_evidence,
)
from flows.desk import press_card, reply_to_card
from flows.effects import AskOfficer, Notice, Reply
from flows.report import Status
from tests.flows.helpers import RULES, T0
from tests.flows.test_desk import ANDI, CENTRAL, DLH_CHAT, DLH_UNIT, OFFICE, RINA, STRANGER
from tests.flows.test_officer import report

CHECKED = replace(OFFICE, central_check=True)
PENDING = Closing(1, "Sampah sudah diangkut", "after-1", DLH_UNIT, "petugas:22", T0, True)


def test_selesai_asks_the_officer_what_was_done() -> None:
    asked = press_card(OFFICE, RULES, DLH_CHAT, ANDI, "o:sel", report(), T0)
    assert asked == AskOfficer(closing_texts.ask_done("SW-7K3M-Q9XA"), "done_prompt")


@pytest.mark.parametrize(
    ("office", "chat", "user", "text", "photo", "changes", "expected"),
    [
        pytest.param(
            OFFICE, DLH_CHAT, ANDI, "Sampah sudah diangkut truk DLH", None, {},
            CloseReport("Sampah sudah diangkut truk DLH", None, DLH_UNIT, check=False),
            id="note-closes",
        ),
        pytest.param(
            OFFICE, DLH_CHAT, ANDI, "  Sudah   bersih  ", "after-1", {},
            CloseReport("Sudah bersih", "after-1", DLH_UNIT, check=False),
            id="photo-with-caption",
        ),
        pytest.param(
            OFFICE, DLH_CHAT, ANDI, "", "after-1", {},
            Reply(closing_texts.note_needed("SW-7K3M-Q9XA")),
            id="photo-without-note-asks-again",
        ),
        pytest.param(
            CHECKED, DLH_CHAT, ANDI, "Sudah bersih", None, {},
            CloseReport("Sudah bersih", None, DLH_UNIT, check=True),
            id="opd-waits-for-central-check",
        ),
        pytest.param(
            CHECKED, CENTRAL, RINA, "Sudah bersih", None, {},
            CloseReport(
                "Sudah bersih", None, "Petugas Pengaduan Kota Cilegon", check=False
            ),
            id="central-closes-itself",
        ),
        pytest.param(
            OFFICE, DLH_CHAT, STRANGER, "Sudah", None, {},
            Reply(notices.not_officer()),
            id="stranger",
        ),
        pytest.param(
            OFFICE, DLH_CHAT, ANDI, "Sudah", None, {"status": Status.SELESAI},
            Reply("Laporan SW-7K3M-Q9XA sudah ditutup (selesai); tidak diubah."),
            id="already-closed",
        ),
    ],
)  # fmt: skip
def test_the_reply_to_the_done_prompt(
    office: Any, chat: int, user: int, text: str, photo: str | None, changes: Any, expected: Any
) -> None:
    got = reply_to_card(office, RULES, chat, user, "done_prompt", report(**changes), text, photo)
    assert got == expected


def test_a_note_is_cut_to_fit_a_caption() -> None:
    got = reply_to_card(OFFICE, RULES, DLH_CHAT, ANDI, "done_prompt", report(), "a" * 2000, None)
    assert isinstance(got, CloseReport) and len(got.note) == closing_texts.NOTE_LIMIT


def test_selesai_again_while_waiting_is_refused() -> None:
    assert done_refusal(report(), PENDING) == closing_texts.already_pending("SW-7K3M-Q9XA")
    assert done_refusal(report(), replace(PENDING, pending=False)) is None
    assert done_refusal(report(), None) is None


@pytest.mark.parametrize(
    ("chat", "user", "data", "pending", "expected"),
    [
        pytest.param(CENTRAL, RINA, "o:vok", PENDING, Confirm(), id="confirm"),
        pytest.param(
            CENTRAL, RINA, "o:vkb", PENDING,
            AskOfficer(closing_texts.ask_send_back_reason("SW-7K3M-Q9XA"), "sendback_prompt"),
            id="send-back-asks-why",
        ),
        pytest.param(
            CENTRAL, STRANGER, "o:vok", PENDING, Notice(notices.not_officer()), id="stranger"
        ),
        pytest.param(
            DLH_CHAT, ANDI, "o:vok", PENDING, Notice(closing_texts.central_only()),
            id="opd-cannot-validate-itself",
        ),
        pytest.param(
            CENTRAL, RINA, "o:vok", None,
            Notice(closing_texts.nothing_to_validate("SW-7K3M-Q9XA")), id="nothing-pending",
        ),
        pytest.param(
            CENTRAL, RINA, "o:vok", replace(PENDING, pending=False),
            Notice(closing_texts.nothing_to_validate("SW-7K3M-Q9XA")), id="confirmed-already",
        ),
        pytest.param(
            CENTRAL, RINA, "o:xyz", PENDING, Notice(notices.unknown_button()), id="forged"
        ),
    ],
)  # fmt: skip
def test_a_press_on_the_validation_message(
    chat: int, user: int, data: str, pending: Closing | None, expected: object
) -> None:
    assert press_validation(CHECKED, chat, user, data, report(), pending) == expected


def test_sending_back_needs_a_reason() -> None:
    assert reply_send_back(report(), PENDING, " Foto belum jelas ") == SendBack("Foto belum jelas")
    assert reply_send_back(report(), PENDING, "  ") == Reply(
        closing_texts.reason_needed("SW-7K3M-Q9XA")
    )
    assert reply_send_back(report(), None, "x") == Reply(
        closing_texts.nothing_to_validate("SW-7K3M-Q9XA")
    )


def test_closing_decides_and_schedules_the_follow_up() -> None:
    decision = close_decision(T0, timedelta(days=3))
    assert decision.to_status is Status.SELESAI and decision.publish
    assert ("decided_at", T0) in decision.stamps
    assert ("followup_due_at", T0 + timedelta(days=3)) in decision.stamps


def test_the_follow_up_question_carries_the_note_and_the_after_photo() -> None:
    question = Reply("Apakah masalahnya sudah benar-benar beres?")
    confirmed = replace(PENDING, pending=False)
    photo, asked = with_evidence(question, confirmed)
    assert photo == "after-1"
    assert isinstance(asked, Reply) and "Sampah sudah diangkut" in asked.text
    assert with_evidence(question, replace(confirmed, photo=None))[0] != "after-1"
    assert with_evidence(question, PENDING) == [question]  # never an unconfirmed note
    assert with_evidence(question, None) == [question]
