"""The monthly report: counts, medians and on-time shares of the reports filed in a month.

Theory of operation
-------------------
`bot/` loads the facts of the reports (no personal data: see `ReportFacts`) and calls
`monthly_summary` with an `as_of` moment; everything after `as_of` is treated as not
happened yet, so the same data always gives the same summary. On-time shares reuse
`flows.deadlines.deadlines_for`, so the monthly report and the reminders agree on what
"answered in time" means (a decision also counts as the first answer).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape
from statistics import median
from typing import TypeVar
from zoneinfo import ZoneInfo

from flows.deadlines import DeadlineRules, deadlines_for
from flows.end_texts import monthly_ends
from flows.report import Status
from flows.texts import STATUS_LABELS

NO_KIND = "tanpa jenis"
"""The `per_kind` key of reports whose kind is not set."""

MONTH_NAMES = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
TOP_KELURAHAN = 5

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class ReportFacts:
    """What the statistics need of one report; never a name or a phone number."""

    code: str
    body: str
    kind: str | None
    kecamatan: str
    kelurahan: str
    status: Status
    filed_at: datetime
    first_answer_at: datetime | None = None
    decided_at: datetime | None = None

    @property
    def withdrawn(self) -> bool:
        """Withdrawn by its reporter: its `decided_at` is when, not a decision."""
        return self.status is Status.DICABUT

    @property
    def decision_at(self) -> datetime | None:
        """When the outcome was decided (a withdrawal is none)."""
        return None if self.withdrawn else self.decided_at

    @property
    def answered_at(self) -> datetime | None:
        """The first answer; a decision told to the reporter is an answer too."""
        present = [at for at in (self.first_answer_at, self.decision_at) if at is not None]
        return min(present) if present else None


@dataclass(frozen=True)
class MonthlySummary:
    """Statistics of the reports filed in one month (local time), as of `as_of`.

    Counts are ``((key, count), ...)`` sorted by count, largest first, then by key;
    `per_status` lists every status in lifecycle order, zeros included. Medians are in
    days (fractions kept). `answer_due` counts the reports whose answer deadline is
    settled (answered by `as_of`, or the deadline has passed by `as_of`);
    `answered_on_time` those of them answered by the deadline. `decision_due` and
    `decided_on_time` are the same for the decision deadline. A withdrawn report is
    judged as it stood when it was withdrawn (a deadline missed before counts, a later
    one does not) and is never decided; `handed_over` (dilimpahkan) and `withdrawn`
    (dicabut) count those ends apart from the open and the solved ones.
    """

    year: int
    month: int
    as_of: datetime
    answer_days: int
    decide_days: int
    total: int
    per_body: tuple[tuple[str, int], ...]
    per_kind: tuple[tuple[str, int], ...]
    per_kecamatan: tuple[tuple[str, int], ...]
    per_kelurahan: tuple[tuple[tuple[str, str], int], ...]
    per_status: tuple[tuple[Status, int], ...]
    answered: int
    decided: int
    median_days_to_answer: float | None
    median_days_to_decision: float | None
    answer_due: int
    answered_on_time: int
    decision_due: int
    decided_on_time: int
    handed_over: int = 0
    withdrawn: int = 0

    @property
    def answered_on_time_share(self) -> float | None:
        """`answered_on_time / answer_due`, or None when no answer deadline is settled."""
        return self.answered_on_time / self.answer_due if self.answer_due else None

    @property
    def decided_on_time_share(self) -> float | None:
        """`decided_on_time / decision_due`, or None when no decision deadline is settled."""
        return self.decided_on_time / self.decision_due if self.decision_due else None


def month_bounds(year: int, month: int, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The first instant of the month and of the next one, in `tz`."""
    if not 1 <= month <= 12:
        raise ValueError(f"month out of range: {month}")
    start = datetime(year, month, 1, tzinfo=tz)
    following = date(year + month // 12, month % 12 + 1, 1)
    return start, datetime(following.year, following.month, 1, tzinfo=tz)


def facts_in_month(
    facts: Iterable[ReportFacts], year: int, month: int, tz: ZoneInfo
) -> tuple[ReportFacts, ...]:
    """The reports filed in the month, in filing order."""
    start, end = month_bounds(year, month, tz)
    chosen = (fact for fact in facts if start <= fact.filed_at < end)
    return tuple(sorted(chosen, key=lambda fact: fact.filed_at))


def elapsed_days(start: datetime, end: datetime | None) -> float | None:
    """Days from `start` to `end` (fractions kept), or None without an end."""
    return None if end is None else (end - start) / timedelta(days=1)


def _counts(keys: Iterable[K]) -> tuple[tuple[K, int], ...]:
    counted = Counter(keys)
    return tuple(sorted(counted.items(), key=lambda item: (-item[1], str(item[0]))))


def _happened(moment: datetime | None, as_of: datetime) -> datetime | None:
    return moment if moment is not None and moment <= as_of else None


def _median(values: list[float]) -> float | None:
    return median(values) if values else None


def monthly_summary(
    facts: Iterable[ReportFacts],
    year: int,
    month: int,
    tz: ZoneInfo,
    rules: DeadlineRules,
    holidays: frozenset[date],
    *,
    as_of: datetime | None = None,
) -> MonthlySummary:
    """Summarise the reports filed in `year`-`month` (in `tz`) as they stood at `as_of`.

    `as_of` defaults to the end of the month. Answers and decisions after `as_of` are
    ignored; `per_status` counts the status stored on each fact.
    """
    month_facts = facts_in_month(facts, year, month, tz)
    as_of = (as_of or month_bounds(year, month, tz)[1]).astimezone(tz)
    to_answer: list[float] = []
    to_decision: list[float] = []
    answer_due = answered_on_time = decision_due = decided_on_time = 0
    for fact in month_facts:
        seen_until = as_of
        if fact.withdrawn and fact.decided_at is not None:
            seen_until = min(as_of, fact.decided_at)  # its deadlines stopped there
        answered_at = _happened(fact.answered_at, seen_until)
        decided_at = _happened(fact.decision_at, seen_until)
        _, answer, decision = deadlines_for(
            fact.filed_at, None, answered_at, decided_at, rules, holidays, tz
        )
        if answered_at is not None:
            to_answer.append((answered_at - fact.filed_at) / timedelta(days=1))
        if decided_at is not None:
            to_decision.append((decided_at - fact.filed_at) / timedelta(days=1))
        if answered_at is not None or answer.due_at <= seen_until:
            answer_due += 1
            answered_on_time += int(answered_at is not None and not answer.missed(seen_until))
        if decided_at is not None or decision.due_at <= seen_until:
            decision_due += 1
            decided_on_time += int(decided_at is not None and not decision.missed(seen_until))
    statuses = Counter(fact.status for fact in month_facts)
    return MonthlySummary(
        year=year,
        month=month,
        as_of=as_of,
        answer_days=rules.answer_days,
        decide_days=rules.decide_days,
        total=len(month_facts),
        per_body=_counts(fact.body for fact in month_facts),
        per_kind=_counts(fact.kind or NO_KIND for fact in month_facts),
        per_kecamatan=_counts(fact.kecamatan for fact in month_facts),
        per_kelurahan=_counts((fact.kecamatan, fact.kelurahan) for fact in month_facts),
        per_status=tuple((status, statuses[status]) for status in Status),
        answered=len(to_answer),
        decided=len(to_decision),
        median_days_to_answer=_median(to_answer),
        median_days_to_decision=_median(to_decision),
        answer_due=answer_due,
        answered_on_time=answered_on_time,
        decision_due=decision_due,
        decided_on_time=decided_on_time,
        handed_over=statuses[Status.DILIMPAHKAN],
        withdrawn=statuses[Status.DICABUT],
    )


def month_label(year: int, month: int) -> str:
    """`Maret 2026`."""
    return f"{MONTH_NAMES[month - 1]} {year}"


def decimal(value: float) -> str:
    """Indonesian number: one decimal at most, decimal comma (`2,5`, `3`)."""
    rounded = round(value, 1)
    text = f"{rounded:.0f}" if rounded == int(rounded) else f"{rounded:.1f}"
    return text.replace(".", ",")


def _share(part: int, whole: int) -> str:
    if not whole:
        return "belum ada yang jatuh tempo"
    return f"{part} dari {whole} ({round(100 * part / whole)}%)"


def _median_note(value: float | None) -> str:
    return "" if value is None else f" (median {decimal(value)} hari)"


def _lines(title: str, rows: Iterable[tuple[str, int]]) -> list[str]:
    return ["", f"<b>{title}</b>", *(f"• {escape(name, quote=False)}: {n}" for name, n in rows)]


def summary_text(
    summary: MonthlySummary,
    body_names: Mapping[str, str] | None = None,
    kind_labels: Mapping[str, str] | None = None,
) -> str:
    """A short Telegram-HTML report for officers; `body_names` maps OPD ids to names,
    `kind_labels` kinds of problem to their labels (ids without one are shown as they are)."""
    names = body_names or {}
    kinds = kind_labels or {}
    lines = [
        f"<b>Ringkasan laporan {month_label(summary.year, summary.month)}</b>",
        f"Data per {summary.as_of:%d/%m/%Y %H.%M} {summary.as_of.tzname()}",
        f"Laporan masuk: <b>{summary.total}</b>",
    ]
    if not summary.total:
        return "\n".join([*lines, "Tidak ada laporan yang masuk bulan ini."])
    lines += [
        f"Sudah dijawab: {summary.answered}{_median_note(summary.median_days_to_answer)}",
        f"Sudah diputuskan: {summary.decided}{_median_note(summary.median_days_to_decision)}",
        f"Dijawab ≤ {summary.answer_days} hari: "
        + _share(summary.answered_on_time, summary.answer_due),
        f"Diputuskan ≤ {summary.decide_days} hari: "
        + _share(summary.decided_on_time, summary.decision_due),
        *monthly_ends(summary.handed_over, summary.withdrawn),
    ]
    lines += _lines("Per OPD", ((names.get(body, body), n) for body, n in summary.per_body))
    lines += _lines("Per jenis", ((kinds.get(kind, kind), n) for kind, n in summary.per_kind))
    lines += _lines(
        "Per status", ((STATUS_LABELS[status], n) for status, n in summary.per_status if n)
    )
    top = summary.per_kelurahan[:TOP_KELURAHAN]
    lines += _lines("Kelurahan terbanyak", ((f"{kel} ({kec})", n) for (kec, kel), n in top))
    return "\n".join(lines)
