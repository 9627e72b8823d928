"""The storage contract: officers' lessons for the classifier."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Lesson:
    """One stored example: a report's text and the body or the kind officers gave it."""

    version: int
    text: str
    body: str | None
    kind: str | None


class LearningOperations(Protocol):
    """Routing and kind examples, numbered in commit order (`learning_version`)."""

    async def add_routing_example(
        self, text: str, body: str, at: datetime, report_id: int | None = None
    ) -> int:
        """Remember an officer-confirmed routing; returns its lesson number. This writes."""
        ...

    async def add_kind_example(
        self, text: str, kind: str, at: datetime, report_id: int | None = None
    ) -> int:
        """Remember an officer's kind correction; returns its lesson number. This writes."""
        ...

    async def learning_version(self) -> int:
        """The number of the newest committed lesson (0: none). Read-only."""
        ...

    async def lessons(self, after: int, upto: int, limit: int = 20000) -> list[Lesson]:
        """The newest `limit` lessons numbered after `after` up to `upto`, oldest first.
        Read-only."""
        ...
