"""Personal data: what is kept about a person, erasure, and retention.

Erasing keeps the reports (the public record of what went wrong where) but removes who
filed them: names, usernames, phones and Telegram ids become "(dihapus)" or nothing,
and are masked out of the public text; her words go too (`storage.queries.erasure`).
Officers' privacy decisions (adding a
protection, the public text, public photos) are here too.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from datetime import datetime

from flows.report import Privacy
from storage.proposals import PROPOSAL_SOURCE, proposal_of
from storage.queries.erasure import ErasureQueries
from storage.queries.kaders import KaderQueries
from storage.queries.runner import Params

ERASED = "(dihapus)"
ANONYMISE = (
    "UPDATE reports SET reporter_name = ?, reporter_username = NULL, reporter_phone = NULL, "
    "reporter_user_id = 0, reporter_chat_id = 0, "
    "neighbour_name = CASE WHEN neighbour_name IS NULL THEN NULL ELSE ? END, "
    "neighbour_phone = NULL "
)
"""The start of the UPDATE that anonymises reports; its parameters: ERASED, ERASED."""


class PrivacyQueries(ErasureQueries, KaderQueries):
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
        neighbours') and without her words (`_forget_words_of`); her conversation, kader
        registration, supports, queued and sent messages and message links are deleted,
        and so are the messages about her reports already sent to officers
        (`forget_messages_about`). Takes the chat's lock, like
        `load_conversation`.
        """
        await self._lock_chat(chat_id)
        await self._clear_people_from_public_texts("reporter_user_id = ?", (user_id,))
        own = await self._rows(
            "read reports to erase", "SELECT id FROM reports WHERE reporter_user_id = ?", (user_id,)
        )
        await self._forget_words_of([int(row[0]) for row in own])
        rows = await self._rows(
            "anonymise reports",
            ANONYMISE + "WHERE reporter_user_id = ? RETURNING id",
            (ERASED, ERASED, user_id),
        )
        await self._execute(
            "erase a kader's invitation",
            "UPDATE kader_invites SET name = ?, used_by = 0 WHERE used_by = ?",
            (ERASED, user_id),
        )
        for statement, key in (
            ("DELETE FROM conversations WHERE chat_id = ?", chat_id),
            ("DELETE FROM kaders WHERE user_id = ?", user_id),
            ("DELETE FROM report_supporters WHERE user_id = ?", user_id),
            ("DELETE FROM outbox WHERE chat_id = ?", chat_id),
            ("DELETE FROM message_links WHERE chat_id = ?", chat_id),
            ("DELETE FROM blocked_chats WHERE chat_id = ?", chat_id),
            ("DELETE FROM backlog_notices WHERE chat_id = ?", chat_id),
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
        for of_reports, params in self._chunks_of("report_id", report_ids):
            deleted += await self._execute(
                "forget messages about erased reports",
                # Built from "?" marks; values are bound.
                f"DELETE FROM outbox WHERE {of_reports} AND state <> 'pending'",  # noqa: S608
                params,
            )
        return deleted

    async def add_protection(
        self, report_id: int, privacy: Privacy, *, actor: str, at: datetime
    ) -> None:
        """Give the report more protection (`Privacy.adding`), with an internal history
        line. This writes."""
        await self._lock_report(report_id)
        await self._execute(
            f"protect report {report_id}",
            "UPDATE reports SET privacy = ? WHERE id = ?",
            (Privacy(privacy).value, report_id),
        )
        await self.add_note(
            report_id, kind="privacy", actor=actor, at=at, note=f"privasi: {privacy}", public=False
        )

    async def set_public_text(self, report_id: int, text: str, *, actor: str, at: datetime) -> None:
        """An officer's public text, approved by writing it (`public_at`). This writes."""
        await self._lock_report(report_id)
        await self._execute(
            f"set public text of report {report_id}",
            "UPDATE reports SET public_text = ?, public_at = COALESCE(public_at, ?) WHERE id = ?",
            (text, self._encode_time(at), report_id),
        )
        await self.add_note(
            report_id, kind="public_text", actor=actor, at=at, note=text, public=False
        )

    async def set_photos_public(self, report_id: int, *, actor: str, at: datetime) -> None:
        """An officer marked the report's photos public. This writes."""
        await self._lock_report(report_id)
        await self._execute(
            f"make photos of report {report_id} public",
            "UPDATE reports SET photos_public = ? WHERE id = ?",
            (True, report_id),
        )
        await self.add_note(
            report_id, kind="privacy", actor=actor, at=at, note="foto publik", public=False
        )

    async def _clear_people_from_public_texts(self, where: str, params: Params) -> None:
        """Mask the names and numbers of the reports' people out of their public texts,
        before erasure removes them (an officer may have typed one back in)."""
        rows = await self._rows(
            "read public texts to clear",
            # `where` is a literal of this package; values are bound.
            f"SELECT {PROPOSAL_SOURCE}, public_text FROM reports "  # noqa: S608
            f"WHERE public_text IS NOT NULL AND {where}",
            params,
        )
        for row in rows:
            values = [row[i] for i in range(len(PROPOSAL_SOURCE.split(",")))]
            public_text = str(row["public_text"])
            cleared = proposal_of(values, public_text)
            if cleared != public_text:
                await self._execute(
                    "clear names from a public text",
                    "UPDATE reports SET public_text = ? WHERE id = ?",
                    (cleared, values[0]),
                )

    @abstractmethod
    async def anonymise_closed_before(
        self, cutoff: datetime, limit: int | None = None
    ) -> list[int]:
        """Anonymise closed reports decided before `cutoff` (retention), at most `limit`
        of them (None: all); returns their ids, ascending. This writes.

        Each backend has its own statements, written for its planner.
        """
