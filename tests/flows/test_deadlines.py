"""Deadlines: working days around Indonesian holidays, met/missed, reminders and labels."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from flows.deadlines import (
    DIGEST_OVER,
    Deadline,
    DeadlineRules,
    add_working_days,
    deadlines_for,
    describe,
    describe_short,
    digest_chats,
    indonesian_holidays,
    next_deadline,
    reminders_due,
)

WIB = ZoneInfo("Asia/Jakarta")
HOLIDAYS = indonesian_holidays([2026, 2027])
RULES = DeadlineRules()


def wib(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


def end_of(year: int, month: int, day: int) -> datetime:
    return datetime.combine(date(year, month, day), time.max, tzinfo=WIB)


# -- holidays ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "off"),
    [
        pytest.param(date(2026, 3, 21), True, id="idul-fitri-2026"),
        pytest.param(date(2026, 3, 20), True, id="cuti-bersama-idul-fitri-2026"),
        pytest.param(date(2026, 3, 24), True, id="cuti-bersama-after-lebaran-2026"),
        pytest.param(date(2026, 12, 24), True, id="cuti-bersama-natal-2026"),
        pytest.param(date(2026, 12, 25), True, id="natal-2026"),
        pytest.param(date(2026, 8, 17), True, id="hari-kemerdekaan"),
        pytest.param(date(2027, 1, 1), True, id="tahun-baru-2027"),
        pytest.param(date(2026, 3, 25), False, id="ordinary-wednesday"),
    ],
)
def test_indonesian_holidays_include_cuti_bersama(day: date, off: bool) -> None:
    assert (day in HOLIDAYS) is off


def test_indonesian_holidays_cover_only_the_years_asked() -> None:
    assert {day.year for day in indonesian_holidays([2026])} == {2026}


# -- add_working_days -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        pytest.param(wib(2026, 11, 23), 3, end_of(2026, 11, 26), id="monday-plain-week"),
        pytest.param(wib(2026, 11, 21), 3, end_of(2026, 11, 25), id="filed-on-saturday"),
        pytest.param(wib(2026, 11, 23, 23, 59), 0, end_of(2026, 11, 23), id="zero-days"),
        pytest.param(
            datetime(2026, 11, 22, 18, 0, tzinfo=UTC),  # Monday 01:00 WIB
            3,
            end_of(2026, 11, 26),
            id="utc-sunday-evening-is-monday-in-cilegon",
        ),
        pytest.param(
            wib(2026, 5, 29), 3, end_of(2026, 6, 4), id="friday-before-weekend-and-pancasila"
        ),
        pytest.param(
            wib(2026, 8, 14, 16), 3, end_of(2026, 8, 20), id="friday-before-17-agustus-monday"
        ),
        pytest.param(
            wib(2026, 5, 13), 3, end_of(2026, 5, 20), id="ascension-thursday-and-cuti-friday"
        ),
        pytest.param(
            wib(2026, 3, 17), 3, end_of(2026, 3, 27), id="nyepi-then-idul-fitri-cuti-bersama"
        ),
        pytest.param(
            wib(2026, 12, 23, 15), 3, end_of(2026, 12, 30), id="christmas-with-cuti-bersama"
        ),
        pytest.param(wib(2026, 12, 29), 3, end_of(2027, 1, 4), id="across-new-year"),
    ],
)
def test_add_working_days(start: datetime, days: int, due: datetime) -> None:
    assert add_working_days(start, days, HOLIDAYS, WIB) == due


@pytest.mark.parametrize(
    ("start", "days"),
    [
        pytest.param(datetime(2026, 11, 23, 9), 3, id="naive-start"),
        pytest.param(wib(2026, 11, 23), -1, id="negative-days"),
    ],
)
def test_add_working_days_rejects_bad_input(start: datetime, days: int) -> None:
    with pytest.raises(ValueError):
        add_working_days(start, days, HOLIDAYS, WIB)


def test_add_working_days_uses_the_holidays_given() -> None:
    tuesday = wib(2027, 3, 9)
    assert add_working_days(tuesday, 1, frozenset(), WIB) == end_of(2027, 3, 10)
    assert add_working_days(tuesday, 1, frozenset({date(2027, 3, 10)}), WIB) == end_of(2027, 3, 11)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        pytest.param("verify_working_days", -1, id="verify"),
        pytest.param("answer_days", -1, id="answer"),
        pytest.param("decide_days", -1, id="decide"),
        pytest.param("remind_before", timedelta(hours=-1), id="remind"),
    ],
)
def test_rules_reject_negative_values(field: str, value: Any) -> None:
    with pytest.raises(ValueError, match=field):
        DeadlineRules(**{field: value})


# -- Deadline ---------------------------------------------------------------------------

DUE = wib(2026, 12, 7, 10)


@pytest.mark.parametrize(
    ("met_at", "now", "missed"),
    [
        pytest.param(None, DUE - timedelta(hours=1), False, id="open-before-due"),
        pytest.param(None, DUE, False, id="open-at-due"),
        pytest.param(None, DUE + timedelta(seconds=1), True, id="open-after-due"),
        pytest.param(DUE - timedelta(days=2), DUE + timedelta(days=9), False, id="met-in-time"),
        pytest.param(DUE + timedelta(hours=2), DUE + timedelta(days=9), True, id="met-late"),
    ],
)
def test_missed(met_at: datetime | None, now: datetime, missed: bool) -> None:
    assert Deadline("jawaban", DUE, met_at).missed(now) is missed


@pytest.mark.parametrize(
    ("met_at", "now", "soon"),
    [
        pytest.param(None, DUE - timedelta(days=2), False, id="too-early"),
        pytest.param(None, DUE - timedelta(days=1), True, id="window-opens"),
        pytest.param(None, DUE - timedelta(hours=3), True, id="inside-window"),
        pytest.param(None, DUE + timedelta(hours=1), False, id="already-missed"),
        pytest.param(DUE - timedelta(days=3), DUE - timedelta(hours=3), False, id="already-met"),
    ],
)
def test_due_soon(met_at: datetime | None, now: datetime, soon: bool) -> None:
    assert Deadline("jawaban", DUE, met_at).due_soon(now, timedelta(days=1)) is soon


# -- deadlines_for / next_deadline ------------------------------------------------------

FILED = wib(2026, 3, 17, 10)  # Tuesday before Nyepi and Idul Fitri 2026
VERIFY_DUE = end_of(2026, 3, 27)
ANSWER_DUE = wib(2026, 3, 31, 10)
DECIDE_DUE = wib(2026, 5, 16, 10)


def deadlines(
    verified: datetime | None = None,
    answered: datetime | None = None,
    decided: datetime | None = None,
) -> tuple[Deadline, ...]:
    return deadlines_for(FILED, verified, answered, decided, RULES, HOLIDAYS, WIB)


@pytest.mark.parametrize(
    ("verified", "answered", "decided", "met"),
    [
        pytest.param(None, None, None, (None, None, None), id="nothing-done"),
        pytest.param(
            wib(2026, 3, 25), None, None, (wib(2026, 3, 25), None, None), id="verified-only"
        ),
        pytest.param(
            None,
            wib(2026, 3, 26),
            None,
            (wib(2026, 3, 26), wib(2026, 3, 26), None),
            id="answer-implies-verification",
        ),
        pytest.param(
            None,
            None,
            wib(2026, 4, 2),
            (wib(2026, 4, 2), wib(2026, 4, 2), wib(2026, 4, 2)),
            id="decision-is-also-the-answer",
        ),
        pytest.param(
            wib(2026, 3, 25),
            wib(2026, 4, 6),
            wib(2026, 4, 2),
            (wib(2026, 3, 25), wib(2026, 4, 2), wib(2026, 4, 2)),
            id="earliest-of-answer-and-decision",
        ),
    ],
)
def test_deadlines_for(
    verified: datetime | None,
    answered: datetime | None,
    decided: datetime | None,
    met: tuple[datetime | None, ...],
) -> None:
    assert deadlines(verified, answered, decided) == (
        Deadline("verifikasi", VERIFY_DUE, met[0]),
        Deadline("jawaban", ANSWER_DUE, met[1]),
        Deadline("keputusan", DECIDE_DUE, met[2]),
    )


def test_deadlines_follow_the_rules() -> None:
    rules = DeadlineRules(verify_working_days=1, answer_days=7, decide_days=30)
    due = [d.due_at for d in deadlines_for(FILED, None, None, None, rules, HOLIDAYS, WIB)]
    assert due == [end_of(2026, 3, 25), wib(2026, 3, 24, 10), wib(2026, 4, 16, 10)]


@pytest.mark.parametrize(
    ("verified", "answered", "decided", "kind"),
    [
        pytest.param(None, None, None, "verifikasi", id="verification-first"),
        pytest.param(wib(2026, 3, 25), None, None, "jawaban", id="then-the-answer"),
        pytest.param(wib(2026, 3, 25), wib(2026, 3, 26), None, "keputusan", id="then-decision"),
        pytest.param(None, None, wib(2026, 4, 1), None, id="all-met"),
    ],
)
def test_next_deadline(
    verified: datetime | None, answered: datetime | None, decided: datetime | None, kind: str
) -> None:
    upcoming = next_deadline(deadlines(verified, answered, decided))
    assert (upcoming.kind if upcoming else None) == kind


def test_next_deadline_is_the_earliest_due_not_the_first_listed() -> None:
    early = Deadline("keputusan", wib(2026, 3, 20))
    late = Deadline("verifikasi", wib(2026, 3, 27))
    assert next_deadline([late, early]) == early


# -- reminders_due ----------------------------------------------------------------------

PENGINGAT = "pengingat"
TERLAMBAT = "terlambat"


@pytest.mark.parametrize(
    ("now", "verified", "sent", "due"),
    [
        pytest.param(wib(2026, 3, 25), None, set(), [], id="nothing-yet"),
        pytest.param(
            wib(2026, 3, 27, 8), None, set(), [("verifikasi", PENGINGAT)], id="day-before-due"
        ),
        pytest.param(
            wib(2026, 3, 27, 12),
            None,
            {("verifikasi", PENGINGAT)},
            [],
            id="reminder-not-repeated",
        ),
        pytest.param(wib(2026, 3, 27, 12), wib(2026, 3, 26), set(), [], id="met-needs-no-reminder"),
        pytest.param(
            wib(2026, 3, 28),
            None,
            {("verifikasi", PENGINGAT)},
            [("verifikasi", TERLAMBAT)],
            id="late-after-reminder",
        ),
        pytest.param(
            wib(2026, 3, 30, 11),
            None,
            {("verifikasi", TERLAMBAT)},
            [("jawaban", PENGINGAT)],
            id="late-not-repeated-next-reminder-due",
        ),
        pytest.param(
            wib(2026, 4, 1),
            None,
            set(),
            [("verifikasi", TERLAMBAT), ("jawaban", TERLAMBAT)],
            id="missed-reminder-is-dropped-only-late-sent",
        ),
        pytest.param(
            wib(2026, 5, 20),
            wib(2026, 3, 20),
            {("jawaban", TERLAMBAT)},
            [("keputusan", TERLAMBAT)],
            id="after-restart-only-the-unsent",
        ),
    ],
)
def test_reminders_due(
    now: datetime, verified: datetime | None, sent: set[tuple[str, str]], due: list[object]
) -> None:
    assert reminders_due(deadlines(verified), now, RULES, sent) == due


def test_reminder_window_is_configurable() -> None:
    rules = DeadlineRules(remind_before=timedelta(days=3))
    assert reminders_due(deadlines(), wib(2026, 3, 25), rules, set()) == [("verifikasi", PENGINGAT)]


# -- describe ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("deadline", "now", "text"),
    [
        pytest.param(
            Deadline("verifikasi", VERIFY_DUE),
            wib(2026, 3, 24),
            "Batas verifikasi: 27/03/2026 (3 hari lagi)",
            id="days-left",
        ),
        pytest.param(
            Deadline("verifikasi", VERIFY_DUE),
            wib(2026, 3, 26, 23),
            "Batas verifikasi: 27/03/2026 (besok)",
            id="tomorrow",
        ),
        pytest.param(
            Deadline("jawaban", ANSWER_DUE),
            wib(2026, 3, 31, 8),
            "Batas jawaban: 31/03/2026 10.00 WIB (hari ini)",
            id="today-with-time",
        ),
        pytest.param(
            Deadline("jawaban", ANSWER_DUE),
            wib(2026, 3, 31, 11),
            "Batas jawaban: 31/03/2026 10.00 WIB — TERLAMBAT hari ini",
            id="late-today",
        ),
        pytest.param(
            Deadline("jawaban", ANSWER_DUE),
            datetime(2026, 4, 2, 5, 0, tzinfo=UTC),
            "Batas jawaban: 31/03/2026 10.00 WIB — TERLAMBAT 2 hari",
            id="late-two-days-now-in-utc",
        ),
        pytest.param(
            Deadline("keputusan", DECIDE_DUE, wib(2026, 4, 20)),
            wib(2026, 6, 1),
            "Batas keputusan: 16/05/2026 10.00 WIB (dipenuhi 20/04/2026)",
            id="met-in-time",
        ),
        pytest.param(
            Deadline("keputusan", DECIDE_DUE, wib(2026, 5, 19)),
            wib(2026, 6, 1),
            "Batas keputusan: 16/05/2026 10.00 WIB (dipenuhi 19/05/2026, terlambat 3 hari)",
            id="met-late",
        ),
    ],
)
def test_describe(deadline: Deadline, now: datetime, text: str) -> None:
    assert describe(deadline, now, WIB) == text


@pytest.mark.parametrize(
    ("deadline", "now", "text"),
    [
        pytest.param(
            Deadline("verifikasi", VERIFY_DUE), wib(2026, 3, 26, 23), "batas 27/03/2026", id="soon"
        ),
        pytest.param(
            Deadline("jawaban", ANSWER_DUE),
            wib(2026, 3, 31, 8),
            "batas 31/03/2026 10.00 WIB",
            id="soon-with-time",
        ),
        pytest.param(
            Deadline("jawaban", ANSWER_DUE), wib(2026, 3, 31, 11), "terlambat hari ini", id="late"
        ),
        pytest.param(
            Deadline("jawaban", ANSWER_DUE),
            datetime(2026, 4, 2, 5, 0, tzinfo=UTC),
            "terlambat 2 hari",
            id="late-two-days-now-in-utc",
        ),
    ],
)
def test_describe_short(deadline: Deadline, now: datetime, text: str) -> None:
    assert describe_short(deadline, now, WIB) == text


@pytest.mark.parametrize(
    ("chats", "digests"),
    [
        pytest.param([], set(), id="none"),
        pytest.param([-1] * DIGEST_OVER + [-2], set(), id="at-the-threshold-one-by-one"),
        pytest.param([-1] * (DIGEST_OVER + 1) + [-2] * 3, {-1}, id="over-it-a-digest"),
        pytest.param([-1, -2] * (DIGEST_OVER + 1), {-1, -2}, id="each-chat-counted-alone"),
    ],
)
def test_digest_chats(chats: list[int], digests: set[int]) -> None:
    assert digest_chats(chats) == digests
