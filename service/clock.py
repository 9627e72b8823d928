"""The wall clock of the service layer (flows/ never reads it: it is handed the time)."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)
