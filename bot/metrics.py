"""Prometheus metrics of one bot process (its own registry: no global state)."""

from __future__ import annotations

from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest

from storage.base import Store


class Metrics:
    """Updates processed and given up on, outbox depth and age, sends by result,
    deadlines missed."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.updates = Counter(
            "suara_warga_updates",
            "Telegram updates processed",
            ["source"],
            registry=self.registry,
        )
        self.dead_letters = Counter(
            "suara_warga_dead_letters",
            "Updates given up on after failing again and again (see the dead_letters table)",
            registry=self.registry,
        )
        self.sends = Counter(
            "suara_warga_sends", "Outbox messages by result", ["result"], registry=self.registry
        )
        self.deadlines_missed = Counter(
            "suara_warga_deadlines_missed",
            "Escalations of missed deadlines",
            registry=self.registry,
        )
        self.outbox_pending = Gauge(
            "suara_warga_outbox_pending", "Messages waiting in the outbox", registry=self.registry
        )
        self.outbox_oldest_seconds = Gauge(
            "suara_warga_outbox_oldest_seconds",
            "Age of the oldest waiting message",
            registry=self.registry,
        )
        self.outbox_failed = Gauge(
            "suara_warga_outbox_failed",
            "Messages Telegram refused for good",
            registry=self.registry,
        )

    async def refresh(self, store: Store, now: datetime) -> None:
        """Read the outbox gauges from the database (every process sees the same)."""
        async with store.transaction() as tx:
            stats = await tx.outbox_stats(now)
        self.outbox_pending.set(stats.pending)
        self.outbox_oldest_seconds.set(stats.oldest_pending_age_seconds or 0.0)
        self.outbox_failed.set(stats.failed)

    def render(self) -> bytes:
        """The text exposition format."""
        return generate_latest(self.registry)
