"""Personal data in PostgreSQL: what is kept about a person, erasure, and retention.

Erasing keeps the reports (the public record of what went wrong where) but removes who
filed them: names, usernames, phones and Telegram ids become "(dihapus)" or nothing.
"""

from __future__ import annotations

from datetime import datetime

from storage.postgres.core import utc
from storage.postgres.kaders import KaderQueries
from storage.postgres.routing import CLOSED_VALUES

ERASED = "(dihapus)"
# The UPDATE returns the ids it changed; the outer SELECT gives them in id order.
_ANONYMISE = (
    "WITH erased AS (UPDATE reports SET reporter_name = $1, reporter_username = NULL, "
    "reporter_phone = NULL, reporter_user_id = 0, reporter_chat_id = 0, "
    "neighbour_name = CASE WHEN neighbour_name IS NULL THEN NULL ELSE $1 END, "
    "neighbour_phone = NULL "
)
_RETURN_IDS = " RETURNING id) SELECT id FROM erased ORDER BY id"


class PrivacyQueries(KaderQueries):
    """The personal-data operations of a PostgreSQL transaction."""

    async def supported_codes(self, user_id: int) -> list[str]:
        """Codes of the reports this person supports. This is a read-only operation."""
        rows = await self._rows(
            "read supported reports",
            "SELECT r.code FROM report_supporters s JOIN reports r ON r.id = s.report_id "
            "WHERE s.user_id = $1 ORDER BY s.supported_at, r.id",
            (user_id,),
        )
        return [str(row[0]) for row in rows]

    async def erase_person(self, user_id: int, chat_id: int) -> list[int]:
        """Erase a person's data; returns the ids of her (now anonymous) reports. Writes.

        Her reports stay, without her name, username, phone or Telegram id (nor her
        neighbours'); her conversation, kader registration, supports, queued and sent
        messages and message links are deleted. Takes the chat's lock, like
        `load_conversation`.
        """
        await self._lock_chat(chat_id)
        rows = await self._rows(
            "anonymise reports",
            _ANONYMISE + "WHERE reporter_user_id = $2" + _RETURN_IDS,
            (ERASED, user_id),
        )
        for statement, key in (
            ("DELETE FROM conversations WHERE chat_id = $1", chat_id),
            ("DELETE FROM kaders WHERE user_id = $1", user_id),
            ("UPDATE kader_invites SET used_by = 0 WHERE used_by = $1", user_id),
            ("DELETE FROM report_supporters WHERE user_id = $1", user_id),
            ("DELETE FROM outbox WHERE chat_id = $1", chat_id),
            ("DELETE FROM message_links WHERE chat_id = $1", chat_id),
            ("DELETE FROM blocked_chats WHERE chat_id = $1", chat_id),
        ):
            await self._execute("erase personal data", statement, (key,))
        return [int(row[0]) for row in rows]

    async def anonymise_closed_before(
        self, cutoff: datetime, limit: int | None = None
    ) -> list[int]:
        """Anonymise closed reports decided before `cutoff` (retention), at most `limit`
        of them (None: all); returns their ids, ascending. This writes.
        """
        rows = await self._rows(
            "anonymise reports past retention",
            # `reporter_user_id <> 0` as a literal is the condition of the partial index
            # reports_live (m008). LIMIT NULL is no limit.
            _ANONYMISE  # noqa: S608 - constants of this module; values are bound
            + "WHERE id IN (SELECT id FROM reports WHERE status = ANY($2::text[]) "
            "AND decided_at < $3 AND reporter_user_id <> 0 LIMIT $4)" + _RETURN_IDS,
            (ERASED, CLOSED_VALUES, utc(cutoff), limit),
        )
        return [int(row[0]) for row in rows]
