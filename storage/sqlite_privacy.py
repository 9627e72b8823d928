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

    async def anonymise_closed_before(self, cutoff: datetime) -> list[int]:
        """Anonymise closed reports decided before `cutoff` (retention); returns their ids.

        This writes.
        """
        rows = await self._rows(
            "find reports past retention",
            "SELECT id FROM reports WHERE status IN (?, ?, ?) AND decided_at < ? "
            "AND reporter_user_id != 0",
            (*_CLOSED, to_db_time(cutoff)),
        )
        report_ids = [int(row[0]) for row in rows]
        for report_id in report_ids:
            await self._write(
                "anonymise report", _ANONYMISE + "WHERE id = ?", (ERASED, ERASED, report_id)
            )
        return report_ids
