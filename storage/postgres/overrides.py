"""The statements that differ on PostgreSQL: report inserts and photos, enqueue, retention.

Everything else is in `storage.queries`, shared with SQLite. A failed statement aborts
a PostgreSQL transaction, so an insert that may conflict says ``ON CONFLICT``; and a
statement can return what it changed (``RETURNING``), which saves round trips.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flows.report import Report
from storage.base import SentMark
from storage.errors import CodeTakenError, NotFoundError
from storage.postgres.steps import OUTBOX_CHANNEL, PostgresSteps
from storage.queries.outbox import BLOCKED, LINK_CONFLICT, MARK_SENT, NewMessage
from storage.queries.privacy import ANONYMISE, ERASED
from storage.queries.reports import COLUMNS, INSERT_REPORT
from storage.queries.routing import CLOSED_VALUES
from storage.queries.runner import Params
from storage.timestamps import utc

LEARNING_CHANNEL = "suara_warga_learning"
"""Notified when a transaction that added a lesson for the classifier commits
(`PostgresStore.learning_wakeups`)."""

# The photos come along in the same query, in order.
_REPORTS = (
    f"SELECT {COLUMNS}, ARRAY(SELECT file_id FROM report_photos p "  # noqa: S608
    "WHERE p.report_id = reports.id ORDER BY position) AS photos FROM reports "
)
_ENQUEUE = (
    "WITH queued AS (INSERT INTO outbox (chat_id, payload, purpose, report_id, lane, "
    "first_part, state, created_at, next_attempt_at, finished_at, last_error) "
    "SELECT $1::bigint, $2::text, $3::text, $4::bigint, $8::smallint, $9::bigint, "
    "CASE WHEN blocked THEN 'failed' ELSE 'pending' END, $5::timestamptz, $5, "
    "CASE WHEN blocked THEN $5 END, CASE WHEN blocked THEN $6::text END "
    "FROM (SELECT EXISTS (SELECT 1 FROM blocked_chats WHERE chat_id = $1) AS blocked) "
    "AS chat RETURNING id) "
    # The sender in another process hears of it (at commit; once per transaction).
    "SELECT queued.id FROM queued, pg_notify($7, $10::text) AS notified"
)
"""Numbered by hand: $1 and $5 are used more than once. The notice's payload names the
store that queued (`PostgresQueries._notify_as`): its own sender was woken at commit
already (`on_commit`) and ignores it."""
_MARK_SENT = (
    f"WITH sent AS ({MARK_SENT}), "  # noqa: S608 - constants
    "linked AS (INSERT INTO message_links (chat_id, message_id, report_id, purpose, first_part) "
    "SELECT chat_id, ?::bigint, report_id, purpose, first_part FROM sent "
    f"WHERE report_id IS NOT NULL AND ?::bigint IS NOT NULL{LINK_CONFLICT}) "
    "SELECT count(*) FROM sent"
)
"""The sent mark and the message's link to its report in one round trip (two on
SQLite, where a statement costs no trip); scalar parameters, so its plan is cached
like any prepared statement's (unlike the arrays of a batch, §13)."""


def _mark_params(mark: SentMark) -> Params:
    """`_MARK_SENT`'s parameters (the Telegram id thrice: the mark, then the link)."""
    tid = mark.telegram_message_id
    return (utc(mark.at), tid, mark.outbox_id, tid, tid)


class PostgresQueries(PostgresSteps):
    """The shared queries on PostgreSQL, with its own versions of the statements that
    differ (those of a resident's step in `storage.postgres.steps`)."""

    async def _insert_report_row(self, doing: str, code: str, params: Params) -> int:
        """ON CONFLICT DO NOTHING: a taken code leaves the transaction usable."""
        report_id = await self._value(
            doing, INSERT_REPORT + " ON CONFLICT (code) DO NOTHING RETURNING id", params
        )
        if report_id is None:
            raise CodeTakenError(code)
        assert isinstance(report_id, int)
        return report_id

    async def _insert_photos(self, doing: str, report_id: int, photos: Sequence[str]) -> None:
        """All photos in one statement, numbered from the array's order."""
        await self._execute(
            doing,
            "INSERT INTO report_photos (report_id, position, file_id) "
            "SELECT ?, ordinality - 1, file_id "
            "FROM unnest(?::text[]) WITH ORDINALITY AS photo (file_id, ordinality)",
            (report_id, list(photos)),
        )

    async def _select_reports(self, where: str, params: Params) -> list[Report]:
        """The reports with their photos, in one query."""
        rows = await self._rows("read reports", _REPORTS + where, params)
        return [self._report_from(row, row["photos"]) for row in rows]

    async def _insert_message(self, message: NewMessage, now: datetime) -> int:
        """One statement checks the block, inserts and notifies the sender."""
        m = message
        params = (m.chat_id, m.payload, m.purpose, m.report_id, utc(now), BLOCKED)
        outbox_id = await self._value(
            f"enqueue a message to chat {m.chat_id}",
            _ENQUEUE,
            (*params, OUTBOX_CHANNEL, m.lane, m.first_part, self._notify_as),
        )
        assert isinstance(outbox_id, int)
        return outbox_id

    async def mark_sent(
        self, outbox_id: int, *, telegram_message_id: int | None, now: datetime
    ) -> None:
        """One statement (`_MARK_SENT`); the contract is the shared one's."""
        found = await self._value(
            f"mark message {outbox_id} sent",
            _MARK_SENT,
            _mark_params(SentMark(outbox_id, telegram_message_id, now)),
        )
        if not found:
            raise NotFoundError(f"no outbox message {outbox_id}")

    async def mark_all_sent(self, marks: Sequence[SentMark]) -> None:
        """`_MARK_SENT` once per mark in one round trip (asyncpg's ``executemany``: the
        binds pipelined, atomic); a missing row matches nothing and is skipped."""
        if not marks:
            return
        rows = [_mark_params(mark) for mark in marks]
        await self._execute_many(f"mark {len(marks)} messages sent", _MARK_SENT, rows)

    async def _announce_lesson(self) -> None:
        """NOTIFY is delivered at commit, and not at all after a rollback."""
        await self._execute("announce a lesson", "SELECT pg_notify(?, '')", (LEARNING_CHANNEL,))

    async def anonymise_closed_before(
        self, cutoff: datetime, limit: int | None = None
    ) -> list[int]:
        """Anonymise closed reports decided before `cutoff` (retention), at most `limit`
        of them (None: all); returns their ids, ascending. This writes.

        The ids first (locked), then their public texts are cleared of the people's
        names, then one UPDATE.
        """
        rows = await self._rows(
            "find reports past retention",
            # `reporter_user_id <> 0` as a literal is the condition of the partial index
            # reports_live (m008). LIMIT NULL is no limit.
            "SELECT id FROM reports WHERE status = ANY(?::text[]) "
            "AND decided_at < ? AND reporter_user_id <> 0 LIMIT ? FOR UPDATE",
            (CLOSED_VALUES, utc(cutoff), limit),
        )
        report_ids = sorted(int(row[0]) for row in rows)
        if not report_ids:
            return []
        await self._clear_people_from_public_texts("id = ANY(?::bigint[])", (report_ids,))
        await self._forget_words_of(report_ids)
        await self._forget_supporters_of(report_ids)
        await self._execute(
            "anonymise reports past retention",
            ANONYMISE + "WHERE id = ANY(?::bigint[])",
            (ERASED, ERASED, report_ids),
        )
        return report_ids
