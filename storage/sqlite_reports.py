"""Reports in SQLite: the `reports`, `report_photos` and `report_history` tables.

Reporter, neighbour and place are plain columns, so personal data can later be
anonymised with one UPDATE; photos keep their order by `position`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

from flows.report import HistoryEntry, Neighbour, NewReport, Place, Report, Reporter, Status
from storage.errors import NotFoundError
from storage.sqlite_core import Queries, from_db_time, to_db_time

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
_COLUMNS = (
    f"id, {_INSERTED}, {', '.join(PROGRESS)}, reject_reason, duplicate_of, followup_answer, rating"
)
# Built from the constants above; values are bound.
_MARKS = ", ".join("?" * len(_INSERTED.split(",")))
_INSERT_REPORT = f"INSERT INTO reports ({_INSERTED}) VALUES ({_MARKS})"  # noqa: S608


class ReportQueries(Queries):
    """The report operations of a SQLite transaction."""

    async def insert_report(self, new: NewReport, *, actor: str = "pelapor") -> Report:
        """Store a new report as `diterima` with its first history line. This writes."""
        doing = f"insert report {new.code}"
        filed_at = to_db_time(new.filed_at)
        report_id = await self._insert(
            doing,
            _INSERT_REPORT,
            (new.code, Status.DITERIMA.value, filed_at, filed_at, *_columns_of(new)),
            report_code=new.code,
        )
        await self._write_many(
            doing,
            "INSERT INTO report_photos (report_id, position, file_id) VALUES (?, ?, ?)",
            [(report_id, position, file_id) for position, file_id in enumerate(new.photos)],
        )
        await self._append_history(report_id, new.filed_at, actor, None, Status.DITERIMA, None)
        return await self.get_report_by_id(report_id)

    async def get_report(self, code: str) -> Report:
        """The report with this code. This is a read-only operation."""
        reports = await self._select_reports("WHERE code = ?", (code,))
        if not reports:
            raise NotFoundError(f"no report with code {code!r}")
        return reports[0]

    async def get_report_by_id(self, report_id: int) -> Report:
        """The report with this id. This is a read-only operation."""
        reports = await self._select_reports("WHERE id = ?", (report_id,))
        if not reports:
            raise NotFoundError(f"no report with id {report_id}")
        return reports[0]

    async def reports_by_reporter(self, user_id: int, limit: int = 20) -> list[Report]:
        """The user's reports, newest first. This is a read-only operation."""
        return await self._select_reports(
            "WHERE reporter_user_id = ? ORDER BY filed_at DESC, id DESC LIMIT ?",
            (user_id, limit),
        )

    async def count_reports_since(self, user_id: int, since: datetime) -> int:
        """How many reports the user filed at or after `since`. This is a read-only operation."""
        row = await self._row(
            "count reports",
            "SELECT count(*) FROM reports WHERE reporter_user_id = ? AND filed_at >= ?",
            (user_id, to_db_time(since)),
        )
        return int(row[0]) if row is not None else 0

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
        current = await self.get_report_by_id(report_id)
        await self._write(
            f"set status of report {report_id}",
            "UPDATE reports SET status = ?, updated_at = ? WHERE id = ?",
            (Status(to_status).value, to_db_time(at), report_id),
        )
        await self._append_history(report_id, at, actor, current.status, to_status, note)
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
        current = await self.get_report_by_id(report_id)
        await self._write(
            f"set body of report {report_id}",
            "UPDATE reports SET body = ?, kind = ?, updated_at = ? WHERE id = ?",
            (body, kind, to_db_time(at), report_id),
        )
        if note is None:
            note = f"body: {current.body} → {body}"
        await self._append_history(
            report_id, at, actor, current.status, current.status, note, kind="route"
        )
        return await self.get_report_by_id(report_id)

    async def history(self, report_id: int) -> list[HistoryEntry]:
        """The report's history, oldest first. This is a read-only operation."""
        rows = await self._rows(
            f"read history of report {report_id}",
            "SELECT at, actor, from_status, to_status, note, kind, public FROM report_history "
            "WHERE report_id = ? ORDER BY id",
            (report_id,),
        )
        if not rows:
            await self.get_report_by_id(report_id)  # NotFoundError if there is no report
        return [
            HistoryEntry(
                at=from_db_time(row["at"]),
                actor=row["actor"],
                from_status=row["from_status"],
                to_status=row["to_status"],
                note=row["note"],
                kind=row["kind"],
                public=bool(row["public"]),
            )
            for row in rows
        ]

    # -- helpers ------------------------------------------------------------------------

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
        await self._write(
            f"append history of report {report_id}",
            "INSERT INTO report_history "
            "(report_id, at, actor, from_status, to_status, note, kind, public) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                report_id,
                to_db_time(at),
                actor,
                None if from_status is None else Status(from_status).value,
                Status(to_status).value,
                note,
                kind,
                int(public),
            ),
        )

    async def _select_reports(self, where: str, params: Sequence[object]) -> list[Report]:
        # `where` is always a literal of this module; values are bound.
        sql = f"SELECT {_COLUMNS} FROM reports {where}"  # noqa: S608
        rows = await self._rows("read reports", sql, params)
        photos = await self._photos_of([int(row["id"]) for row in rows])
        return [_report_from(row, photos.get(int(row["id"]), ())) for row in rows]

    async def _photos_of(self, report_ids: list[int]) -> dict[int, tuple[str, ...]]:
        if not report_ids:
            return {}
        marks = ", ".join("?" * len(report_ids))
        rows = await self._rows(
            "read report photos",
            f"SELECT report_id, file_id FROM report_photos WHERE report_id IN ({marks}) "  # noqa: S608 - only "?" marks
            "ORDER BY report_id, position",
            report_ids,
        )
        photos: dict[int, list[str]] = {}
        for row in rows:
            photos.setdefault(int(row["report_id"]), []).append(str(row["file_id"]))
        return {report_id: tuple(files) for report_id, files in photos.items()}


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
        int(new.kader_verified),
    )


def _report_from(row: sqlite3.Row, photos: tuple[str, ...]) -> Report:
    neighbour = None
    if row["neighbour_name"] is not None:
        neighbour = Neighbour(name=row["neighbour_name"], phone=row["neighbour_phone"])
    return Report(
        id=row["id"],
        code=row["code"],
        status=row["status"],
        filed_at=from_db_time(row["filed_at"]),
        updated_at=from_db_time(row["updated_at"]),
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
        photos=photos,
        place=Place(
            kecamatan=row["kecamatan"],
            kelurahan=row["kelurahan"],
            latitude=row["latitude"],
            longitude=row["longitude"],
            address=row["address"],
        ),
        kader_verified=bool(row["kader_verified"]),
        reject_reason=row["reject_reason"],
        duplicate_of=row["duplicate_of"],
        followup_answer=row["followup_answer"],
        rating=row["rating"],
        **{name: _optional_time(row[name]) for name in PROGRESS},
    )


def _optional_time(text: str | None) -> datetime | None:
    return None if text is None else from_db_time(text)
