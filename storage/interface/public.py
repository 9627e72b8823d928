"""What the public board may read (`storage.public.PublicReads`): the filters, the pages
of facts, and the read-only protocol; written once for both backends in
`storage.queries.public`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from flows.report import HistoryEntry, Report, Status
from flows.scorecard import BoardFacts


@dataclass(frozen=True, slots=True)
class ReportFilter:
    """Which public reports to list; None (or empty) means any."""

    body: str | None = None
    kecamatan: str | None = None
    kelurahan: str | None = None
    statuses: tuple[Status, ...] = ()
    filed_from: datetime | None = None  # inclusive
    filed_before: datetime | None = None  # exclusive
    codes: tuple[str, ...] = ()
    located: bool = False  # only verified reports with coordinates (the map)


FactsKey = tuple[datetime, int]
"""Where a page of facts ended: (filed_at, id) of its last report."""


@dataclass(frozen=True, slots=True)
class FactsPage:
    """A page of facts, and where the next one starts (None: this was the last)."""

    facts: list[BoardFacts]
    next: FactsKey | None


class PublicReads(Protocol):
    """The board's reads; all of them read-only."""

    async def public_reports(
        self, where: ReportFilter, limit: int, offset: int = 0, *, oldest_first: bool = False
    ) -> list[Report]:
        """Non-confidential reports matching `where`, newest (or oldest) first."""
        ...

    async def public_reports_after(
        self, where: ReportFilter, after_id: int, limit: int
    ) -> list[Report]:
        """Non-confidential reports matching `where` with an id above `after_id`, by id
        (page through all of them: open data)."""
        ...

    async def public_report_by_code(self, code: str) -> Report | None:
        """The report with this code unless it is confidential (then, as unknown: None)."""
        ...

    async def supporter_counts(self, report_ids: Sequence[int]) -> dict[int, int]:
        """How many residents support each report; reports without any are left out."""
        ...

    async def public_history(self, report_id: int) -> list[HistoryEntry]:
        """The report's history lines marked public, oldest first."""
        ...

    async def board_facts_page(
        self, start: datetime, end: datetime, after: FactsKey | None, limit: int
    ) -> FactsPage:
        """The figures' facts of at most `limit` reports filed in [start, end) after
        `after`, confidential ones too (counted, never told), oldest first. Page through
        all of them by passing each page's `next` as the next `after`."""
        ...
