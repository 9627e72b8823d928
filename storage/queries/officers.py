"""Officers' work: lifecycle stamps, history notes, queues, search, reminders."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flows.deadlines import Progress
from flows.monthly import ReportFacts
from flows.report import Report, Status
from storage.queries.reports import PROGRESS
from storage.queries.routing import CLOSED_VALUES, RoutingQueries
from storage.queries.runner import Row

OPEN = "status NOT IN ('selesai', 'ditolak', 'duplikat', 'dilimpahkan', 'dicabut')"
"""Open reports, word for word the condition of the partial index `reports_open` (m014):
a literal, so that SQLite (which needs the query to repeat the condition) and every
PostgreSQL plan (a generic one too) can prove it and use the index."""
_FACTS = "code, body, kind, kecamatan, kelurahan, status, filed_at, first_answer_at, decided_at"
OPEN_PROGRESS = (
    "SELECT id, filed_at, verified_at, first_answer_at, decided_at FROM reports "  # noqa: S608
    f"WHERE {OPEN} AND id > ? ORDER BY id LIMIT ?"
)
"""A page of the open reports' lifecycle times (`open_report_progress`): reports_open."""


class OfficerQueries(RoutingQueries):
    """The officers' operations."""

    async def stamp(
        self, report_id: int, field: str, at: datetime | None, *, keep_first: bool = False
    ) -> None:
        """Set one lifecycle timestamp (None clears it); `keep_first` keeps an earlier one.

        `field` is one of `verified_at`, `first_answer_at`, `decided_at`,
        `followup_due_at`, `followup_asked_at`. This writes.
        """
        if field not in PROGRESS:
            raise ValueError(f"not a lifecycle timestamp: {field!r}")
        value = f"COALESCE({field}, ?)" if keep_first else "?"
        await self._execute(
            f"stamp {field} of report {report_id}",
            # `field` is checked against PROGRESS above; the value is bound.
            f"UPDATE reports SET {field} = {value} WHERE id = ?",  # noqa: S608
            (self._optional_time(at), report_id),
        )

    async def set_outcome(
        self, report_id: int, *, reject_reason: str | None, duplicate_of: str | None
    ) -> None:
        """Why a report was rejected, or which report it duplicates. This writes."""
        await self._execute(
            f"set outcome of report {report_id}",
            "UPDATE reports SET reject_reason = ?, duplicate_of = ? WHERE id = ?",
            (reject_reason, duplicate_of, report_id),
        )

    async def set_end_note(self, report_id: int, note: str | None) -> None:
        """The reporter's reason to withdraw, or the officer's note on a handover (None:
        none). This writes."""
        await self._execute(
            f"set end note of report {report_id}",
            "UPDATE reports SET end_note = ? WHERE id = ?",
            (note, report_id),
        )

    async def set_followup(
        self, report_id: int, *, answer: str | None = None, rating: int | None = None
    ) -> None:
        """The reporter's answer to "is it really solved?" and/or her rating. This writes."""
        await self._execute(
            f"set follow-up of report {report_id}",
            "UPDATE reports SET followup_answer = COALESCE(?, followup_answer), "
            "rating = COALESCE(?, rating) WHERE id = ?",
            (answer, rating, report_id),
        )

    async def add_note(
        self, report_id: int, *, kind: str, actor: str, at: datetime, note: str, public: bool
    ) -> None:
        """Append a history line that does not change the status. This writes."""
        status = Status((await self._lock_report(report_id))["status"])
        await self._append_history(
            report_id, at, actor, status, status, note, kind=kind, public=public
        )

    async def open_queue(self, bodies: Sequence[str] | None, limit: int = 50) -> list[Report]:
        """Open reports of some bodies (None: all), oldest first. This is a read-only operation."""
        where, params = self._not_in("status", CLOSED_VALUES, "text")
        if bodies is not None:
            of_bodies, body_params = self._in("body", bodies, "text")
            where, params = f"{where} AND {of_bodies}", (*params, *body_params)
        return await self._select_reports(
            f"WHERE {where} ORDER BY filed_at, id LIMIT ?", (*params, limit)
        )

    async def search_reports(
        self, words: str, bodies: Sequence[str] | None, limit: int = 10
    ) -> list[Report]:
        """Reports whose description contains `words` (case-insensitive), newest first.

        This is a read-only operation.
        """
        pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where = f"WHERE description {self._LIKE} ? ESCAPE '\\'"
        params: tuple[object, ...] = (pattern,)
        if bodies is not None:
            of_bodies, body_params = self._in("body", bodies, "text")
            where, params = f"{where} AND {of_bodies}", (*params, *body_params)
        return await self._select_reports(
            f"{where} ORDER BY filed_at DESC, id DESC LIMIT ?", (*params, limit)
        )

    async def report_facts_between(
        self, start: datetime, end: datetime, bodies: Sequence[str] | None = None
    ) -> list[ReportFacts]:
        """What the statistics need of the reports of some bodies (None: all) filed in
        [start, end), oldest first. This is a read-only operation."""
        where = "filed_at >= ? AND filed_at < ?"
        params: tuple[object, ...] = (self._encode_time(start), self._encode_time(end))
        if bodies is not None:
            of_bodies, body_params = self._in("body", bodies, "text")
            where, params = f"{where} AND {of_bodies}", (*params, *body_params)
        rows = await self._rows(
            "read report facts",
            # Built from this module's constants and "?" marks; values are bound.
            f"SELECT {_FACTS} FROM reports WHERE {where} ORDER BY filed_at, id",  # noqa: S608
            params,
        )
        return [self._facts_from(row) for row in rows]

    async def open_report_progress(self, after_id: int, limit: int = 1000) -> list[Progress]:
        """The lifecycle times of the open reports with an id above `after_id`, by id.

        This is a read-only operation.
        """
        rows = await self._rows("read open reports' progress", OPEN_PROGRESS, (after_id, limit))
        decode = self._decode_time  # inline None checks: a page has 1,000s of rows
        return [
            Progress(
                report_id=row[0],
                filed_at=decode(row[1]),
                verified_at=None if row[2] is None else decode(row[2]),
                first_answer_at=None if row[3] is None else decode(row[3]),
                decided_at=None if row[4] is None else decode(row[4]),
            )
            for row in rows
        ]

    async def due_followups(self, now: datetime, limit: int = 100) -> list[Report]:
        """Solved reports whose reporter is to be asked now whether it is really solved.

        This is a read-only operation.
        """
        return await self._select_reports(
            "WHERE status = ? AND followup_due_at <= ? AND followup_asked_at IS NULL "
            "ORDER BY followup_due_at, id LIMIT ?",
            (Status.SELESAI.value, self._encode_time(now), limit),
        )

    async def claim_reminder(self, report_id: int, deadline: str, level: str, at: datetime) -> bool:
        """Record that a reminder is being sent; False if it was already. This writes."""
        added = await self._execute(
            f"claim reminder of report {report_id}",
            "INSERT INTO reminders_sent (report_id, deadline, level, sent_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (report_id, deadline, level) DO NOTHING",
            (report_id, deadline, level, self._encode_time(at)),
        )
        return added == 1

    async def reminders_sent(self, report_ids: Sequence[int]) -> dict[int, set[tuple[str, str]]]:
        """(deadline, level) pairs already sent, per report. Read-only."""
        sent: dict[int, set[tuple[str, str]]] = {}
        for of_reports, params in self._chunks_of("report_id", report_ids):
            rows = await self._rows(
                "read reminders",
                f"SELECT report_id, deadline, level FROM reminders_sent WHERE {of_reports}",  # noqa: S608
                params,
            )
            for row in rows:
                sent.setdefault(int(row[0]), set()).add((str(row[1]), str(row[2])))
        return sent

    def _facts_from(self, row: Row) -> ReportFacts:
        decode = self._decode_time
        return ReportFacts(
            code=row[0],
            body=row[1],
            kind=row[2],
            kecamatan=row[3],
            kelurahan=row[4],
            status=Status(row[5]),
            filed_at=decode(row[6]),
            first_answer_at=None if row[7] is None else decode(row[7]),
            decided_at=None if row[8] is None else decode(row[8]),
        )
