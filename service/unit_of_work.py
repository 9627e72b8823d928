"""One update, one transaction: the unit of work every writer of the service layer uses.

`unit_of_work` claims the update id first, so a redelivered update finds it claimed
and changes nothing (the block receives None); otherwise the block gets the
transaction, and `on_commit` runs once it has committed (it wakes the outbox sender).
Changes and the messages they cause commit together or not at all.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from storage.base import Store, Transaction

log = logging.getLogger(__name__)


@asynccontextmanager
async def unit_of_work(
    store: Store,
    update_id: int | None,
    now: datetime,
    on_commit: Callable[[], None] = lambda: None,
) -> AsyncIterator[Transaction | None]:
    """A transaction for one update (`update_id` None: not from Telegram, nothing to
    claim); yields None, and writes nothing, when the update was already processed.

    Usage::

        async with unit_of_work(store, update_id, now, wake) as tx:
            if tx is None:
                return
            ...
    """
    async with store.transaction() as tx:
        if update_id is not None and not await tx.claim_update(update_id, now):
            log.info("update %s already processed, skipped", update_id)
            yield None
            return
        yield tx
    on_commit()
