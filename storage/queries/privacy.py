"""Personal data: what is kept about a person, erasure, and retention.

Erasing keeps the reports (the public record of what went wrong where) but removes who
filed them: names, usernames, phones and Telegram ids become "(dihapus)" or nothing.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from datetime import datetime

from storage.queries.kaders import KaderQueries

ERASED = "(dihapus)"
ANONYMISE = (
    "UPDATE reports SET reporter_name = ?, reporter_username = NULL, reporter_phone = NULL, "
    "reporter_user_id = 0, reporter_chat_id = 0, "
    "neighbour_name = CASE WHEN neighbour_name IS NULL THEN NULL ELSE ? END, "
    "neighbour_phone = NULL "
)
"""The start of the UPDATE that anonymises reports; its parameters: ERASED, ERASED."""


class PrivacyQueries(KaderQueries):
    """The personal-data operations."""

    async def supported_codes(self, user_id: int) -> list[str]:
        """Codes of the reports this person supports. This is a read-only operation."""
        rows = await self._rows(
            "read supported reports",
            "SELECT r.code FROM report_supporters s JOIN reports r ON r.id = s.report_id "
            "WHERE s.user_id = ? ORDER BY s.supported_at, r.id",
            (user_id,),
        )
        return [str(row[0]) for row in rows]

    async def erase_person(self, user_id: int, chat_id: int) -> list[int]:
        """Erase a person's data; returns the ids of her (now anonymous) reports. Writes.

        Her reports stay, without her name, username, phone or Telegram id (nor her
        neighbours'); her conversation, kader registration, supports, queued and sent
        messages and message links are deleted, and so are the messages about her reports
        already sent to officers (`forget_messages_about`). Takes the chat's lock, like
        `load_conversation`.
        """
        await self._lock_chat(chat_id)
        rows = await self._rows(
            "anonymise reports",
            ANONYMISE + "WHERE reporter_user_id = ? RETURNING id",
            (ERASED, ERASED, user_id),
        )
        for statement, key in (
            ("DELETE FROM conversations WHERE chat_id = ?", chat_id),
            ("DELETE FROM kaders WHERE user_id = ?", user_id),
            ("UPDATE kader_invites SET used_by = 0 WHERE used_by = ?", user_id),
            ("DELETE FROM report_supporters WHERE user_id = ?", user_id),
            ("DELETE FROM outbox WHERE chat_id = ?", chat_id),
            ("DELETE FROM message_links WHERE chat_id = ?", chat_id),
            ("DELETE FROM blocked_chats WHERE chat_id = ?", chat_id),
        ):
            await self._execute("erase personal data", statement, (key,))
        report_ids = sorted(int(row[0]) for row in rows)
        await self.forget_messages_about(report_ids)
        return report_ids

    async def forget_messages_about(self, report_ids: Sequence[int]) -> int:
        """Delete the sent and failed outbox rows about these reports (officers' cards
        showed the reporter: their payloads must not outlive her data); pending ones go
        out as queued. Returns how many. This writes."""
        deleted = 0
        for start in range(0, len(report_ids), self._IDS_PER_QUERY):
            of_reports, params = self._in(
                "report_id", report_ids[start : start + self._IDS_PER_QUERY], "bigint"
            )
            deleted += await self._execute(
                "forget messages about erased reports",
                # Built from "?" marks; values are bound.
                f"DELETE FROM outbox WHERE {of_reports} AND state <> 'pending'",  # noqa: S608
                params,
            )
        return deleted

    @abstractmethod
    async def anonymise_closed_before(
        self, cutoff: datetime, limit: int | None = None
    ) -> list[int]:
        """Anonymise closed reports decided before `cutoff` (retention), at most `limit`
        of them (None: all); returns their ids, ascending. This writes.

        Each backend has its own statements, written for its planner.
        """
