"""Legal deadlines of a report: when they fall due, whether they were met, what to remind.

Theory of operation
-------------------
A report carries three deadlines, all counted from the moment it was filed:

- ``verifikasi``: checked within N *working* days (SP4N-LAPOR! practice, default 3);
- ``jawaban``: the reporter gets a first answer within N *calendar* days (UU 25/2009
  as commonly cited, default 14);
- ``keputusan``: the outcome is decided within N calendar days (default 60).

A working-day deadline ends at the last instant of the N-th working day after the
filing day, in local time; a calendar-day deadline is exactly ``filed_at + N days``.
A later step meets the earlier ones: a decision is told to the reporter, so it is also
an answer, and answering or deciding implies the file was looked at.

Nothing here keeps timers. Reminders are recomputed from stored timestamps and the set
of notifications already sent (see `reminders_due`), so they survive restarts. When one
pass has many for one chat (after downtime), that chat gets a single digest instead
(`digest_chats`). Holidays come in as data (`indonesian_holidays`), so every function is
pure and testable.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

import holidays as holidays_lib

DEFAULT_VERIFY_WORKING_DAYS = 3
DEFAULT_ANSWER_DAYS = 14
DEFAULT_DECIDE_DAYS = 60
DEFAULT_REMIND_BEFORE = timedelta(days=1)
DIGEST_OVER = 10
"""A chat due more reminders (escalations included) than this in one pass gets one
digest instead: Telegram lets a bot post only 20 messages a minute in a group."""

Kind = Literal["verifikasi", "jawaban", "keputusan"]

WEEKEND = frozenset({5, 6})  # date.weekday(): Saturday, Sunday


@dataclass(frozen=True)
class DeadlineRules:
    """How long each step may take; every value is configurable.

    >>> rules = DeadlineRules(answer_days=7, remind_before=timedelta(hours=12))
    """

    verify_working_days: int = DEFAULT_VERIFY_WORKING_DAYS
    answer_days: int = DEFAULT_ANSWER_DAYS
    decide_days: int = DEFAULT_DECIDE_DAYS
    remind_before: timedelta = DEFAULT_REMIND_BEFORE

    def __post_init__(self) -> None:
        for name in ("verify_working_days", "answer_days", "decide_days"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        if self.remind_before < timedelta(0):
            raise ValueError("remind_before must not be negative")


@dataclass(frozen=True)
class Deadline:
    """One deadline of a report; `met_at` is when the step was done, if it was."""

    kind: Kind
    due_at: datetime
    met_at: datetime | None = None

    def missed(self, now: datetime) -> bool:
        """True if the step was done late, or is still undone after `due_at`."""
        return (self.met_at or now) > self.due_at

    def due_soon(self, now: datetime, remind_before: timedelta) -> bool:
        """True if the step is undone and `due_at` is at most `remind_before` away."""
        return self.met_at is None and self.due_at - remind_before <= now <= self.due_at


@dataclass(frozen=True, slots=True)
class Progress:
    """When a report was filed and reached each step: all its deadlines depend on.

    The lean form of a `flows.report.Report` for passes over many reports (reminders).
    """

    report_id: int
    filed_at: datetime
    verified_at: datetime | None = None
    first_answer_at: datetime | None = None
    decided_at: datetime | None = None


def indonesian_holidays(years: Iterable[int]) -> frozenset[date]:
    """Days off for civil servants in `years`, from the `holidays` package.

    Includes the national public holidays (``public`` category: Idul Fitri, Natal,
    Nyepi, …) and cuti bersama (``government`` category: "Joint Holiday" entries).
    Islamic dates of years the government has not fixed yet are the package's
    estimates. Weekends are not listed; `is_working_day` skips them on its own.
    """
    calendar = holidays_lib.country_holidays(
        "ID", years=sorted(set(years)), categories=("public", "government")
    )
    return frozenset(calendar.keys())


def is_working_day(day: date, holidays: frozenset[date]) -> bool:
    """Monday to Friday and not a holiday."""
    return day.weekday() not in WEEKEND and day not in holidays


def add_working_days(
    start: datetime, days: int, holidays: frozenset[date], tz: ZoneInfo
) -> datetime:
    """The end of the `days`-th working day after `start`'s local day, as an aware datetime.

    The day of `start` itself never counts, even if it is a working day; `days=0`
    gives the end of that day. `holidays` must cover every year the count crosses.
    """
    if start.tzinfo is None:
        raise ValueError("start must be an aware datetime")
    if days < 0:
        raise ValueError("days must not be negative")
    day = _working_days_after(start.astimezone(tz).date(), days, holidays)
    return datetime.combine(day, time.max, tzinfo=tz)


# Memoised per filing day: the reminders pass and the monthly report compute the
# deadlines of tens of thousands of reports, filed on a few hundred distinct days.
@lru_cache(maxsize=4096)
def _working_days_after(day: date, days: int, holidays: frozenset[date]) -> date:
    left = days
    while left:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            left -= 1
    return day


def _earliest(*moments: datetime | None) -> datetime | None:
    present = [moment for moment in moments if moment is not None]
    return min(present) if present else None


def deadlines_for(
    filed_at: datetime,
    verified_at: datetime | None,
    first_answer_at: datetime | None,
    decided_at: datetime | None,
    rules: DeadlineRules,
    holidays: frozenset[date],
    tz: ZoneInfo,
) -> tuple[Deadline, ...]:
    """The three deadlines of a report, in the order the steps happen."""
    answered_at = _earliest(first_answer_at, decided_at)
    return (
        Deadline(
            "verifikasi",
            add_working_days(filed_at, rules.verify_working_days, holidays, tz),
            _earliest(verified_at, answered_at),
        ),
        Deadline("jawaban", filed_at + timedelta(days=rules.answer_days), answered_at),
        Deadline("keputusan", filed_at + timedelta(days=rules.decide_days), decided_at),
    )


def next_deadline(deadlines: Iterable[Deadline]) -> Deadline | None:
    """The earliest deadline not met yet (missed ones included), or None if all are met."""
    open_ = [deadline for deadline in deadlines if deadline.met_at is None]
    return min(open_, key=lambda deadline: deadline.due_at) if open_ else None


def reminders_due(
    deadlines: Iterable[Deadline],
    now: datetime,
    rules: DeadlineRules,
    already_sent: set[tuple[str, str]],
) -> list[tuple[str, str]]:
    """Notifications to send now: ``(kind, "pengingat" | "terlambat")``, none sent twice.

    An undone deadline inside the reminder window gives a ``pengingat``; once passed it
    gives a ``terlambat`` instead (a reminder not sent in time is dropped, not sent
    late). Met deadlines give nothing. The caller stores what it sent and passes it
    back as `already_sent`.
    """
    due: list[tuple[str, str]] = []
    for deadline in deadlines:
        if deadline.met_at is not None:
            continue
        if deadline.missed(now):
            notification = (deadline.kind, "terlambat")
        elif deadline.due_soon(now, rules.remind_before):
            notification = (deadline.kind, "pengingat")
        else:
            continue
        if notification not in already_sent:
            due.append(notification)
    return due


def digest_chats(chats: Iterable[int]) -> set[int]:
    """The chats, among those of one pass's reminders (one entry per reminder), due more
    than `DIGEST_OVER` of them: each gets one digest instead of a message per reminder."""
    return {chat for chat, count in Counter(chats).items() if count > DIGEST_OVER}


def _local_moment(moment: datetime, tz: ZoneInfo) -> str:
    """`27/03/2026` for an end-of-day deadline, `27/03/2026 10.15 WIB` otherwise."""
    here = moment.astimezone(tz)
    if here.time() == time.max:
        return f"{here:%d/%m/%Y}"
    return f"{here:%d/%m/%Y %H.%M} {here.tzname()}"


def _days_between(earlier: datetime, later: datetime, tz: ZoneInfo) -> int:
    return (later.astimezone(tz).date() - earlier.astimezone(tz).date()).days


def _late_by(days: int) -> str:
    return f"{days} hari" if days > 0 else "hari ini"


def describe_short(deadline: Deadline, now: datetime, tz: ZoneInfo) -> str:
    """A few words for a list of unmet deadlines: ``terlambat 3 hari`` once missed,
    else when it falls due (``batas 03/03/2026``)."""
    if deadline.missed(now):
        return f"terlambat {_late_by(_days_between(deadline.due_at, now, tz))}"
    return f"batas {_local_moment(deadline.due_at, tz)}"


def describe(deadline: Deadline, now: datetime, tz: ZoneInfo) -> str:
    """One line for officers, e.g. ``Batas jawaban: 07/12/2026 10.00 WIB (3 hari lagi)``."""
    head = f"Batas {deadline.kind}: {_local_moment(deadline.due_at, tz)}"
    if deadline.met_at is not None:
        met = f"{deadline.met_at.astimezone(tz):%d/%m/%Y}"
        if deadline.missed(now):
            late = _days_between(deadline.due_at, deadline.met_at, tz)
            return f"{head} (dipenuhi {met}, terlambat {_late_by(late)})"
        return f"{head} (dipenuhi {met})"
    if deadline.missed(now):
        return f"{head} — TERLAMBAT {_late_by(_days_between(deadline.due_at, now, tz))}"
    left = _days_between(now, deadline.due_at, tz)
    when = {0: "hari ini", 1: "besok"}.get(left, f"{left} hari lagi")
    return f"{head} ({when})"
