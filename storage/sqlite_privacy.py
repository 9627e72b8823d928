"""Personal data in SQLite: what is kept about a person, erasure, and retention.

Erasing keeps the reports (the public record of what went wrong where) but removes who
filed them: names, usernames, phones and Telegram ids become "(dihapus)" or nothing.
"""

from __future__ import annotations

from datetime import datetime

from flows.report import CLOSED
from storage.sqlite_core import to_db_time
from storage.sqlite_kaders import KaderQueries

ERASED = "(dihapus)"
_ANONYMISE = (
    "UPDATE reports SET reporter_name = ?, reporter_username = NULL, reporter_phone = NULL, "
    "reporter_user_id = 0, reporter_chat_id = 0, "
    "neighbour_name = CASE WHEN neighbour_name IS NULL THEN NULL ELSE ? END, "
    "neighbour_phone = NULL "
)
_CLOSED = tuple(status.value for status in CLOSED)
PAST_RETENTION = (
    "SELECT id FROM reports WHERE +status IN (?, ?, ?) AND decided_at < ? "
    "AND reporter_user_id <> 0 LIMIT ?"
)
"""Closed reports decided before a cutoff that still hold personal data, through the
partial index reports_live (m008): `reporter_user_id <> 0` is its condition, as a
literal, and `+status` keeps the planner from an index on status (without statistics
it walked every closed report)."""


class PrivacyQueries(KaderQueries):
    """The personal-data operations of a SQLite transaction."""

    async def supported_codes(self, user_id: int) -> list[str]:
        """Codes of the reports this person supports. This is a read-only operation."""
        rows = await self._rows(
            "read supported reports",
            "SELECT r.code FROM report_supporters s JOIN reports r ON r.id = s.report_id "
            "WHERE s.user_id = ? ORDER BY s.supported_at",
            (user_id,),
        )
        return [str(row[0]) for row in rows]

    async def erase_person(self, user_id: int, chat_id: int) -> list[int]:
        """Erase a person's data; returns the ids of her (now anonymous) reports. Writes.

        Her reports stay, without her name, username, phone or Telegram id (nor her
        neighbours'); her conversation, kader registration, supports, queued and sent
        messages and message links are deleted.
        """
        rows = await self._rows(
            "find reports to erase",
            "SELECT id FROM reports WHERE reporter_user_id = ?",
            (user_id,),
        )
        report_ids = [int(row[0]) for row in rows]
        await self._write(
            "anonymise reports",
            _ANONYMISE + "WHERE reporter_user_id = ?",
            (ERASED, ERASED, user_id),
        )
        for statement, params in (
            ("DELETE FROM conversations WHERE chat_id = ?", (chat_id,)),
            ("DELETE FROM kaders WHERE user_id = ?", (user_id,)),
            ("UPDATE kader_invites SET used_by = 0 WHERE used_by = ?", (user_id,)),
            ("DELETE FROM report_supporters WHERE user_id = ?", (user_id,)),
            ("DELETE FROM outbox WHERE chat_id = ?", (chat_id,)),
            ("DELETE FROM message_links WHERE chat_id = ?", (chat_id,)),
            ("DELETE FROM blocked_chats WHERE chat_id = ?", (chat_id,)),
        ):
            await self._write("erase personal data", statement, params)
        return report_ids

    async def anonymise_closed_before(
        self, cutoff: datetime, limit: int | None = None
    ) -> list[int]:
        """Anonymise closed reports decided before `cutoff` (retention), at most `limit`
        of them (None: all); returns their ids, ascending. This writes.
        """
        rows = await self._rows(
            "find reports past retention",
            PAST_RETENTION,
            (*_CLOSED, to_db_time(cutoff), -1 if limit is None else limit),
        )
        report_ids = sorted(int(row[0]) for row in rows)
        for start in range(0, len(report_ids), _IDS_PER_UPDATE):
            chunk = report_ids[start : start + _IDS_PER_UPDATE]
            await self._write(
                "anonymise reports past retention",
                _ANONYMISE + f"WHERE id IN ({', '.join('?' * len(chunk))})",
                (ERASED, ERASED, *chunk),
            )
        return report_ids


_IDS_PER_UPDATE = 500
"""Ids bound in one ``IN (...)`` (SQLite allows 999 parameters before 3.32)."""
