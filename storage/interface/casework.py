"""What a transaction does for officers' work: lifecycle stamps, outcomes, follow-ups,
notes, queues, searches, monthly facts and reminders."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from flows.deadlines import Progress
from flows.monthly import ReportFacts
from flows.report import Report


class CaseworkOperations(Protocol):
    """Officers' work on reports."""

    # -- officers' work ------------------------------------------------------------------

    async def stamp(
        self, report_id: int, field: str, at: datetime | None, *, keep_first: bool = False
    ) -> None:
        """Set one lifecycle timestamp (None clears it); `keep_first` keeps an earlier one.

        `field`: verified_at, first_answer_at, decided_at, followup_due_at or
        followup_asked_at. This writes.
        """
        ...

    async def set_outcome(
        self, report_id: int, *, reject_reason: str | None, duplicate_of: str | None
    ) -> None:
        """Why a report was rejected, or which report it duplicates. This writes."""
        ...

    async def set_end_note(self, report_id: int, note: str | None) -> None:
        """The reporter's reason to withdraw, or the officer's note on a handover (None:
        none). This writes."""
        ...

    async def set_followup(
        self, report_id: int, *, answer: str | None = None, rating: int | None = None
    ) -> None:
        """The reporter's answer to "is it really solved?" and/or her rating. This writes."""
        ...

    async def add_note(
        self, report_id: int, *, kind: str, actor: str, at: datetime, note: str, public: bool
    ) -> None:
        """Append a history line that does not change the status. This writes."""
        ...

    async def open_queue(self, bodies: Sequence[str] | None, limit: int = 50) -> list[Report]:
        """Open reports of some bodies (None: all), oldest first. Read-only."""
        ...

    async def search_reports(
        self, words: str, bodies: Sequence[str] | None, limit: int = 10
    ) -> list[Report]:
        """Reports whose description contains `words`, newest first. Read-only."""
        ...

    async def report_facts_between(
        self, start: datetime, end: datetime, bodies: Sequence[str] | None = None
    ) -> list[ReportFacts]:
        """What the statistics need of the reports of some bodies (None: all) filed in
        [start, end), oldest first; no personal data. Read-only."""
        ...

    async def open_report_progress(self, after_id: int, limit: int = 1000) -> list[Progress]:
        """The lifecycle times of the open reports with an id above `after_id`, by id.

        Page through every open report (the reminders pass) by passing the last id of
        a page as the next `after_id`. Read-only.
        """
        ...

    async def due_followups(self, now: datetime, limit: int = 100) -> list[Report]:
        """Solved reports whose reporter is to be asked now if it is really solved. Read-only."""
        ...

    async def claim_reminder(self, report_id: int, deadline: str, level: str, at: datetime) -> bool:
        """Record that a reminder is being sent; False if it already was. This writes."""
        ...

    async def reminders_sent(self, report_ids: Sequence[int]) -> dict[int, set[tuple[str, str]]]:
        """(deadline, level) pairs already sent, per report; reports without any are
        left out. Read-only."""
        ...
