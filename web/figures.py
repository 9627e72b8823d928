"""The board's figures, kept per process and recomputed at most once per `ttl`.

A year of reports is read once (one index range scan on `filed_at`) and summarised in
Python by `flows.scorecard`; every page in between reads the kept result, so the board
costs no scan per request. Figures may lag the database by up to `ttl`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flows.deadlines import DeadlineRules
from flows.scorecard import (
    BoardFacts,
    Figures,
    last_months,
    monthly_counts,
    period_start,
    scorecard,
    scorecards_by_body,
)
from storage.base import Store
from storage.public import public_reads

DEFAULT_TTL = timedelta(minutes=5)


@dataclass(frozen=True)
class BoardFigures:
    """The last 12 months' figures, city-wide and per OPD, and reports per month."""

    as_of: datetime
    start: datetime
    city: Figures
    per_body: dict[str, Figures]
    months: list[tuple[str, int]]
    per_month_body: list[tuple[str, str, Figures]]  # ("YYYY-MM", OPD id, figures)


class FiguresCache:
    """`BoardFigures` computed at most once per `ttl` (one computation at a time)."""

    def __init__(self, ttl: timedelta = DEFAULT_TTL) -> None:
        self.ttl = ttl
        self._kept: BoardFigures | None = None
        self._lock = asyncio.Lock()

    async def get(
        self,
        store: Store,
        now: datetime,
        rules: DeadlineRules,
        holidays: frozenset[date],
        tz: ZoneInfo,
    ) -> BoardFigures:
        """The kept figures, or fresh ones when they are older than `ttl`."""
        async with self._lock:
            kept = self._kept
            if kept is None or not kept.as_of <= now < kept.as_of + self.ttl:
                kept = self._kept = await compute_figures(store, now, rules, holidays, tz)
            return kept


async def compute_figures(
    store: Store,
    now: datetime,
    rules: DeadlineRules,
    holidays: frozenset[date],
    tz: ZoneInfo,
) -> BoardFigures:
    """The figures of the reports filed in the 12 months up to `now`."""
    start = period_start(now, tz)
    async with store.transaction() as tx:
        facts = await public_reads(tx).board_facts_between(start, now + timedelta(seconds=1))
    return BoardFigures(
        as_of=now,
        start=start,
        city=scorecard(facts, rules, holidays, tz, now),
        per_body=scorecards_by_body(facts, rules, holidays, tz, now),
        months=monthly_counts(facts, last_months(now, tz), tz),
        per_month_body=per_month_body(facts, rules, holidays, tz, now),
    )


def per_month_body(
    facts: list[BoardFacts],
    rules: DeadlineRules,
    holidays: frozenset[date],
    tz: ZoneInfo,
    now: datetime,
) -> list[tuple[str, str, Figures]]:
    """The figures of each OPD per month of filing, oldest month first."""
    grouped: dict[str, list[BoardFacts]] = {}
    for fact in facts:
        grouped.setdefault(fact.filed_at.astimezone(tz).strftime("%Y-%m"), []).append(fact)
    return [
        (month, body, figures)
        for month, group in sorted(grouped.items())
        for body, figures in sorted(scorecards_by_body(group, rules, holidays, tz, now).items())
    ]
