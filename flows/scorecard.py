"""The public board's figures: what the Ombudsman asks of a complaint unit.

Theory of operation
-------------------
Storage returns `BoardFacts` (no personal data, no story) of the reports filed in a
period; `scorecard` turns any set of them (city-wide, or one OPD's) into `Figures`
as they stood at `as_of`. Deadlines are `flows.deadlines.deadlines_for`, the same
rules as the reminders and the monthly report (`flows.monthly`), so the three agree on
what "on time" means: a share counts only reports whose deadline is *settled* (the
step was done by `as_of`, or its deadline has passed). `monthly_counts` feeds the
board's chart. Every function is pure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import mean, median
from typing import TypeVar
from zoneinfo import ZoneInfo

from flows.deadlines import Deadline, DeadlineRules, deadlines_for
from flows.monthly import ReportFacts, month_label
from flows.report import CLOSED, Status

CONFIRMED = "ya"
"""The follow-up answer of a reporter who confirms the problem is solved."""
REOPENED = "belum"
"""The follow-up answer that reopens a solved report (`flows.officer.reopen_decision`)."""

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class BoardFacts:
    """What the board's figures need of one report; never an identity or the story."""

    body: str
    kind: str | None
    kecamatan: str
    kelurahan: str
    status: Status
    filed_at: datetime
    verified_at: datetime | None = None
    first_answer_at: datetime | None = None
    decided_at: datetime | None = None
    followup_answer: str | None = None
    rating: int | None = None

    def report_facts(self, code: str = "") -> ReportFacts:
        """The same facts in the monthly report's shape (`flows.monthly`)."""
        return ReportFacts(
            code=code,
            body=self.body,
            kind=self.kind,
            kecamatan=self.kecamatan,
            kelurahan=self.kelurahan,
            status=self.status,
            filed_at=self.filed_at,
            first_answer_at=self.first_answer_at,
            decided_at=self.decided_at,
        )


@dataclass(frozen=True, slots=True)
class Share:
    """`part` of `whole`; `percent` is None while nothing is settled."""

    part: int = 0
    whole: int = 0

    @property
    def percent(self) -> int | None:
        """The share in whole percent, rounded."""
        return round(100 * self.part / self.whole) if self.whole else None

    def add(self, met: bool) -> Share:
        """This share with one more settled report."""
        return Share(self.part + int(met), self.whole + 1)


@dataclass(frozen=True, slots=True)
class Figures:
    """The Ombudsman's figures of a set of reports, as of one moment."""

    received: int = 0
    verified_on_time: Share = Share()  # within the working days of `DeadlineRules`
    answered_on_time: Share = Share()  # first answer within `answer_days`
    decided_on_time: Share = Share()  # decided within `decide_days`
    median_days_to_answer: float | None = None
    confirmed_solved: Share = Share()  # "ya" among the reporters' follow-up answers
    average_rating: float | None = None  # 1-5 stars
    ratings: int = 0
    reopened: int = 0  # reporters said a solved report was not solved
    open: int = 0  # not decided yet
    overdue: int = 0  # open, with a deadline passed and its step not done


def _settled(deadline: Deadline, as_of: datetime) -> tuple[bool, bool]:
    """(settled, met on time) of one deadline at `as_of`."""
    done = deadline.met_at is not None and deadline.met_at <= as_of
    if not done and deadline.due_at > as_of:
        return False, False
    return True, done and not deadline.missed(as_of)


def _happened(moment: datetime | None, as_of: datetime) -> datetime | None:
    return moment if moment is not None and moment <= as_of else None


@dataclass(frozen=True, slots=True)
class Outcome:
    """One report's part in the figures at a moment (None: that deadline not settled)."""

    verified_on_time: bool | None
    answered_on_time: bool | None
    decided_on_time: bool | None
    days_to_answer: float | None
    followup_answer: str | None
    rating: int | None
    open: bool
    overdue: bool


def outcome(
    fact: BoardFacts,
    rules: DeadlineRules,
    holidays: frozenset[date],
    tz: ZoneInfo,
    as_of: datetime,
) -> Outcome:
    """How `fact` counts in the figures as of `as_of` (later steps are ignored)."""
    until, decided_at = as_of, fact.decided_at
    if fact.status is Status.DICABUT and decided_at is not None:
        # Withdrawn: judged as it stood then, and a withdrawal is no decision.
        until, decided_at = min(as_of, decided_at), None
    answered = _happened(fact.first_answer_at, until)
    decided = _happened(decided_at, until)
    verified = _happened(fact.verified_at, until)
    steps = deadlines_for(fact.filed_at, verified, answered, decided, rules, holidays, tz)
    settled = [_settled(deadline, until) for deadline in steps]
    on_time = [met if done else None for done, met in settled]
    still_open = fact.status not in CLOSED
    answered_at = steps[1].met_at
    return Outcome(
        verified_on_time=on_time[0],
        answered_on_time=on_time[1],
        decided_on_time=on_time[2],
        days_to_answer=None
        if answered_at is None
        else (answered_at - fact.filed_at) / timedelta(days=1),
        followup_answer=fact.followup_answer or None,
        rating=fact.rating,
        open=still_open,
        overdue=still_open and any(d.met_at is None and d.due_at <= as_of for d in steps),
    )


def _share(values: Iterable[bool | None]) -> Share:
    settled = [value for value in values if value is not None]
    return Share(sum(settled), len(settled))


def figures_of(outcomes: Sequence[Outcome]) -> Figures:
    """The figures of a set of reports from their outcomes."""
    days = [o.days_to_answer for o in outcomes if o.days_to_answer is not None]
    answers = Counter(o.followup_answer for o in outcomes if o.followup_answer)
    ratings = [o.rating for o in outcomes if o.rating is not None]
    return Figures(
        received=len(outcomes),
        verified_on_time=_share(o.verified_on_time for o in outcomes),
        answered_on_time=_share(o.answered_on_time for o in outcomes),
        decided_on_time=_share(o.decided_on_time for o in outcomes),
        median_days_to_answer=median(days) if days else None,
        confirmed_solved=Share(answers[CONFIRMED], sum(answers.values())),
        average_rating=mean(ratings) if ratings else None,
        ratings=len(ratings),
        reopened=answers[REOPENED],
        open=sum(o.open for o in outcomes),
        overdue=sum(o.overdue for o in outcomes),
    )


def scorecard(
    facts: Iterable[BoardFacts],
    rules: DeadlineRules,
    holidays: frozenset[date],
    tz: ZoneInfo,
    as_of: datetime,
) -> Figures:
    """The figures of `facts` as they stood at `as_of` (later steps are ignored)."""
    return figures_of([outcome(fact, rules, holidays, tz, as_of) for fact in facts])


def grouped_figures(
    facts: Sequence[BoardFacts],
    outcomes: Sequence[Outcome],
    key: Callable[[BoardFacts], K],
) -> dict[K, Figures]:
    """The figures per `key` of the facts (their outcomes computed once, in order)."""
    groups: dict[K, list[Outcome]] = {}
    for fact, counted in zip(facts, outcomes, strict=True):
        groups.setdefault(key(fact), []).append(counted)
    return {group: figures_of(members) for group, members in groups.items()}


def scorecards_by_body(
    facts: Sequence[BoardFacts],
    rules: DeadlineRules,
    holidays: frozenset[date],
    tz: ZoneInfo,
    as_of: datetime,
) -> dict[str, Figures]:
    """`scorecard` per body (OPD id), for the bodies that received reports."""
    outcomes = [outcome(fact, rules, holidays, tz, as_of) for fact in facts]
    return grouped_figures(facts, outcomes, lambda fact: fact.body)


def last_months(as_of: datetime, tz: ZoneInfo, count: int = 12) -> list[tuple[int, int]]:
    """(year, month) of the `count` months up to and including `as_of`'s, oldest first."""
    local = as_of.astimezone(tz)
    index = local.year * 12 + local.month - 1
    return [(i // 12, i % 12 + 1) for i in range(index - count + 1, index + 1)]


def period_start(as_of: datetime, tz: ZoneInfo, count: int = 12) -> datetime:
    """The first instant of the oldest of `last_months`, in `tz`."""
    year, month = last_months(as_of, tz, count)[0]
    return datetime(year, month, 1, tzinfo=tz)


def monthly_counts(
    facts: Iterable[BoardFacts], months: Sequence[tuple[int, int]], tz: ZoneInfo
) -> list[tuple[str, int]]:
    """(label, reports received) per month of `months` ((year, month) pairs)."""
    counted = Counter(
        (local.year, local.month) for local in (f.filed_at.astimezone(tz) for f in facts)
    )
    return [(month_label(year, month), counted[(year, month)]) for year, month in months]
