"""Closing with evidence (`closings`) and the Ombudsman notices, for both backends."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flows.closing import Closing
from storage.queries.runner import Runner

PENDING = "pending"
CONFIRMED = "confirmed"


class ClosingQueries(Runner):
    """See `storage.interface.closing.ClosingOperations`."""

    async def save_closing(self, closing: Closing) -> None:
        """Store what the officers said they did (replacing an earlier one). Writes."""
        await self._execute(
            f"save the closing of report {closing.report_id}",
            "INSERT INTO closings (report_id, note, photo, unit, actor, said_at, state) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (report_id) DO UPDATE SET "
            "note = excluded.note, photo = excluded.photo, unit = excluded.unit, "
            "actor = excluded.actor, said_at = excluded.said_at, state = excluded.state",
            (
                closing.report_id,
                closing.note,
                closing.photo,
                closing.unit,
                closing.actor,
                self._encode_time(closing.said_at),
                PENDING if closing.pending else CONFIRMED,
            ),
        )

    async def closing(self, report_id: int) -> Closing | None:
        """The report's closing, if any. This is a read-only operation."""
        row = await self._row(
            f"read the closing of report {report_id}",
            "SELECT report_id, note, photo, unit, actor, said_at, state FROM closings "
            "WHERE report_id = ?",
            (report_id,),
        )
        if row is None:
            return None
        return Closing(
            report_id=int(row[0]),
            note=str(row[1]),
            photo=None if row[2] is None else str(row[2]),
            unit=str(row[3]),
            actor=str(row[4]),
            said_at=self._decode_time(row[5]),
            pending=row[6] == PENDING,
        )

    async def confirm_closing(self, report_id: int) -> bool:
        """Mark a pending closing confirmed; False if none was pending. Writes."""
        changed = await self._execute(
            f"confirm the closing of report {report_id}",
            "UPDATE closings SET state = ? WHERE report_id = ? AND state = ?",
            (CONFIRMED, report_id, PENDING),
        )
        return changed == 1

    async def drop_closing(self, report_id: int) -> bool:
        """Forget the report's closing (sent back); False if there was none. Writes."""
        dropped = await self._execute(
            f"drop the closing of report {report_id}",
            "DELETE FROM closings WHERE report_id = ?",
            (report_id,),
        )
        return dropped == 1

    async def reset_followup(self, report_id: int) -> None:
        """A reopened report is solved again: forget the last round's follow-up (when it
        was due and asked, and the answer) so the reporter is asked again. Writes."""
        await self._execute(
            f"reset the follow-up of report {report_id}",
            "UPDATE reports SET followup_due_at = NULL, followup_asked_at = NULL, "
            "followup_answer = NULL WHERE id = ?",
            (report_id,),
        )

    async def claim_ombudsman_notice(self, report_id: int, reason: str, at: datetime) -> bool:
        """Record that the reporter is told of the Ombudsman route; False if she was
        told already (once per report). Writes."""
        added = await self._execute(
            f"claim the Ombudsman notice of report {report_id}",
            "INSERT INTO ombudsman_notices (report_id, reason, told_at) VALUES (?, ?, ?) "
            "ON CONFLICT (report_id) DO NOTHING",
            (report_id, reason, self._encode_time(at)),
        )
        return added == 1

    async def ombudsman_notices(self, report_ids: Sequence[int]) -> dict[int, str]:
        """The reason each of these reports' reporter was told, for those told. Read-only."""
        told: dict[int, str] = {}
        for of_reports, params in self._chunks_of("report_id", report_ids):
            rows = await self._rows(
                "read Ombudsman notices",
                f"SELECT report_id, reason FROM ombudsman_notices WHERE {of_reports}",  # noqa: S608
                params,
            )
            told.update({int(row[0]): str(row[1]) for row in rows})
        return told
