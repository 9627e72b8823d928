"""What every page of the board needs: the store, the city's data, the clock, settings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from aiolimiter import AsyncLimiter

from flows.office import Office
from flows.report import Report
from flows.rules import Rules
from flows.state import Draft
from storage.base import Store
from web.figures import FiguresCache
from web.settings import WebSettings

Filer = Callable[[str, str, Draft], Awaitable[Report]]
"""Files a partner's report as the bot files a resident's: (partner id, partner name,
draft) -> the stored report, its card already queued for the officers
(`service.engine.Engine.file_for_partner`)."""


def utc_now() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


@dataclass
class Site:
    """The board's dependencies; one per web application."""

    store: Store
    rules: Rules
    office: Office
    settings: WebSettings = field(default_factory=WebSettings)
    clock: Callable[[], datetime] = utc_now
    filer: Filer | None = None  # None: read-only (`suara-warga web`), Open311 POST refused
    figures: FiguresCache = field(default_factory=FiguresCache)
    limiters: dict[str, AsyncLimiter] = field(default_factory=dict)  # Open311 POST, per key

    @property
    def at(self) -> tuple[str, int]:
        """Where the board listens: host and port."""
        return self.settings.host, self.settings.port

    def body_name(self, body_id: str) -> str:
        """An OPD's name, or its id when the catalogue no longer has it."""
        return next((b.name for b in self.rules.catalogue.bodies if b.id == body_id), body_id)

    def kind_label(self, kind_id: str | None) -> str | None:
        """A kind of problem's label."""
        if kind_id is None:
            return None
        return next((k.label for k in self.rules.catalogue.kinds if k.id == kind_id), kind_id)
