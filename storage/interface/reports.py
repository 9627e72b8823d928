"""What a transaction does with reports: filing, reading, status and body, history,
supporters, and the routing examples officers confirm."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from flows.report import HistoryEntry, NewReport, Report, Status


class ReportOperations(Protocol):
    """Reports and the routing examples."""

    # -- reports ----------------------------------------------------------------------

    async def insert_report(self, new: NewReport, *, actor: str = "pelapor") -> Report:
        """Store a new report as `diterima` with its first history line. This writes.

        Raises CodeTakenError if another report has `new.code`; the transaction stays
        usable, so the caller may retry with another code.
        """
        ...

    async def get_report(self, code: str) -> Report:
        """The report with this code; NotFoundError if none. This is a read-only operation."""
        ...

    async def get_report_by_id(self, report_id: int) -> Report:
        """The report with this id; NotFoundError if none. This is a read-only operation."""
        ...

    async def reports_by_reporter(self, user_id: int, limit: int = 20) -> list[Report]:
        """The user's reports, newest first. This is a read-only operation."""
        ...

    async def count_reports_since(self, user_id: int, since: datetime) -> int:
        """How many reports the user filed at or after `since`. This is a read-only operation."""
        ...

    async def lock_reports(self, report_ids: Sequence[int]) -> list[Report]:
        """Lock these reports' rows until the transaction ends (in id order) and return
        them as they are now, in the order given. Locks; does not write."""
        ...

    async def set_status(
        self,
        report_id: int,
        to_status: Status,
        *,
        actor: str,
        at: datetime,
        note: str | None = None,
    ) -> Report:
        """Move the report to `to_status` and append a history line. This writes.

        Storage does not judge transitions (flows/ does); NotFoundError if no report.
        """
        ...

    async def set_body(
        self,
        report_id: int,
        body: str,
        kind: str | None,
        *,
        actor: str,
        at: datetime,
        note: str | None = None,
    ) -> Report:
        """Route the report to `body`/`kind` and append a history line. This writes.

        The status is unchanged (the history line goes from it to itself); `note`
        defaults to "body: <old> → <new>". NotFoundError if no report.
        """
        ...

    async def set_kind(
        self, report_id: int, kind: str, *, actor: str, at: datetime, note: str
    ) -> Report:
        """Correct the report's kind of problem; an internal history line. This writes."""
        ...

    async def history(self, report_id: int) -> list[HistoryEntry]:
        """The report's history, oldest first; NotFoundError if no report.

        This is a read-only operation.
        """
        ...

    # -- routing ----------------------------------------------------------------------

    async def open_reports_near(
        self, kelurahan: str, body: str, since: datetime, limit: int = 50
    ) -> list[Report]:
        """Open reports of one kelurahan and body filed since `since`, newest first.

        This is a read-only operation.
        """
        ...

    async def add_supporter(self, report_id: int, user_id: int, chat_id: int, at: datetime) -> bool:
        """Record that a resident follows a report; False if she already did. This writes."""
        ...

    async def supporter_chats(self, report_id: int) -> list[int]:
        """Chats of the residents who support a report. This is a read-only operation."""
        ...
