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
    chat_id: int | None = None,
) -> AsyncIterator[Transaction | None]:
    """A transaction for one update (`update_id` None: not from Telegram, nothing to
    claim); yields None, and writes nothing, when the update was already processed.
    `chat_id`: a resident's chat the update is about; it is unblocked and locked for the
    transaction as the update is claimed (`claim_chat_update`, one round trip).

    Usage::

        async with unit_of_work(store, update_id, now, wake) as tx:
            if tx is None:
                return
            ...
    """
    async with store.transaction() as tx:
        if update_id is None:
            if chat_id is not None:
                await tx.unblock_chat(chat_id)
        elif not await (
            tx.claim_update(update_id, now)
            if chat_id is None
            else tx.claim_chat_update(update_id, chat_id, now)
        ):
            log.info("update %s already processed, skipped", update_id)
            yield None
            return
        yield tx
    on_commit()
