"""The statements that differ on SQLite: report inserts and photos, enqueue, retention.

Everything else is in `storage.queries`, shared with PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flows.report import Report
from storage.errors import StorageError
from storage.queries import Queries
from storage.queries.outbox import BLOCKED, NewMessage
from storage.queries.privacy import ANONYMISE, ERASED
from storage.queries.reports import COLUMNS, INSERT_REPORT
from storage.queries.routing import CLOSED_VALUES
from storage.queries.runner import Params
from storage.sqlite_core import SqliteRunner, to_db_time, translate_errors

PAST_RETENTION = (
    f"SELECT id FROM reports WHERE +status IN ({', '.join('?' * len(CLOSED_VALUES))}) "  # noqa: S608
    "AND decided_at < ? AND reporter_user_id <> 0 LIMIT ?"
)
"""Closed reports decided before a cutoff that still hold personal data, through the
partial index reports_live (m008): `reporter_user_id <> 0` is its condition, as a
literal, and `+status` keeps the planner from an index on status (without statistics
it walked every closed report)."""
_ENQUEUE = (
    "INSERT INTO outbox (chat_id, payload, purpose, report_id, lane, first_part, "
    "state, created_at, next_attempt_at, finished_at, last_error) "
    "SELECT ?1, ?2, ?3, ?4, ?5, ?6, CASE WHEN blocked THEN 'failed' ELSE 'pending' END, "
    "?7, ?7, CASE WHEN blocked THEN ?7 END, CASE WHEN blocked THEN ?8 END "
    "FROM (SELECT EXISTS (SELECT 1 FROM blocked_chats WHERE chat_id = ?1) AS blocked)"
)
"""As PostgreSQL's: whether the chat is blocked and the INSERT in one statement (a row
to a blocked chat is recorded as failed at once); numbered, ?1 and ?7 are used twice."""


class SqliteQueries(SqliteRunner, Queries):
    """The shared queries on SQLite, with its own versions of the statements that differ."""

    async def _insert_report_row(self, doing: str, code: str, params: Params) -> int:
        """Run the INSERT; a taken code fails it (the transaction stays usable)."""
        cursor = await self._statement(doing, INSERT_REPORT, params, report_code=code)
        row_id = cursor.lastrowid
        if row_id is None:  # pragma: no cover - sqlite sets it after every INSERT
            raise StorageError(f"{doing}: the database returned no row id")
        return row_id

    async def _insert_photos(self, doing: str, report_id: int, photos: Sequence[str]) -> None:
        """One row per photo, in one executemany."""
        self._check_open(doing)
        if photos:
            with translate_errors(doing):
                await self._conn.executemany(
                    "INSERT INTO report_photos (report_id, position, file_id) VALUES (?, ?, ?)",
                    [(report_id, position, file_id) for position, file_id in enumerate(photos)],
                )

    async def _select_reports(self, where: str, params: Params) -> list[Report]:
        """The reports, then their photos in a second query."""
        # `where` is always a literal of storage.queries; values are bound.
        sql = f"SELECT {COLUMNS} FROM reports {where}"  # noqa: S608
        rows = await self._rows("read reports", sql, params)
        photos = await self._photos_of([int(row["id"]) for row in rows])
        return [self._report_from(row, photos.get(int(row["id"]), ())) for row in rows]

    async def _photos_of(self, report_ids: list[int]) -> dict[int, tuple[str, ...]]:
        if not report_ids:
            return {}
        of_reports, params = self._in("report_id", report_ids, "bigint")
        rows = await self._rows(
            "read report photos",
            f"SELECT report_id, file_id FROM report_photos WHERE {of_reports} "  # noqa: S608
            "ORDER BY report_id, position",
            params,
        )
        photos: dict[int, list[str]] = {}
        for row in rows:
            photos.setdefault(int(row["report_id"]), []).append(str(row["file_id"]))
        return {report_id: tuple(files) for report_id, files in photos.items()}

    async def _insert_message(self, message: NewMessage, now: datetime) -> int:
        """One INSERT that checks the block itself (`_ENQUEUE`); the new id is its lastrowid."""
        at = to_db_time(now)
        m = message
        doing = f"enqueue a message to chat {m.chat_id}"
        params = (m.chat_id, m.payload, m.purpose, m.report_id, m.lane, m.first_part, at, BLOCKED)
        row_id = (await self._statement(doing, _ENQUEUE, params)).lastrowid
        if row_id is None:  # pragma: no cover - sqlite sets it after every INSERT
            raise StorageError(f"{doing}: the database returned no row id")
        return row_id

    async def anonymise_closed_before(
        self, cutoff: datetime, limit: int | None = None
    ) -> list[int]:
        """Anonymise closed reports decided before `cutoff` (retention), at most `limit`
        of them (None: all); returns their ids, ascending. This writes.

        The ids first (`PAST_RETENTION`), then UPDATEs of at most `_IDS_PER_QUERY` each.
        """
        rows = await self._rows(
            "find reports past retention",
            PAST_RETENTION,
            (*CLOSED_VALUES, to_db_time(cutoff), self._NO_LIMIT if limit is None else limit),
        )
        report_ids = sorted(int(row[0]) for row in rows)
        await self._forget_words_of(report_ids)
        await self._forget_supporters_of(report_ids)
        for of_reports, params in self._chunks_of("id", report_ids):
            await self._clear_people_from_public_texts(of_reports, params)
            await self._execute(
                "anonymise reports past retention",
                ANONYMISE + f"WHERE {of_reports}",
                (ERASED, ERASED, *params),
            )
        return report_ids
