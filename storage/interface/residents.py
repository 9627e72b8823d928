"""What a transaction does for residents' data: the kader registry, personal data and
its erasure, messages to officers held by the relay limit, privacy protections."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from flows.report import Privacy


@dataclass(frozen=True, slots=True)
class KaderRecord:
    """A verified kader and how many reports she filed for neighbours."""

    user_id: int
    name: str
    kelurahan: str
    active: bool
    reports: int


@dataclass(frozen=True, slots=True)
class HeldRelay:
    """A resident's message to officers, held back by the relay limit."""

    id: int
    report_id: int
    text: str
    photo: str | None
    held_at: datetime


class ResidentOperations(Protocol):
    """Kaders, personal data, held relays and privacy protections."""

    # -- kader registry -------------------------------------------------------------------

    async def create_kader_invite(
        self, token: str, name: str, kelurahan: str, *, created_by: int, at: datetime
    ) -> None:
        """Store a one-time invitation. This writes."""
        ...

    async def use_kader_invite(self, token: str, user_id: int, at: datetime) -> KaderRecord | None:
        """Turn an unused invitation into a verified kader; None if unknown or used. Writes."""
        ...

    async def kader(self, user_id: int) -> KaderRecord | None:
        """The kader with this Telegram user id, if registered. Read-only."""
        ...

    async def kaders(self) -> list[KaderRecord]:
        """Every registered kader, by kelurahan and name. Read-only."""
        ...

    async def set_kader_active(self, user_id: int, active: bool) -> bool:
        """(De)activate a kader; False if there is none. This writes."""
        ...

    # -- personal data ------------------------------------------------------------------

    async def supported_codes(self, user_id: int) -> list[str]:
        """Codes of the reports this person supports. Read-only."""
        ...

    async def forget_messages_about(self, report_ids: Sequence[int]) -> int:
        """Delete the sent and failed outbox rows about these reports (erasure,
        retention); returns how many. This writes."""
        ...

    async def erase_person(self, user_id: int, chat_id: int) -> list[int]:
        """Erase a person's data, keeping her reports anonymous; returns their ids. Writes."""
        ...

    async def anonymise_closed_before(
        self, cutoff: datetime, limit: int | None = None
    ) -> list[int]:
        """Anonymise closed reports decided before `cutoff`, at most `limit` of them (None:
        all); returns their ids, ascending. Writes."""
        ...

    # -- residents' messages to officers (the relay limit) ------------------------------

    async def count_relays_since(self, user_id: int, since: datetime) -> int:
        """Messages about this person's reports queued to officers (purpose "relay")
        at or after `since`. Read-only."""
        ...

    async def hold_relay(self, report_id: int, text: str, photo: str | None, at: datetime) -> int:
        """Keep a message for the officers until the limit allows it; its id. Writes."""
        ...

    async def held_relays(self, report_id: int) -> list[HeldRelay]:
        """The report's held messages, oldest first. Read-only."""
        ...

    async def release_held_relays(self, held_ids: Sequence[int]) -> int:
        """Forget held messages just queued for the officers; how many. Writes."""
        ...

    async def reports_with_held_relays(self, limit: int = 100) -> list[int]:
        """Ids of reports with held messages, the longest waiting first. Read-only."""
        ...

    # -- privacy (protections, public text) ----------------------------------------------

    async def add_protection(
        self, report_id: int, privacy: Privacy, *, actor: str, at: datetime
    ) -> None:
        """Give the report more protection. Writes."""
        ...

    async def set_public_text(self, report_id: int, text: str, *, actor: str, at: datetime) -> None:
        """An officer's public text, approved by writing it. Writes."""
        ...

    async def set_photos_public(self, report_id: int, *, actor: str, at: datetime) -> None:
        """An officer marked the report's photos public. Writes."""
        ...
