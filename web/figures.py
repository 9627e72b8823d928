"""The board's figures, kept per process and recomputed at most once per `ttl`.

A year of reports is read once (one index range scan on `filed_at`) and summarised in
Python by `flows.scorecard`; every page in between reads the kept result, so the board
costs no scan per request. Figures may lag the database by up to `ttl` (plus the time
one recomputation takes).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flows.deadlines import DeadlineRules
from flows.scorecard import (
    BoardFacts,
    Figures,
    figures_of,
    grouped_figures,
    last_months,
    monthly_counts,
    outcome,
    period_start,
)
from storage.base import Store
from storage.public import FactsKey, public_reads

log = logging.getLogger(__name__)

DEFAULT_TTL = timedelta(minutes=5)
FACTS_PER_READ = 20_000
"""Reports' facts read per transaction."""


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
    """`BoardFigures`, recomputed when older than `ttl`.

    The first request waits for the computation; later ones get the kept figures at
    once, and the first one after `ttl` starts a recomputation in the background
    (stale while revalidating), so no page waits for a year of reports after start-up.
    """

    def __init__(self, ttl: timedelta = DEFAULT_TTL) -> None:
        self.ttl = ttl
        self._kept: BoardFigures | None = None
        self._lock = asyncio.Lock()
        self._refresh: asyncio.Task[None] | None = None

    async def get(
        self,
        store: Store,
        now: datetime,
        rules: DeadlineRules,
        holidays: frozenset[date],
        tz: ZoneInfo,
    ) -> BoardFigures:
        """The kept figures (refreshed in the background when stale), or fresh ones."""
        kept = self._kept
        if kept is None:
            async with self._lock:  # one computation, however many first requests
                if self._kept is None:
                    self._kept = await compute_figures(store, now, rules, holidays, tz)
                return self._kept
        stale = not kept.as_of <= now < kept.as_of + self.ttl
        if stale and (self._refresh is None or self._refresh.done()):
            fresh = compute_figures(store, now, rules, holidays, tz)
            self._refresh = asyncio.create_task(self._keep(fresh))
        return kept

    async def _keep(self, fresh: Awaitable[BoardFigures]) -> None:
        """Keep the recomputed figures; on failure the kept ones stay."""
        try:
            self._kept = await fresh
        except Exception:  # the next request tries again
            log.exception("recomputing the board's figures failed")

    async def settled(self) -> None:
        """Wait for a recomputation in progress, if any."""
        if self._refresh is not None:
            await self._refresh

    async def close(self) -> None:
        """Stop a recomputation in progress (the application is shutting down)."""
        if self._refresh is not None and not self._refresh.done():
            self._refresh.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._refresh


async def compute_figures(
    store: Store,
    now: datetime,
    rules: DeadlineRules,
    holidays: frozenset[date],
    tz: ZoneInfo,
    per_read: int = FACTS_PER_READ,
) -> BoardFigures:
    """The figures of the reports filed in the 12 months up to `now`.

    The facts are read a page at a time (each its own short transaction) and summarised
    in a worker thread, so a bot sharing the event loop keeps answering meanwhile.
    """
    start = period_start(now, tz)
    end = now + timedelta(seconds=1)
    facts: list[BoardFacts] = []
    after: FactsKey | None = None
    while True:
        async with store.transaction() as tx:
            page = await public_reads(tx).board_facts_page(start, end, after, per_read)
        facts += page.facts
        if page.next is None:
            break
        after = page.next
    return await asyncio.to_thread(summarise, facts, start, now, rules, holidays, tz)


def summarise(
    facts: list[BoardFacts],
    start: datetime,
    now: datetime,
    rules: DeadlineRules,
    holidays: frozenset[date],
    tz: ZoneInfo,
) -> BoardFigures:
    """The board's figures of `facts` as of `now` (each report's outcome computed once)."""
    outcomes = [outcome(fact, rules, holidays, tz, now) for fact in facts]
    per_month = grouped_figures(
        facts, outcomes, lambda f: (f.filed_at.astimezone(tz).strftime("%Y-%m"), f.body)
    )
    return BoardFigures(
        as_of=now,
        start=start,
        city=figures_of(outcomes),
        per_body=grouped_figures(facts, outcomes, lambda f: f.body),
        months=monthly_counts(facts, last_months(now, tz), tz),
        per_month_body=[
            (month, body, per_month[(month, body)]) for month, body in sorted(per_month)
        ],
    )
