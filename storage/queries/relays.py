"""Residents' messages to officers: how many went lately, and those held back.

A resident may cause only so many messages in an officers' group within a while
(`flows.relays`); what she writes beyond that waits in `held_relays` and goes later,
batched. Nothing she wrote is dropped: a held message leaves the table only in the
transaction that queues it for the officers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from storage.base import HeldRelay
from storage.queries.runner import Runner

RELAY = "relay"
"""The outbox purpose of a resident's message to officers (`Casework.tell_officers`)."""


class RelayQueries(Runner):
    """The relay-limit operations."""

    async def count_relays_since(self, user_id: int, since: datetime) -> int:
        """Messages about this person's reports queued to officers at or after `since`
        (outbox purpose "relay"). This is a read-only operation."""
        count = await self._value(
            "count relays",
            "SELECT count(*) FROM outbox o JOIN reports r ON r.id = o.report_id "
            "WHERE r.reporter_user_id = ? AND o.purpose = ? AND o.created_at >= ?",
            (user_id, RELAY, self._encode_time(since)),
        )
        return int(count) if count is not None else 0

    async def hold_relay(self, report_id: int, text: str, photo: str | None, at: datetime) -> int:
        """Keep a message for the officers until the limit allows it; its id. Writes."""
        held_id = await self._value(
            f"hold a message about report {report_id}",
            "INSERT INTO held_relays (report_id, text, photo, held_at) VALUES (?, ?, ?, ?) "
            "RETURNING id",
            (report_id, text, photo, self._encode_time(at)),
        )
        return int(held_id)

    async def held_relays(self, report_id: int) -> list[HeldRelay]:
        """The report's held messages, oldest first. This is a read-only operation."""
        rows = await self._rows(
            f"read held messages of report {report_id}",
            "SELECT id, report_id, text, photo, held_at FROM held_relays "
            "WHERE report_id = ? ORDER BY id",
            (report_id,),
        )
        return [
            HeldRelay(
                id=int(row[0]),
                report_id=int(row[1]),
                text=str(row[2]),
                photo=None if row[3] is None else str(row[3]),
                held_at=self._decode_time(row[4]),
            )
            for row in rows
        ]

    async def release_held_relays(self, held_ids: Sequence[int]) -> int:
        """Forget held messages that were just queued for the officers; how many. Writes."""
        released = 0
        for start in range(0, len(held_ids), self._IDS_PER_QUERY):
            of_ids, params = self._in("id", held_ids[start : start + self._IDS_PER_QUERY], "bigint")
            released += await self._execute(
                "release held messages",
                f"DELETE FROM held_relays WHERE {of_ids}",  # noqa: S608 - "?" marks only
                params,
            )
        return released

    async def reports_with_held_relays(self, limit: int = 100) -> list[int]:
        """Ids of reports with held messages, the longest waiting first. Read-only."""
        rows = await self._rows(
            "find held messages",
            "SELECT report_id FROM held_relays GROUP BY report_id ORDER BY min(id) LIMIT ?",
            (limit,),
        )
        return [int(row[0]) for row in rows]
