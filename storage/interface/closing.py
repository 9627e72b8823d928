"""What a transaction does for closing with evidence and the Ombudsman route."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from flows.closing import Closing


class ClosingOperations(Protocol):
    """Closing notes (pending a central check or confirmed) and Ombudsman notices."""

    async def save_closing(self, closing: Closing) -> None:
        """Store what the officers said they did (replacing an earlier one). Writes."""
        ...

    async def closing(self, report_id: int) -> Closing | None:
        """The report's closing, if any. This is a read-only operation."""
        ...

    async def confirm_closing(self, report_id: int) -> bool:
        """Mark a pending closing confirmed; False if none was pending. Writes."""
        ...

    async def drop_closing(self, report_id: int) -> bool:
        """Forget the report's closing (sent back); False if there was none. Writes."""
        ...

    async def reset_followup(self, report_id: int) -> None:
        """A reopened report is solved again: forget the last round's follow-up (when it
        was due and asked, and the answer) so the reporter is asked again. Writes."""
        ...

    async def claim_ombudsman_notice(self, report_id: int, reason: str, at: datetime) -> bool:
        """Record that the reporter is told of the Ombudsman route; False if she was
        told already (once per report). Writes."""
        ...

    async def ombudsman_notices(self, report_ids: Sequence[int]) -> dict[int, str]:
        """The reason each of these reports' reporter was told, for those told. Read-only."""
        ...
