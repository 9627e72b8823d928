"""The public board's reads (`storage.interface.public.PublicReads`), for both backends.

Which reports may be listed is decided here in SQL only as far as paging needs it: a
confidential report (privacy `rahasia` or `anonim_rahasia`) is never returned, and the
map asks only for reports whose public text an officer approved. Everything else the
public may see is decided by `flows.board.board_report` on the returned `Report`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flows.report import HistoryEntry, Report, Status
from flows.scorecard import BoardFacts
from storage.interface.public import FactsKey, FactsPage, ReportFilter
from storage.queries.reports import ReportQueries
from storage.queries.runner import Params

NOT_CONFIDENTIAL = "privacy IN ('biasa', 'anonim')"
"""Reports whose story may ever be public: a new privacy level stays hidden until it is
added here."""
MAPPED = "public_at IS NOT NULL AND latitude IS NOT NULL AND longitude IS NOT NULL"
"""Reports the map may show: an officer approved the public text
(`flows.board.board_report`), and they have a place. Word for word the condition of the
partial index `reports_public_map` (m012)."""
_FACTS = (
    "body, kind, kecamatan, kelurahan, status, filed_at, verified_at, first_answer_at, "
    "decided_at, followup_answer, rating"
)


class PublicQueries(ReportQueries):
    """The board's read-only operations."""

    async def public_reports(
        self, where: ReportFilter, limit: int, offset: int = 0, *, oldest_first: bool = False
    ) -> list[Report]:
        """Non-confidential reports matching `where`, newest (or oldest) first."""
        conditions, params = self._public_conditions(where)
        order = "ASC" if oldest_first else "DESC"
        return await self._select_reports(
            # Built from this module's constants and "?" marks; values are bound.
            f"WHERE {' AND '.join(conditions)} "
            f"ORDER BY filed_at {order}, id {order} LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )

    async def public_reports_after(
        self, where: ReportFilter, after_id: int, limit: int
    ) -> list[Report]:
        """Non-confidential reports matching `where` with an id above `after_id`, by id."""
        conditions, params = self._public_conditions(where)
        return await self._select_reports(
            # Built from this module's constants and "?" marks; values are bound.
            f"WHERE {' AND '.join(conditions)} AND id > ? ORDER BY id LIMIT ?",
            (*params, after_id, limit),
        )

    async def public_report_by_code(self, code: str) -> Report | None:
        """The report with this code unless it is confidential (then None, as unknown)."""
        found = await self._select_reports(f"WHERE code = ? AND {NOT_CONFIDENTIAL}", (code,))
        return found[0] if found else None

    async def supporter_counts(self, report_ids: Sequence[int]) -> dict[int, int]:
        """How many residents support each report (those forgotten by retention
        included); reports without any are left out."""
        counts: dict[int, int] = {}
        for of_reports, params in self._chunks_of("id", report_ids):
            rows = await self._rows(
                "count supporters",
                # Built from "?" marks; values are bound.
                "SELECT id, former_supporters + (SELECT count(*) FROM report_supporters s "  # noqa: S608
                f"WHERE s.report_id = reports.id) FROM reports WHERE {of_reports}",
                params,
            )
            counts.update({int(row[0]): int(row[1]) for row in rows if row[1]})
        return counts

    async def public_history(self, report_id: int) -> list[HistoryEntry]:
        """The report's history lines marked public, oldest first."""
        return [entry for entry in await self.history(report_id) if entry.public]

    async def board_facts_page(
        self, start: datetime, end: datetime, after: FactsKey | None, limit: int
    ) -> FactsPage:
        """The figures' facts of at most `limit` reports filed in [start, end) after
        `after` ((filed_at, id)), oldest first: a range of the index on filing time."""
        since = self._encode_time(start) if after is None else self._encode_time(after[0])
        rows = await self._rows(
            "read the board's facts",
            f"SELECT {_FACTS}, id FROM reports "  # noqa: S608 - constants; values are bound
            "WHERE (filed_at, id) > (?, ?) AND filed_at < ? ORDER BY filed_at, id LIMIT ?",
            (since, 0 if after is None else after[1], self._encode_time(end), limit),
        )
        decode = self._decode_time  # inline None checks: a year has 100,000s of rows
        facts = [
            BoardFacts(
                body=row[0],
                kind=row[1],
                kecamatan=row[2],
                kelurahan=row[3],
                status=Status(row[4]),
                filed_at=decode(row[5]),
                verified_at=None if row[6] is None else decode(row[6]),
                first_answer_at=None if row[7] is None else decode(row[7]),
                decided_at=None if row[8] is None else decode(row[8]),
                followup_answer=row[9],
                rating=row[10],
            )
            for row in rows
        ]
        last = (facts[-1].filed_at, int(rows[-1][11])) if len(rows) == limit else None
        return FactsPage(facts, last)

    def _public_conditions(self, where: ReportFilter) -> tuple[list[str], Params]:
        """The WHERE conditions (joined by AND) of `where`, and their parameters."""
        conditions = [NOT_CONFIDENTIAL]
        params: list[object] = []
        for column, value in (
            ("body", where.body),
            ("kecamatan", where.kecamatan),
            ("kelurahan", where.kelurahan),
        ):
            if value is not None:
                conditions.append(f"{column} = ?")
                params.append(value)
        for values, column, sql_type in (
            ([s.value for s in where.statuses], "status", "text"),
            (list(where.codes), "code", "text"),
        ):
            if values:
                condition, more = self._in(column, values, sql_type)
                conditions.append(condition)
                params.extend(more)
        if where.filed_from is not None:
            conditions.append("filed_at >= ?")
            params.append(self._encode_time(where.filed_from))
        if where.filed_before is not None:
            conditions.append("filed_at < ?")
            params.append(self._encode_time(where.filed_before))
        if where.located:
            conditions.append(MAPPED)
        return conditions, params
