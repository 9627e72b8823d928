"""The officers' desk decided purely: what a press on a card and a reply to a card or
prompt lead to, for each who, where and which report, without storage."""

from __future__ import annotations

from typing import Any

import pytest

from flows import notices, officer_texts
from flows.desk import (
    ApplyDecision,
    central_refusal,
    command_refusal,
    press_card,
    reply_to_card,
)
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
from flows.officer import Decision, closed_no_answer
from flows.report import Privacy, Reporter, Status
from flows.roles import Roles
from tests.flows.helpers import RULES, T0
from tests.flows.test_officer import report

CENTRAL, DLH_CHAT, DPUPR_CHAT = -100, -200, -300
RINA, ANDI, BUDI, STRANGER = 11, 22, 33, 99
OFFICE = Office(
    roles=Roles(
        central_chat=CENTRAL,
        central_officers=frozenset({RINA}),
        opd_chats={"dlh": DLH_CHAT, "dpupr": DPUPR_CHAT},
        opd_officers={DLH_CHAT: frozenset({ANDI}), DPUPR_CHAT: frozenset({BUDI})},
    ),
    templates=("Terima kasih, laporan sedang kami periksa.", "Petugas sudah ke lokasi."),
)
DLH_UNIT = OFFICE.unit_name(DLH_CHAT, RULES)
ERASED = Reporter(user_id=0, chat_id=0, name="")


def pressed(
    data: str, chat: int = DLH_CHAT, user: int = ANDI, on_card: bool = True, **changes: Any
) -> object:
    card = report(**changes) if on_card else None
    return press_card(OFFICE, RULES, chat, user, data, card, T0)


@pytest.mark.parametrize(
    ("data", "chat", "user", "on_card", "changes", "expected"),
    [
        pytest.param(
            "o:ver", DLH_CHAT, STRANGER, True, {}, Notice(notices.not_officer()), id="stranger"
        ),
        pytest.param(
            "o:ver", DLH_CHAT, ANDI, False, {}, Notice(notices.unknown_button()), id="not-a-card"
        ),
        pytest.param(
            "x:ver", DLH_CHAT, ANDI, True, {}, Notice(notices.unknown_button()), id="forged-data"
        ),
        pytest.param(
            "o:ver", DPUPR_CHAT, BUDI, True, {}, Notice(notices.not_this_chat()), id="other-opd"
        ),
        pytest.param(
            "o:cat",
            DLH_CHAT,
            ANDI,
            True,
            {},
            AskOfficer(notices.ask_note("SW-7K3M-Q9XA"), "note_prompt"),
            id="note-asks",
        ),
        pytest.param(
            "o:tp:1",
            DLH_CHAT,
            ANDI,
            True,
            {"status": Status.DIPROSES},
            AnswerReporter(
                DLH_UNIT, "Petugas sudah ke lokasi.", None, notices.reply_sent("SW-7K3M-Q9XA")
            ),
            id="template-answers",
        ),
        pytest.param(
            "o:tp:0",
            DLH_CHAT,
            ANDI,
            True,
            {"status": Status.DIPROSES, "reporter": ERASED},
            Notice(notices.reporter_unreachable("SW-7K3M-Q9XA")),
            id="template-to-erased-reporter",
        ),
        pytest.param(
            "o:tp:0",
            DLH_CHAT,
            ANDI,
            True,
            {"status": Status.SELESAI},
            Notice(closed_no_answer(report(status=Status.SELESAI))),
            id="template-on-closed-report",
        ),
    ],
)
def test_a_press_on_a_card(
    data: str, chat: int, user: int, on_card: bool, changes: dict[str, Any], expected: object
) -> None:
    assert pressed(data, chat, user, on_card, **changes) == expected


def test_central_officers_handle_every_report() -> None:
    outcome = pressed("o:pro", CENTRAL, RINA)
    assert isinstance(outcome, ApplyDecision)
    assert outcome.decision.to_status is Status.DIPROSES
    assert outcome.unit == OFFICE.unit_name(CENTRAL, RULES)


def test_a_press_the_status_forbids_is_refused_with_its_reason() -> None:
    outcome = pressed("o:ver", status=Status.DIPROSES)
    assert isinstance(outcome, Notice)
    assert outcome.text


def test_the_back_button_only_redraws_the_card() -> None:
    assert pressed("o:bk") == ApplyDecision(Decision(), DLH_UNIT)


def replied(
    purpose: str,
    text: str = "Sudah kami angkut.",
    photo: str | None = None,
    chat: int = DLH_CHAT,
    user: int = ANDI,
    **changes: Any,
) -> object:
    return reply_to_card(OFFICE, RULES, chat, user, purpose, report(**changes), text, photo)


CODE = "SW-7K3M-Q9XA"


@pytest.mark.parametrize(
    ("purpose", "text", "chat", "user", "changes", "expected"),
    [
        pytest.param(
            "card", "Halo", DLH_CHAT, STRANGER, {}, Reply(notices.not_officer()), id="stranger"
        ),
        pytest.param(
            "card", "Halo", DPUPR_CHAT, BUDI, {}, Reply(notices.not_this_chat()), id="other-opd"
        ),
        pytest.param(
            "card",
            "Sudah kami angkut.",
            DLH_CHAT,
            ANDI,
            {},
            AnswerReporter(DLH_UNIT, "Sudah kami angkut.", None, notices.reply_sent(CODE)),
            id="reply-to-card-answers-reporter",
        ),
        pytest.param(
            "reminder",
            "Segera",
            DLH_CHAT,
            ANDI,
            {"status": Status.DITOLAK},
            Reply(closed_no_answer(report(status=Status.DITOLAK))),
            id="closed-report-no-answer",
        ),
        pytest.param(
            "relay",
            "Segera",
            DLH_CHAT,
            ANDI,
            {"reporter": ERASED},
            Reply(notices.reporter_unreachable(CODE)),
            id="erased-reporter-no-answer",
        ),
        pytest.param(
            "note_prompt",
            "",
            DLH_CHAT,
            ANDI,
            {"status": Status.SELESAI},
            SaveNote("(foto)", notices.note_saved(CODE)),
            id="note-on-closed-report-kept",
        ),
        pytest.param(
            "duplicate_prompt",
            "SW-AAAA-0002",
            DLH_CHAT,
            ANDI,
            {},
            MarkDuplicate("SW-AAAA-0002", DLH_UNIT),
            id="duplicate-code",
        ),
        pytest.param(
            "public_text_prompt",
            "  ",
            DLH_CHAT,
            ANDI,
            {},
            Reply(notices.public_text_refused(CODE)),
            id="empty-public-text",
        ),
        pytest.param(
            "public_text_prompt",
            "Sampah di TPS",
            DLH_CHAT,
            ANDI,
            {"privacy": Privacy.RAHASIA},
            Reply(notices.public_text_refused(CODE)),
            id="confidential-never-public",
        ),
        pytest.param("filed", "Halo", DLH_CHAT, ANDI, {}, None, id="own-conversation"),
    ],
)
def test_a_reply_in_an_officers_chat(
    purpose: str, text: str, chat: int, user: int, changes: dict[str, Any], expected: object
) -> None:
    assert replied(purpose, text, None, chat, user, **changes) == expected


@pytest.mark.parametrize(
    ("verified", "saved"),
    [
        pytest.param(None, notices.public_text_saved(CODE, False), id="public-once-verified"),
        pytest.param(T0, notices.public_text_saved(CODE, True), id="public-now"),
    ],
)
def test_an_officer_public_text_is_masked_and_approved(verified: object, saved: str) -> None:
    outcome = replied("public_text_prompt", " Hubungi 081234567890 di TPS ", verified_at=verified)
    assert isinstance(outcome, SetPublicText)
    assert "081234567890" not in outcome.text
    assert outcome.said == saved


def test_a_photo_reply_answers_with_the_photo() -> None:
    outcome = replied("card_photo", "", "photo-1")
    assert outcome == AnswerReporter(DLH_UNIT, "", "photo-1", notices.reply_sent(CODE))


@pytest.mark.parametrize(
    ("chat", "user", "known", "expected"),
    [
        pytest.param(DLH_CHAT, ANDI, True, None, id="officer-runs"),
        pytest.param(DLH_CHAT, ANDI, False, None, id="officer-gets-help"),
        pytest.param(DLH_CHAT, STRANGER, True, notices.not_officer(), id="stranger-refused"),
        pytest.param(DLH_CHAT, STRANGER, False, "", id="stranger-unknown-ignored"),
        pytest.param(-999, RINA, True, notices.not_officer(), id="unknown-chat"),
    ],
)
def test_who_may_run_officer_commands(
    chat: int, user: int, known: bool, expected: str | None
) -> None:
    assert command_refusal(OFFICE, chat, user, known) == expected


@pytest.mark.parametrize(
    ("chat", "expected"),
    [
        pytest.param(CENTRAL, None, id="central-chat-runs"),
        pytest.param(DLH_CHAT, officer_texts.central_only(), id="opd-chat-refused"),
    ],
)
def test_kader_commands_belong_to_the_central_chat(chat: int, expected: str | None) -> None:
    assert central_refusal(OFFICE, chat) == expected
