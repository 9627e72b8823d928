"""The outbox sender's lease: with several workers, only its holder sends.

Storage keeps one lease row (`Transaction.try_lead`); the holder renews it every third of
its length and stops sending a third before it would expire, so a send on the wire ends
before another worker may take over. A stop lets the lease lapse at once.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from storage.base import Store

__all__ = ["LEASE", "SENDER_LEASE", "SenderLease"]

log = logging.getLogger(__name__)

SENDER_LEASE = "outbox-sender"
LEASE = timedelta(seconds=15)
"""With several workers only the holder of the sender's lease sends (renewed every third)."""
_INSTANT = timedelta(microseconds=1)


@dataclass
class SenderLease:
    """One worker's hold on the sender's lease (`holder` None: the only sender, no lease)."""

    store: Store
    holder: str | None
    clock: Callable[[], datetime]
    lease: timedelta = LEASE
    _lead_until: datetime | None = field(init=False, default=None)

    def leading(self) -> bool:
        """Whether this process may send now (its lease has a safe while to run)."""
        lead = self._lead_until
        return self.holder is None or (lead is not None and self.clock() < lead)

    async def lead(self) -> bool:
        """Hold the sender's lease, renewing it every third of its length."""
        if self.holder is None:
            return True
        now = self.clock()
        if self._lead_until is not None and now < self._lead_until - self.lease / 3:
            return True
        try:
            async with self.store.transaction() as tx:
                leading = await tx.try_lead(SENDER_LEASE, self.holder, now, self.lease)
        except Exception:
            log.exception("renewing the sender's lease failed")
            leading = False
        took = (self.clock() - now).total_seconds()
        if took > self.lease.total_seconds() / 6:  # e.g. waiting for a lock or a connection
            log.warning("renewing the sender's lease took %.1f s", took)
        if self._lead_until is not None and not leading:  # e.g. this loop stalled
            renewed = self._lead_until - self.lease * 2 / 3
            log.warning(
                "the sender's lease is lost (last renewed %.1f s ago): another worker sends",
                (now - renewed).total_seconds(),
            )
        # Stop a third before expiry: a send on the wire must end before a takeover.
        self._lead_until = now + self.lease * 2 / 3 if leading else None
        return leading

    async def hand_over(self) -> None:
        """On a stop, let the lease lapse at once so another worker takes over."""
        if self.holder is None or self._lead_until is None:
            return
        self._lead_until = None
        with contextlib.suppress(Exception):
            async with self.store.transaction() as tx:
                await tx.try_lead(SENDER_LEASE, self.holder, self.clock(), _INSTANT)
