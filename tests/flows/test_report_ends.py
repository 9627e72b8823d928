"""The ends of a report that are neither solved nor rejected, decided purely: handed over
to a body outside the city's authority (dilimpahkan), withdrawn by its reporter
(dicabut). Cards, desk, the resident's conversation, news and the monthly figures."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from flows import end_texts, notices
from flows.card import officer_card
from flows.deadlines import DeadlineRules
from flows.desk import HANDOVER_NOTE_PROMPT, ApplyDecision, press_card, reply_to_card
from flows.effects import CheckWithdrawal, Notice, Reply, Withdraw
from flows.events import Command, Event, Press, Text, WithdrawalChecked
from flows.monthly import ReportFacts, monthly_summary, summary_text
from flows.officer import Act, CardAction, Decision, card_buttons, decide
from flows.report import CLOSED, Privacy, Report, Reporter, Status
from flows.report_ends import AddHandoverNote, withdrawal_refusal
from flows.state import Conversation, Step
from tests.flows.helpers import READY, RULES, T0, at, run, texts_of
from tests.flows.test_desk import ANDI, DLH_CHAT, OFFICE
from tests.flows.test_officer import report

OUTSIDE = [body.id for body in RULES.catalogue.outside_bodies()]
CODE = "SW-7K3M-Q9XA"
OPEN = [s for s in Status if s not in CLOSED]
DECIDED = [Status.SELESAI, Status.DITOLAK, Status.DUPLIKAT, Status.DILIMPAHKAN]


def decided(rep: Report, act: Act, arg: str = "") -> Decision | str:
    return decide(rep, CardAction(act, arg), RULES, T0, 0)


def labels(rep: Report) -> list[str]:
    return [b.label for row in card_buttons(rep, "main", RULES, ()) for b in row]


# -- handover ------------------------------------------------------------------------------


def test_the_catalogue_has_the_outside_bodies_of_the_issue() -> None:
    assert {"pln", "bpjs_kesehatan", "polri", "bpn", "provinsi", "nasional"} <= set(OUTSIDE)


@pytest.mark.parametrize("body", OUTSIDE)
@pytest.mark.parametrize("status", OPEN)
def test_routing_to_an_outside_body_hands_the_report_over(body: str, status: Status) -> None:
    decision = decided(report(status=status), Act.ROUTE, body)
    assert isinstance(decision, Decision)
    assert decision.to_status is Status.DILIMPAHKAN and decision.body == body
    assert ("decided_at", T0) in decision.stamps  # deadlines stop: decided
    assert decision.learn  # the routing is confirmed


def test_routing_to_a_city_body_still_forwards_it() -> None:
    decision = decided(report(), Act.ROUTE, "dpupr")
    assert isinstance(decision, Decision) and decision.to_status is Status.DITERUSKAN
    assert all(stamp != "decided_at" for stamp, _ in decision.stamps)


@pytest.mark.parametrize(
    ("body", "status", "handed"),
    [
        pytest.param("pln", Status.DITERIMA, True, id="filed-for-pln"),
        pytest.param("polri", Status.DIVERIFIKASI, True, id="verified-for-polri"),
        pytest.param("dlh", Status.DITERIMA, False, id="city-body-refused"),
        pytest.param("pln", Status.DILIMPAHKAN, False, id="handed-over-already"),
        pytest.param("pln", Status.DICABUT, False, id="withdrawn"),
    ],
)
def test_one_tap_handover(body: str, status: Status, handed: bool) -> None:
    decision = decided(report(body=body, status=status), Act.HANDOVER)
    if handed:
        assert isinstance(decision, Decision) and decision.to_status is Status.DILIMPAHKAN
    else:
        assert isinstance(decision, str)


def test_the_card_of_a_report_filed_for_pln_offers_the_handover() -> None:
    rep = report(body="pln")
    assert "🤝 Limpahkan ke PLN" in labels(rep)
    card = officer_card(rep, RULES)
    assert "Bukan kewenangan" in card and "123" in card  # PLN's contact, from the catalogue
    assert "🤝 Limpahkan ke PLN" not in " ".join(labels(report(body="dlh")))


def test_a_handed_over_card_shows_the_contact_and_keeps_only_notes() -> None:
    rep = report(body="pln", status=Status.DILIMPAHKAN, decided_at=T0, end_note="No. tiket 77")
    card = officer_card(rep, RULES, deadline="Batas jawaban: besok")
    assert "Diteruskan ke instansi berwenang" in card
    assert "Dilimpahkan ke PT PLN" in card and "No. tiket 77" in card
    assert "Batas" not in card  # deadlines stopped
    assert labels(rep) == ["📝 Catatan", "🔐 Privasi & publikasi", "🏷 Ubah jenis"]


@pytest.mark.parametrize(
    ("chat", "user", "reachable", "asks"),
    [
        pytest.param(DLH_CHAT, ANDI, True, True, id="asks-note"),
        pytest.param(DLH_CHAT, ANDI, False, False, id="erased-reporter-no-question"),
    ],
)
def test_a_handover_press_asks_for_an_optional_note(
    chat: int, user: int, reachable: bool, asks: bool
) -> None:
    who = (
        Reporter(user_id=1001, chat_id=1001, name="Siti")
        if reachable
        else Reporter(user_id=0, chat_id=0, name="")
    )
    outcome = press_card(OFFICE, RULES, chat, user, "o:to:pln", report(reporter=who), T0)
    assert isinstance(outcome, ApplyDecision)
    assert outcome.decision.to_status is Status.DILIMPAHKAN
    assert (outcome.prompt is not None) is asks
    if asks:
        assert outcome.prompt is not None and "PT PLN" in outcome.prompt


@pytest.mark.parametrize(
    ("status", "text", "expected"),
    [
        pytest.param(Status.DILIMPAHKAN, "Nomor pengaduan PLN 123-45", AddHandoverNote, id="note"),
        pytest.param(Status.DILIMPAHKAN, "x" * 501, Reply, id="too-long"),
        pytest.param(Status.DILIMPAHKAN, "   ", Reply, id="empty"),
        pytest.param(Status.DITERUSKAN, "Nomor pengaduan", Reply, id="not-handed-over"),
    ],
)
def test_a_reply_to_the_handover_question(status: Status, text: str, expected: type) -> None:
    # The card moved to the central chat with PLN; the OPD that handed it over answers.
    rep = report(body="pln", status=status)
    outcome = reply_to_card(OFFICE, RULES, DLH_CHAT, ANDI, HANDOVER_NOTE_PROMPT, rep, text, None)
    assert isinstance(outcome, expected)
    if isinstance(outcome, AddHandoverNote):
        assert outcome.note == text and "Dinas Lingkungan Hidup" in outcome.unit


def test_the_reporter_is_told_who_is_responsible_and_how_to_reach_them() -> None:
    rep = report(body="bpn", status=Status.DILIMPAHKAN)
    news = notices.report_news(rep, "Petugas", RULES)
    bpn = RULES.catalogue.body("bpn")
    assert bpn.contact and bpn.contact in news and bpn.name in news
    assert "bukan kewenangan" in news


# -- withdrawal ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "refused"),
    [pytest.param(s, None, id=f"open-{s.value}") for s in OPEN]
    + [pytest.param(s, "sudah diputuskan", id=f"decided-{s.value}") for s in DECIDED]
    + [pytest.param(Status.DICABUT, "sudah Anda cabut", id="withdrawn-already")],
)
def test_who_may_withdraw_what(status: Status, refused: str | None) -> None:
    refusal = withdrawal_refusal(report(status=status), CODE)
    assert refusal is None if refused is None else refused in (refusal or "")


def test_another_persons_report_looks_unknown() -> None:
    assert "tidak ditemukan" in (withdrawal_refusal(None, CODE) or "")


IDLE = Conversation(updated_at=T0)
ASKED = Conversation(updated_at=T0, withdrawing=CODE)


@pytest.mark.parametrize(
    ("conv", "event", "effect", "withdrawing"),
    [
        pytest.param(IDLE, Command("tarik", CODE), CheckWithdrawal(CODE), None, id="command"),
        pytest.param(
            IDLE, Press("g:tarik:SW7K3MQ9XA"), CheckWithdrawal(CODE), None, id="status-button"
        ),
        pytest.param(
            IDLE,
            WithdrawalChecked(CODE, None),
            Reply(end_texts.ask_withdraw_reason(CODE)),
            CODE,
            id="allowed-asks-reason",
        ),
        pytest.param(
            IDLE,
            WithdrawalChecked(CODE, "Maaf, tidak bisa"),
            Reply("Maaf, tidak bisa"),
            None,
            id="refused",
        ),
        pytest.param(
            ASKED,
            Text("Sudah diperbaiki warga sendiri"),
            Withdraw(CODE, "Sudah diperbaiki warga sendiri"),
            None,
            id="typed-reason",
        ),
        pytest.param(
            ASKED, Press("g:tarik:SW7K3MQ9XA:ok"), Withdraw(CODE, None), None, id="no-reason"
        ),
        pytest.param(
            IDLE, Press("g:tarik:SW7K3MQ9XA:ok"), Withdraw(CODE, None), None, id="late-tap"
        ),
        pytest.param(
            ASKED,
            Press("g:tarik:SW7K3MQ9XA:batal"),
            Reply(end_texts.withdraw_kept(CODE)),
            None,
            id="keep",
        ),
        pytest.param(
            IDLE, Command("tarik", ""), Reply(end_texts.withdraw_usage()), None, id="no-code"
        ),
        pytest.param(
            IDLE,
            Command("tarik", "bukan kode"),
            Reply(end_texts.withdraw_usage()),
            None,
            id="bad-code",
        ),
    ],
)
def test_the_withdrawal_conversation(
    conv: Conversation, event: Event, effect: object, withdrawing: str | None
) -> None:
    after, effects = run(conv, event)
    first = effects[0]
    if isinstance(effect, Reply) and isinstance(first, Reply):
        assert first.text == effect.text
    else:
        assert first == effect
    assert after.withdrawing == withdrawing


def test_a_command_in_between_means_the_next_text_is_no_reason() -> None:
    after, effects = run(ASKED, Command("status", ""), Text("jalan masih rusak"))
    assert after.withdrawing is None
    assert not any(isinstance(e, Withdraw) for e in effects)


def test_a_draft_comes_first() -> None:
    conv = at(Step.SUMMARY, **READY)
    after, effects = run(conv, Command("tarik", CODE))
    assert "Selesaikan" in texts_of(effects) and after.draft == conv.draft
    assert not any(isinstance(e, CheckWithdrawal) for e in effects)


def test_a_double_tap_on_the_withdraw_buttons_is_harmless_in_the_flow() -> None:
    conv, effects = run(ASKED, Press("g:tarik:SW7K3MQ9XA:ok"))
    again, more = run(conv, Press("g:tarik:SW7K3MQ9XA:batal"))
    assert effects == [Withdraw(CODE, None)] and again.withdrawing is None
    assert not any(isinstance(e, Notice) for e in more)  # the shell judges the report again


def test_the_card_of_a_withdrawn_report_shows_the_reason_masked_when_anonim() -> None:
    rep = report(
        status=Status.DICABUT,
        decided_at=T0,
        end_note="Saya Siti, sudah diperbaiki",
        privacy=Privacy.ANONIM,
    )
    card = officer_card(rep, RULES)
    assert "Dicabut pelapor" in card and "sudah diperbaiki" in card
    assert "Siti" not in card
    assert labels(rep) == ["📝 Catatan", "🔐 Privasi & publikasi", "🏷 Ubah jenis"]


def test_supporters_and_reporter_hear_of_the_withdrawal() -> None:
    news = notices.report_news(report(status=Status.DICABUT), "pelapor", RULES)
    assert "dicabut" in news and "/lapor" in news


# -- figures -------------------------------------------------------------------------------

WIB = ZoneInfo("Asia/Jakarta")


def fact(status: Status, answered_day: int | None, ended_day: int | None) -> ReportFacts:
    filed = T0.astimezone(WIB).replace(day=2, month=3)
    return ReportFacts(
        "SW-X",
        "pln" if status is Status.DILIMPAHKAN else "dlh",
        None,
        "Cilegon",
        "Bagendung",
        status,
        filed,
        None if answered_day is None else filed + timedelta(days=answered_day),
        None if ended_day is None else filed + timedelta(days=ended_day),
    )


def test_monthly_figures_count_the_ends_apart() -> None:
    facts = [
        fact(Status.DILIMPAHKAN, None, 2),  # handed over on day 2: decided in time
        fact(Status.DICABUT, None, 5),  # withdrawn before any deadline: not judged
        fact(Status.DICABUT, None, 20),  # withdrawn after the 14-day answer was missed
        fact(Status.DIPROSES, 1, None),  # open, answered in time
    ]
    s = monthly_summary(facts, 2026, 3, WIB, DeadlineRules(), frozenset())
    assert (s.total, s.handed_over, s.withdrawn) == (4, 1, 2)
    assert s.decided == 1  # the handover; a withdrawal is no decision
    assert (s.answered_on_time, s.answer_due) == (2, 3)  # handover, open one; late one
    assert (s.decided_on_time, s.decision_due) == (1, 1)  # only the handover is settled
    per_status = dict(s.per_status)
    assert per_status[Status.DILIMPAHKAN] == 1 and per_status[Status.DICABUT] == 2
    assert per_status[Status.SELESAI] == 0
    text = summary_text(s)
    assert "Diteruskan ke instansi berwenang (bukan kewenangan): 1" in text
    assert "Dicabut pelapor: 2" in text


def test_exports_leave_the_decision_of_a_withdrawn_report_empty() -> None:
    assert fact(Status.DICABUT, None, 5).decision_at is None
    assert fact(Status.DILIMPAHKAN, None, 2).decision_at is not None
