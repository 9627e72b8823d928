"""What a transaction does with evidence beyond photos (`flows.evidence`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from flows.evidence import Evidence


class EvidenceOperations(Protocol):
    """Voice notes, videos and files kept with reports."""

    async def add_evidence(self, report_id: int, items: Sequence[Evidence]) -> None:
        """Keep a new report's evidence in the order sent. Writes."""
        ...

    async def evidence_of(self, report_ids: Sequence[int]) -> dict[int, tuple[Evidence, ...]]:
        """The evidence of these reports by report id (none: left out). Read-only."""
        ...

    async def forget_evidence(self, report_ids: Sequence[int]) -> int:
        """Delete the evidence of these reports; how many items. Writes."""
        ...
