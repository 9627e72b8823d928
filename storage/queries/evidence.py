"""Evidence beyond photos: the `report_evidence` table (`flows.evidence`).

Kept apart from the report's row and read only where it is shown (the card's copies,
`/dataku`), so reading a report costs no more. Deleted with the reporter's data.
"""

from __future__ import annotations

from collections.abc import Sequence

from flows.evidence import Evidence, EvidenceKind
from storage.queries.runner import Runner


class EvidenceQueries(Runner):
    """The evidence operations."""

    async def add_evidence(self, report_id: int, items: Sequence[Evidence]) -> None:
        """Keep a new report's evidence in the order sent. This writes."""
        for position, item in enumerate(items):
            await self._execute(
                f"add evidence to report {report_id}",
                "INSERT INTO report_evidence "
                "(report_id, position, kind, file_id, size, duration, mime_type) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    report_id,
                    position,
                    item.kind.value,
                    item.file_id,
                    item.size,
                    item.duration,
                    item.mime_type,
                ),
            )

    async def evidence_of(self, report_ids: Sequence[int]) -> dict[int, tuple[Evidence, ...]]:
        """The evidence of these reports, in order, by report id (reports without any are
        left out). This is a read-only operation."""
        found: dict[int, list[Evidence]] = {}
        for of_reports, params in self._chunks_of("report_id", report_ids):
            rows = await self._rows(
                "read report evidence",
                # Built from "?" marks; values are bound.
                "SELECT report_id, kind, file_id, size, duration, mime_type "  # noqa: S608
                f"FROM report_evidence WHERE {of_reports} ORDER BY report_id, position",
                params,
            )
            for row in rows:
                found.setdefault(int(row["report_id"]), []).append(
                    Evidence(
                        kind=EvidenceKind(row["kind"]),
                        file_id=row["file_id"],
                        size=row["size"],
                        duration=row["duration"],
                        mime_type=row["mime_type"],
                    )
                )
        return {report_id: tuple(items) for report_id, items in found.items()}

    async def forget_evidence(self, report_ids: Sequence[int]) -> int:
        """Delete the evidence of these reports (erasure, retention: a voice or a face
        tells who reported); returns how many items. This writes."""
        deleted = 0
        for of_reports, params in self._chunks_of("report_id", report_ids):
            deleted += await self._execute(
                "forget evidence of erased reports",
                # Built from "?" marks; values are bound.
                f"DELETE FROM report_evidence WHERE {of_reports}",  # noqa: S608
                params,
            )
        return deleted
