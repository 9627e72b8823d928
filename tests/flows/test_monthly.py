"""Monthly statistics on a small data set whose expected values are worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from flows.deadlines import DeadlineRules
from flows.monthly import (
    ReportFacts,
    decimal,
    facts_in_month,
    month_bounds,
    monthly_summary,
    summary_text,
)
from flows.report import Status

WIB = ZoneInfo("Asia/Jakarta")
RULES = DeadlineRules()
RUSAK = "sarana/prasarana rusak"
TIDAK = "tidak memberikan pelayanan"
TUNDA = "penundaan berlarut"


def wib(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=WIB)


def fact(
    code: str,
    body: str,
    kind: str | None,
    place: tuple[str, str],
    status: Status,
    filed: datetime,
    answered: datetime | None = None,
    decided: datetime | None = None,
) -> ReportFacts:
    return ReportFacts(code, body, kind, *place, status, filed, answered, decided)


def utc(month: int, day: int, hour: int) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


GROGOL_RAWA = ("Grogol", "Rawa Arum")
GEREM = ("Grogol", "Gerem")
BAGENDUNG = ("Cilegon", "Bagendung")
DRINGO = ("Citangkil", "Dringo")
MASIGIT = ("Jombang", "Masigit")
KOTABUMI = ("Purwakarta", "Kotabumi")
S = Status

# Each row: what happened, in days from filing; the jawaban deadline is filing + 14 days.
FACTS = [
    # answer 1, decision 20
    fact("SW-A001", "dpupr", RUSAK, GROGOL_RAWA, S.SELESAI, wib(3, 2), wib(3, 3), wib(3, 22)),
    # answer 2.5
    fact("SW-A002", "dpupr", RUSAK, GROGOL_RAWA, S.DIPROSES, wib(3, 3), wib(3, 5, 21)),
    # answer 20: late
    fact("SW-A003", "dlh", TIDAK, BAGENDUNG, S.DIPROSES, wib(3, 5), wib(3, 25)),
    # answer 4, decision 21
    fact("SW-A004", "disdukcapil", TUNDA, MASIGIT, S.SELESAI, wib(3, 9), wib(3, 13), wib(3, 30)),
    # rejected without a separate answer: answer 2 and decision 2
    fact("SW-A005", "dpupr", None, GEREM, S.DITOLAK, wib(3, 10), None, wib(3, 12)),
    # jawaban due 30/03 09:00, never answered: late
    fact("SW-A006", "dinsos", TUNDA, DRINGO, S.DITERUSKAN, wib(3, 16)),
    # answer 1.5
    fact("SW-A007", "dlh", None, BAGENDUNG, S.DIVERIFIKASI, wib(3, 20), wib(3, 21, 21)),
    # jawaban due 08/04: not settled at the end of March
    fact("SW-A008", "dpupr", RUSAK, GROGOL_RAWA, S.DITERIMA, wib(3, 25)),
    # filed 01/03 03:00 WIB (still February in UTC), answer 3
    fact("SW-A009", "dishub", RUSAK, KOTABUMI, S.DIPROSES, utc(2, 28, 20), wib(3, 4, 3)),
    # answer 5, but only after the end of March
    fact("SW-A010", "dinsos", TIDAK, DRINGO, S.DIPROSES, wib(3, 28), wib(4, 2)),
    # 28/02 23:00 WIB: February
    fact("SW-B001", "dpupr", RUSAK, GROGOL_RAWA, S.DITERIMA, utc(2, 28, 16)),
    # 01/04 01:00 WIB: April
    fact("SW-B002", "dlh", TIDAK, BAGENDUNG, S.DITERIMA, utc(3, 31, 18)),
]
IN_MARCH = [f"SW-A{n:03}" for n in (9, 1, 2, 3, 4, 5, 6, 7, 8, 10)]


def test_month_is_cut_in_local_time() -> None:
    assert [f.code for f in facts_in_month(FACTS, 2026, 3, WIB)] == IN_MARCH


@pytest.mark.parametrize(
    ("year", "month", "end"),
    [
        pytest.param(2026, 3, datetime(2026, 4, 1, tzinfo=WIB), id="march"),
        pytest.param(2026, 12, datetime(2027, 1, 1, tzinfo=WIB), id="december-rolls-over"),
    ],
)
def test_month_bounds(year: int, month: int, end: datetime) -> None:
    assert month_bounds(year, month, WIB) == (datetime(year, month, 1, tzinfo=WIB), end)


def test_month_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError):
        month_bounds(2026, 13, WIB)


def test_counts() -> None:
    s = monthly_summary(FACTS, 2026, 3, WIB, RULES, frozenset())
    assert s.total == 10
    assert s.per_body == (
        ("dpupr", 4),
        ("dinsos", 2),
        ("dlh", 2),
        ("disdukcapil", 1),
        ("dishub", 1),
    )
    assert s.per_kind == ((RUSAK, 4), (TUNDA, 2), ("tanpa jenis", 2), (TIDAK, 2))
    assert s.per_kecamatan == (
        ("Grogol", 4),
        ("Cilegon", 2),
        ("Citangkil", 2),
        ("Jombang", 1),
        ("Purwakarta", 1),
    )
    assert s.per_kelurahan == (
        (GROGOL_RAWA, 3),
        (BAGENDUNG, 2),
        (DRINGO, 2),
        (GEREM, 1),
        (MASIGIT, 1),
        (KOTABUMI, 1),
    )
    assert s.per_status == (
        (Status.DITERIMA, 1),
        (Status.DIVERIFIKASI, 1),
        (Status.DITERUSKAN, 1),
        (Status.DIPROSES, 4),
        (Status.SELESAI, 2),
        (Status.DITOLAK, 1),
        (Status.DUPLIKAT, 0),
        (Status.DILIMPAHKAN, 0),
        (Status.DICABUT, 0),
    )


def test_as_of_end_of_month_by_default() -> None:
    s = monthly_summary(FACTS, 2026, 3, WIB, RULES, frozenset())
    assert s.as_of == datetime(2026, 4, 1, tzinfo=WIB)
    # answers by 01/04: 1, 1.5, 2, 2.5, 3, 4, 20 (SW-A010's comes later)
    assert (s.answered, s.median_days_to_answer) == (7, 2.5)
    # decisions: 2, 20, 21
    assert (s.decided, s.median_days_to_decision) == (3, 20.0)
    # settled: the 7 answered + SW-A006 (overdue); SW-A008 and SW-A010 are not due yet
    assert (s.answered_on_time, s.answer_due, s.answered_on_time_share) == (6, 8, 0.75)
    # no undecided report has reached 60 days by 01/04
    assert (s.decided_on_time, s.decision_due, s.decided_on_time_share) == (3, 3, 1.0)


def test_later_as_of_sees_later_answers_and_overdue_decisions() -> None:
    s = monthly_summary(
        FACTS, 2026, 3, WIB, RULES, frozenset(), as_of=datetime(2026, 5, 19, 17, tzinfo=UTC)
    )
    assert s.as_of == datetime(2026, 5, 20, tzinfo=WIB)
    # answers: 1, 1.5, 2, 2.5, 3, 4, 5, 20
    assert (s.answered, s.median_days_to_answer) == (8, 2.75)
    # every jawaban deadline has passed; late: SW-A003 (20 days), SW-A006, SW-A008 (none)
    assert (s.answered_on_time, s.answer_due, s.answered_on_time_share) == (7, 10, 0.7)
    # keputusan due by 20/05 00:00 WIB means filed by 21/03 00:00 WIB: the 3 decided plus
    # undecided SW-A002, A003, A006, A007, A009
    assert (s.decided_on_time, s.decision_due, s.decided_on_time_share) == (3, 8, 0.375)


def test_late_decision_is_not_on_time() -> None:
    late = fact("SW-C001", "dlh", None, BAGENDUNG, Status.SELESAI, wib(3, 1), wib(3, 2), wib(5, 5))
    s = monthly_summary([late], 2026, 3, WIB, RULES, frozenset(), as_of=wib(6, 1))
    assert (s.decided, s.median_days_to_decision) == (1, 65.0)
    assert (s.decided_on_time, s.decision_due) == (0, 1)


def test_rules_change_what_counts_as_on_time() -> None:
    strict = DeadlineRules(answer_days=2)
    s = monthly_summary(FACTS, 2026, 3, WIB, strict, frozenset())
    # answered within 2 days: 1, 1.5, 2 (exactly on the deadline counts); every jawaban,
    # SW-A010's included (due 30/03), is due by 01/04
    assert (s.answered_on_time, s.answer_due, s.answer_days) == (3, 10, 2)


def test_empty_month() -> None:
    s = monthly_summary(FACTS, 2026, 7, WIB, RULES, frozenset())
    assert s.total == s.answered == s.decided == s.answer_due == s.decision_due == 0
    assert s.per_body == s.per_kind == s.per_kecamatan == ()
    assert s.per_kelurahan == ()
    assert all(n == 0 for _, n in s.per_status)
    assert s.median_days_to_answer is s.median_days_to_decision is None
    assert s.answered_on_time_share is s.decided_on_time_share is None
    assert summary_text(s) == (
        "<b>Ringkasan laporan Juli 2026</b>\n"
        "Data per 01/08/2026 00.00 WIB\n"
        "Laporan masuk: <b>0</b>\n"
        "Tidak ada laporan yang masuk bulan ini."
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        pytest.param(2.5, "2,5", id="half"),
        pytest.param(20.0, "20", id="whole"),
        pytest.param(2.75, "2,8", id="rounded"),
        pytest.param(0.04, "0", id="nearly-zero"),
    ],
)
def test_decimal(value: float, text: str) -> None:
    assert decimal(value) == text


def test_summary_text() -> None:
    s = monthly_summary(FACTS, 2026, 3, WIB, RULES, frozenset())
    names = {"dpupr": "Dinas PU & PR <Kota>"}
    assert summary_text(s, names, {RUSAK: "Sarana <rusak>"}) == "\n".join(
        [
            "<b>Ringkasan laporan Maret 2026</b>",
            "Data per 01/04/2026 00.00 WIB",
            "Laporan masuk: <b>10</b>",
            "Sudah dijawab: 7 (median 2,5 hari)",
            "Sudah diputuskan: 3 (median 20 hari)",
            "Dijawab ≤ 14 hari: 6 dari 8 (75%)",
            "Diputuskan ≤ 60 hari: 3 dari 3 (100%)",
            "",
            "<b>Per OPD</b>",
            "• Dinas PU &amp; PR &lt;Kota&gt;: 4",
            "• dinsos: 2",
            "• dlh: 2",
            "• disdukcapil: 1",
            "• dishub: 1",
            "",
            "<b>Per jenis</b>",
            "• Sarana &lt;rusak&gt;: 4",
            f"• {TUNDA}: 2",
            "• tanpa jenis: 2",
            f"• {TIDAK}: 2",
            "",
            "<b>Per status</b>",
            "• Diterima: 1",
            "• Diverifikasi: 1",
            "• Diteruskan ke OPD: 1",
            "• Sedang diproses: 4",
            "• Selesai: 2",
            "• Ditolak: 1",
            "",
            "<b>Kelurahan terbanyak</b>",
            "• Rawa Arum (Grogol): 3",
            "• Bagendung (Cilegon): 2",
            "• Dringo (Citangkil): 2",
            "• Gerem (Grogol): 1",
            "• Masigit (Jombang): 1",
        ]
    )
