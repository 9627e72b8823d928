"""Reports in PostgreSQL: the `reports`, `report_photos` and `report_history` tables.

As in SQLite, personal data lives in plain columns (anonymised by one UPDATE) and
photos keep their order by `position`. Operations that read a report and then change
it lock its row first (``SELECT ... FOR UPDATE``), so that two officers acting on one
report at once write their history lines one after the other, each from the status the
other left.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import asyncpg

from flows.report import HistoryEntry, Neighbour, NewReport, Place, Report, Reporter, Status
from storage.errors import CodeTakenError, NotFoundError
from storage.postgres.core import Queries, utc

_INSERTED = (
    "code, status, filed_at, updated_at, privacy, body, kind, description, "
    "reporter_user_id, reporter_chat_id, reporter_name, reporter_username, reporter_phone, "
    "neighbour_name, neighbour_phone, kecamatan, kelurahan, latitude, longitude, address, "
    "kader_verified"
)
PROGRESS = (
    "verified_at",
    "first_answer_at",
    "decided_at",
    "followup_due_at",
    "followup_asked_at",
)
"""Lifecycle timestamps of a report (see `OfficerQueries.stamp`)."""
# The photos come along in the same query, in order.
_PHOTOS = (
    "ARRAY(SELECT file_id FROM report_photos p WHERE p.report_id = reports.id "
    "ORDER BY position) AS photos"
)
_COLUMNS = (
    f"id, {_INSERTED}, {', '.join(PROGRESS)}, reject_reason, duplicate_of, followup_answer, "
    f"rating, {_PHOTOS}"
)
# Built from the constants above; values are bound.
_MARKS = ", ".join(f"${n}" for n in range(1, len(_INSERTED.split(",")) + 1))
_INSERT_REPORT = (
    f"INSERT INTO reports ({_INSERTED}) VALUES ({_MARKS}) "  # noqa: S608
    "ON CONFLICT (code) DO NOTHING RETURNING id"
)


class ReportQueries(Queries):
    """The report operations of a PostgreSQL transaction."""

    async def insert_report(self, new: NewReport, *, actor: str = "pelapor") -> Report:
        """Store a new report as `diterima` with its first history line. This writes.

        A taken code raises CodeTakenError; ON CONFLICT DO NOTHING leaves the
        transaction usable (a failed INSERT would abort it in PostgreSQL).
        """
        doing = f"insert report {new.code}"
        filed_at = utc(new.filed_at)
        report_id = await self._value(
            doing,
            _INSERT_REPORT,
            (new.code, Status.DITERIMA.value, filed_at, filed_at, *_columns_of(new)),
        )
        if report_id is None:
            raise CodeTakenError(new.code)
        assert isinstance(report_id, int)
        await self._execute(
            doing,
            "INSERT INTO report_photos (report_id, position, file_id) "
            "SELECT $1, ordinality - 1, file_id "
            "FROM unnest($2::text[]) WITH ORDINALITY AS photo (file_id, ordinality)",
            (report_id, list(new.photos)),
        )
        await self._append_history(report_id, new.filed_at, actor, None, Status.DITERIMA, None)
        return await self.get_report_by_id(report_id)

    async def get_report(self, code: str) -> Report:
        """The report with this code. This is a read-only operation."""
        reports = await self._select_reports("WHERE code = $1", (code,))
        if not reports:
            raise NotFoundError(f"no report with code {code!r}")
        return reports[0]

    async def get_report_by_id(self, report_id: int) -> Report:
        """The report with this id. This is a read-only operation."""
        reports = await self._select_reports("WHERE id = $1", (report_id,))
        if not reports:
            raise NotFoundError(f"no report with id {report_id}")
        return reports[0]

    async def reports_by_reporter(self, user_id: int, limit: int = 20) -> list[Report]:
        """The user's reports, newest first. This is a read-only operation."""
        return await self._select_reports(
            "WHERE reporter_user_id = $1 ORDER BY filed_at DESC, id DESC LIMIT $2",
            (user_id, limit),
        )

    async def count_reports_since(self, user_id: int, since: datetime) -> int:
        """How many reports the user filed at or after `since`. This is a read-only operation."""
        count = await self._value(
            "count reports",
            "SELECT count(*) FROM reports WHERE reporter_user_id = $1 AND filed_at >= $2",
            (user_id, utc(since)),
        )
        assert isinstance(count, int)
        return count

    async def set_status(
        self,
        report_id: int,
        to_status: Status,
        *,
        actor: str,
        at: datetime,
        note: str | None = None,
    ) -> Report:
        """Move the report to `to_status` and append a history line. This writes."""
        current = await self._lock_report(report_id)
        await self._execute(
            f"set status of report {report_id}",
            "UPDATE reports SET status = $1, updated_at = $2 WHERE id = $3",
            (Status(to_status).value, utc(at), report_id),
        )
        await self._append_history(report_id, at, actor, Status(current["status"]), to_status, note)
        return await self.get_report_by_id(report_id)

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
        """Route the report to `body`/`kind` and append a history line. This writes."""
        current = await self._lock_report(report_id)
        await self._execute(
            f"set body of report {report_id}",
            "UPDATE reports SET body = $1, kind = $2, updated_at = $3 WHERE id = $4",
            (body, kind, utc(at), report_id),
        )
        if note is None:
            note = f"body: {current['body']} → {body}"
        status = Status(current["status"])
        await self._append_history(report_id, at, actor, status, status, note, kind="route")
        return await self.get_report_by_id(report_id)

    async def history(self, report_id: int) -> list[HistoryEntry]:
        """The report's history, oldest first. This is a read-only operation."""
        rows = await self._rows(
            f"read history of report {report_id}",
            "SELECT at, actor, from_status, to_status, note, kind, public FROM report_history "
            "WHERE report_id = $1 ORDER BY id",
            (report_id,),
        )
        if not rows:
            await self.get_report_by_id(report_id)  # NotFoundError if there is no report
        return [HistoryEntry(**dict(row)) for row in rows]

    # -- helpers ------------------------------------------------------------------------

    async def _lock_report(self, report_id: int) -> asyncpg.Record:
        """Lock the report's row until the transaction ends; its status and body."""
        row = await self._row(
            f"lock report {report_id}",
            "SELECT status, body FROM reports WHERE id = $1 FOR UPDATE",
            (report_id,),
        )
        if row is None:
            raise NotFoundError(f"no report with id {report_id}")
        return row

    async def _append_history(
        self,
        report_id: int,
        at: datetime,
        actor: str,
        from_status: Status | None,
        to_status: Status,
        note: str | None,
        *,
        kind: str = "status",
        public: bool = True,
    ) -> None:
        await self._execute(
            f"append history of report {report_id}",
            "INSERT INTO report_history "
            "(report_id, at, actor, from_status, to_status, note, kind, public) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            (
                report_id,
                utc(at),
                actor,
                None if from_status is None else Status(from_status).value,
                Status(to_status).value,
                note,
                kind,
                public,
            ),
        )

    async def _select_reports(self, where: str, params: Sequence[object]) -> list[Report]:
        # `where` is always a literal of these modules; values are bound.
        sql = f"SELECT {_COLUMNS} FROM reports {where}"  # noqa: S608
        rows = await self._rows("read reports", sql, params)
        return [_report_from(row) for row in rows]


def _columns_of(new: NewReport) -> tuple[object, ...]:
    """The values of the columns after code, status, filed_at and updated_at."""
    neighbour = new.neighbour
    return (
        new.privacy.value,
        new.body,
        new.kind,
        new.description,
        new.reporter.user_id,
        new.reporter.chat_id,
        new.reporter.name,
        new.reporter.username,
        new.reporter.phone,
        None if neighbour is None else neighbour.name,
        None if neighbour is None else neighbour.phone,
        new.place.kecamatan,
        new.place.kelurahan,
        new.place.latitude,
        new.place.longitude,
        new.place.address,
        new.kader_verified,
    )


def _report_from(row: asyncpg.Record) -> Report:
    neighbour = None
    if row["neighbour_name"] is not None:
        neighbour = Neighbour(name=row["neighbour_name"], phone=row["neighbour_phone"])
    return Report(
        id=row["id"],
        code=row["code"],
        status=row["status"],
        filed_at=row["filed_at"],
        updated_at=row["updated_at"],
        privacy=row["privacy"],
        body=row["body"],
        kind=row["kind"],
        description=row["description"],
        reporter=Reporter(
            user_id=row["reporter_user_id"],
            chat_id=row["reporter_chat_id"],
            name=row["reporter_name"],
            username=row["reporter_username"],
            phone=row["reporter_phone"],
        ),
        neighbour=neighbour,
        photos=tuple(row["photos"]),
        place=Place(
            kecamatan=row["kecamatan"],
            kelurahan=row["kelurahan"],
            latitude=row["latitude"],
            longitude=row["longitude"],
            address=row["address"],
        ),
        kader_verified=row["kader_verified"],
        reject_reason=row["reject_reason"],
        duplicate_of=row["duplicate_of"],
        followup_answer=row["followup_answer"],
        rating=row["rating"],
        **{name: row[name] for name in PROGRESS},
    )
