"""Reports: the `reports`, `report_photos` and `report_history` tables.

Reporter, neighbour and place are plain columns, so personal data can later be
anonymised with one UPDATE; photos keep their order by `position`. Operations that
read a report and then change it lock its row first (`_lock_report`), so that two
officers acting on one report at once write their history lines one after the other,
each from the status the other left.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from datetime import datetime

from flows.report import HistoryEntry, Neighbour, NewReport, Place, Report, Reporter, Status
from storage.errors import NotFoundError
from storage.queries.runner import Params, Row, Runner

INSERTED = (
    "code, status, filed_at, updated_at, privacy, body, kind, description, "
    "reporter_user_id, reporter_chat_id, reporter_name, reporter_username, reporter_phone, "
    "neighbour_name, neighbour_phone, kecamatan, kelurahan, latitude, longitude, address, "
    "kader_verified, public_text"
)
"""The columns `insert_report` writes, in the order of its parameters."""
PROGRESS = (
    "verified_at",
    "first_answer_at",
    "decided_at",
    "followup_due_at",
    "followup_asked_at",
    "public_at",
)
"""Lifecycle timestamps of a report (see `OfficerQueries.stamp`)."""
COLUMNS = (
    f"id, {INSERTED}, {', '.join(PROGRESS)}, reject_reason, duplicate_of, followup_answer, "
    "rating, photos_public, end_note"
)
"""The columns `ReportQueries.report_from` reads (the photos come separately)."""
# Built from the constants above; values are bound.
INSERT_REPORT = (
    f"INSERT INTO reports ({INSERTED}) "  # noqa: S608
    f"VALUES ({', '.join('?' * len(INSERTED.split(',')))})"
)


class ReportQueries(Runner):
    """The report operations."""

    async def insert_report(self, new: NewReport, *, actor: str = "pelapor") -> Report:
        """Store a new report as `diterima` with its first history line. This writes.

        A taken code raises CodeTakenError and leaves the transaction usable.
        """
        doing = f"insert report {new.code}"
        filed_at = self._encode_time(new.filed_at)
        report_id = await self._insert_report_row(
            doing,
            new.code,
            (new.code, Status.DITERIMA.value, filed_at, filed_at, *_columns_of(new)),
        )
        await self._insert_photos(doing, report_id, new.photos)
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
        count = await self._value(
            "count reports",
            "SELECT count(*) FROM reports WHERE reporter_user_id = ? AND filed_at >= ?",
            (user_id, self._encode_time(since)),
        )
        return int(count) if count is not None else 0

    async def lock_reports(self, report_ids: Sequence[int]) -> list[Report]:
        """Lock these reports' rows (in id order, so two transactions locking the same
        reports never deadlock) and return them as they are now, in the order given;
        for a decision about several reports at once. This locks, it does not write."""
        for report_id in sorted(set(report_ids)):
            await self._lock_report(report_id)
        return [await self.get_report_by_id(report_id) for report_id in report_ids]

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
            "UPDATE reports SET status = ?, updated_at = ? WHERE id = ?",
            (Status(to_status).value, self._encode_time(at), report_id),
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
            "UPDATE reports SET body = ?, kind = ?, updated_at = ? WHERE id = ?",
            (body, kind, self._encode_time(at), report_id),
        )
        if note is None:
            note = f"body: {current['body']} → {body}"
        status = Status(current["status"])
        await self._append_history(report_id, at, actor, status, status, note, kind="route")
        return await self.get_report_by_id(report_id)

    async def set_kind(
        self, report_id: int, kind: str, *, actor: str, at: datetime, note: str
    ) -> Report:
        """Correct the report's kind of problem and append an internal history line
        (`kind` "kind", not public). This writes."""
        current = await self._lock_report(report_id)
        await self._execute(
            f"set kind of report {report_id}",
            "UPDATE reports SET kind = ?, updated_at = ? WHERE id = ?",
            (kind, self._encode_time(at), report_id),
        )
        status = Status(current["status"])
        await self._append_history(
            report_id, at, actor, status, status, note, kind="kind", public=False
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
                at=self._decode_time(row["at"]),
                actor=row["actor"],
                from_status=row["from_status"],
                to_status=row["to_status"],
                note=row["note"],
                kind=row["kind"],
                public=bool(row["public"]),
            )
            for row in rows
        ]

    # -- what differs per backend -------------------------------------------------------

    @abstractmethod
    async def _insert_report_row(self, doing: str, code: str, params: Params) -> int:
        """Run `INSERT_REPORT` and return the new id; CodeTakenError if `code` is taken."""

    @abstractmethod
    async def _insert_photos(self, doing: str, report_id: int, photos: Sequence[str]) -> None:
        """Store the report's photos in order."""

    @abstractmethod
    async def _select_reports(self, where: str, params: Params) -> list[Report]:
        """The reports ``SELECT ... FROM reports {where}`` finds, with their photos."""

    # -- helpers ------------------------------------------------------------------------

    async def _lock_report(self, report_id: int) -> Row:
        """Lock the report's row until the transaction ends; its status and body."""
        row = await self._row(
            f"lock report {report_id}",
            "SELECT status, body FROM reports WHERE id = ?" + self._FOR_UPDATE,  # noqa: S608
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
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                report_id,
                self._encode_time(at),
                actor,
                None if from_status is None else Status(from_status).value,
                Status(to_status).value,
                note,
                kind,
                public,
            ),
        )

    def _report_from(self, row: Row, photos: Sequence[str]) -> Report:
        """A report from a row of `COLUMNS`."""
        decode = self._decode_time
        neighbour = None
        if row["neighbour_name"] is not None:
            neighbour = Neighbour(name=row["neighbour_name"], phone=row["neighbour_phone"])
        return Report(
            id=row["id"],
            code=row["code"],
            status=row["status"],
            filed_at=decode(row["filed_at"]),
            updated_at=decode(row["updated_at"]),
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
            photos=tuple(photos),
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
            public_text=row["public_text"],
            photos_public=bool(row["photos_public"]),
            end_note=row["end_note"],
            **{name: None if (at := row[name]) is None else decode(at) for name in PROGRESS},
        )


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
        new.public_text,
    )
