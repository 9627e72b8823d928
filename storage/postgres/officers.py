"""Officers' work in PostgreSQL: lifecycle stamps, notes, queues, search, reminders."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import asyncpg

from flows.deadlines import Progress
from flows.monthly import ReportFacts
from flows.report import Report, Status
from storage.postgres.core import optional_utc, utc
from storage.postgres.reports import PROGRESS
from storage.postgres.routing import CLOSED_VALUES, RoutingQueries

OPEN = "status NOT IN ('selesai', 'ditolak', 'duplikat')"
"""Open reports, as the condition of the partial index `reports_open` (m008) is written:
a literal, so that every plan (a generic one too) can prove it and use the index."""
_FACTS = "code, body, kind, kecamatan, kelurahan, status, filed_at, first_answer_at, decided_at"
OPEN_PROGRESS = (
    "SELECT id, filed_at, verified_at, first_answer_at, decided_at FROM reports "  # noqa: S608
    f"WHERE {OPEN} AND id > $1 ORDER BY id LIMIT $2"
)
"""A page of the open reports' lifecycle times (`open_report_progress`): reports_open."""


class OfficerQueries(RoutingQueries):
    """The officers' operations of a PostgreSQL transaction."""

    async def stamp(
        self, report_id: int, field: str, at: datetime | None, *, keep_first: bool = False
    ) -> None:
        """Set one lifecycle timestamp (None clears it); `keep_first` keeps an earlier one.

        `field` is one of `verified_at`, `first_answer_at`, `decided_at`,
        `followup_due_at`, `followup_asked_at`. This writes.
        """
        if field not in PROGRESS:
            raise ValueError(f"not a lifecycle timestamp: {field!r}")
        value = f"COALESCE({field}, $1)" if keep_first else "$1"
        await self._execute(
            f"stamp {field} of report {report_id}",
            # `field` is checked against PROGRESS above; the value is bound.
            f"UPDATE reports SET {field} = {value} WHERE id = $2",  # noqa: S608
            (optional_utc(at), report_id),
        )

    async def set_outcome(
        self, report_id: int, *, reject_reason: str | None, duplicate_of: str | None
    ) -> None:
        """Why a report was rejected, or which report it duplicates. This writes."""
        await self._execute(
            f"set outcome of report {report_id}",
            "UPDATE reports SET reject_reason = $1, duplicate_of = $2 WHERE id = $3",
            (reject_reason, duplicate_of, report_id),
        )

    async def set_followup(
        self, report_id: int, *, answer: str | None = None, rating: int | None = None
    ) -> None:
        """The reporter's answer to "is it really solved?" and/or her rating. This writes."""
        await self._execute(
            f"set follow-up of report {report_id}",
            "UPDATE reports SET followup_answer = COALESCE($1, followup_answer), "
            "rating = COALESCE($2, rating) WHERE id = $3",
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
        if bodies is None:
            return await self._select_reports(
                "WHERE status <> ALL($1::text[]) ORDER BY filed_at, id LIMIT $2",
                (CLOSED_VALUES, limit),
            )
        return await self._select_reports(
            "WHERE status <> ALL($1::text[]) AND body = ANY($2::text[]) "
            "ORDER BY filed_at, id LIMIT $3",
            (CLOSED_VALUES, list(bodies), limit),
        )

    async def search_reports(
        self, words: str, bodies: Sequence[str] | None, limit: int = 10
    ) -> list[Report]:
        """Reports whose description contains `words` (case-insensitive), newest first.

        This is a read-only operation.
        """
        pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        # A NULL array means every body.
        return await self._select_reports(
            "WHERE description ILIKE $1 ESCAPE '\\' "
            "AND ($2::text[] IS NULL OR body = ANY($2::text[])) "
            "ORDER BY filed_at DESC, id DESC LIMIT $3",
            (pattern, None if bodies is None else list(bodies), limit),
        )

    async def report_facts_between(
        self, start: datetime, end: datetime, bodies: Sequence[str] | None = None
    ) -> list[ReportFacts]:
        """What the statistics need of the reports of some bodies (None: all) filed in
        [start, end), oldest first. This is a read-only operation."""
        # A NULL array means every body.
        rows = await self._rows(
            "read report facts",
            f"SELECT {_FACTS} FROM reports WHERE filed_at >= $1 AND filed_at < $2 "  # noqa: S608
            "AND ($3::text[] IS NULL OR body = ANY($3::text[])) ORDER BY filed_at, id",
            (utc(start), utc(end), None if bodies is None else list(bodies)),
        )
        return [_facts_from(row) for row in rows]

    async def open_report_progress(self, after_id: int, limit: int = 1000) -> list[Progress]:
        """The lifecycle times of the open reports with an id above `after_id`, by id.

        This is a read-only operation.
        """
        rows = await self._rows(
            "read open reports' progress",
            OPEN_PROGRESS,
            (after_id, limit),
        )
        return [Progress(*row) for row in rows]

    async def due_followups(self, now: datetime, limit: int = 100) -> list[Report]:
        """Solved reports whose reporter is to be asked now whether it is really solved.

        This is a read-only operation.
        """
        return await self._select_reports(
            "WHERE status = $1 AND followup_due_at <= $2 AND followup_asked_at IS NULL "
            "ORDER BY followup_due_at, id LIMIT $3",
            (Status.SELESAI.value, utc(now), limit),
        )

    async def claim_reminder(self, report_id: int, deadline: str, level: str, at: datetime) -> bool:
        """Record that a reminder is being sent; False if it was already. This writes."""
        added = await self._execute(
            f"claim reminder of report {report_id}",
            "INSERT INTO reminders_sent (report_id, deadline, level, sent_at) "
            "VALUES ($1, $2, $3, $4) ON CONFLICT (report_id, deadline, level) DO NOTHING",
            (report_id, deadline, level, utc(at)),
        )
        return added == 1

    async def reminders_sent(self, report_ids: Sequence[int]) -> dict[int, set[tuple[str, str]]]:
        """(deadline, level) pairs already sent, per report. Read-only."""
        rows = await self._rows(
            "read reminders",
            "SELECT report_id, deadline, level FROM reminders_sent "
            "WHERE report_id = ANY($1::bigint[])",
            (list(report_ids),),
        )
        sent: dict[int, set[tuple[str, str]]] = {}
        for row in rows:
            sent.setdefault(int(row[0]), set()).add((str(row[1]), str(row[2])))
        return sent


def _facts_from(row: asyncpg.Record) -> ReportFacts:
    return ReportFacts(
        code=row[0],
        body=row[1],
        kind=row[2],
        kecamatan=row[3],
        kelurahan=row[4],
        status=Status(row[5]),
        filed_at=row[6],
        first_answer_at=row[7],
        decided_at=row[8],
    )
