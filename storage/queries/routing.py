"""Routing data: similar open reports and supporters (officers' examples: `learning`)."""

from __future__ import annotations

from datetime import datetime

from flows.report import CLOSED, Report
from storage.queries.reports import ReportQueries

CLOSED_VALUES = sorted(status.value for status in CLOSED)
"""The closed statuses, as bound values (`Runner._not_in`)."""


class RoutingQueries(ReportQueries):
    """The routing operations."""

    async def open_reports_near(
        self, kelurahan: str, body: str, since: datetime, limit: int = 50
    ) -> list[Report]:
        """Open reports of one kelurahan and body filed since `since`, newest first.

        This is a read-only operation.
        """
        is_open, closed = self._not_in("status", CLOSED_VALUES, "text")
        return await self._select_reports(
            f"WHERE kelurahan = ? AND body = ? AND {is_open} AND filed_at >= ? "
            "ORDER BY filed_at DESC, id DESC LIMIT ?",
            (kelurahan, body, *closed, self._encode_time(since), limit),
        )

    async def add_supporter(self, report_id: int, user_id: int, chat_id: int, at: datetime) -> bool:
        """Record that a resident follows a report; False if she already did. This writes."""
        added = await self._execute(
            f"add supporter to report {report_id}",
            "INSERT INTO report_supporters (report_id, user_id, chat_id, supported_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (report_id, user_id) DO NOTHING",
            (report_id, user_id, chat_id, self._encode_time(at)),
        )
        return added == 1

    async def supporter_chats(self, report_id: int) -> list[int]:
        """Chats of the residents who support a report. This is a read-only operation."""
        rows = await self._rows(
            "read supporters",
            "SELECT chat_id FROM report_supporters WHERE report_id = ? "
            "ORDER BY supported_at, user_id",
            (report_id,),
        )
        return [int(row[0]) for row in rows]
