"""The outbox sender's records of outcomes, written several to a transaction.

Each send ends with a small write (sent, retry, failed, blocked). One transaction each
cost more than the write itself (on SQLite a commit and its fsync, on PostgreSQL a
connection, BEGIN and COMMIT): under load the records that arrive while one
transaction is written go together into the next. Each caller still waits until its
own record is committed, so a chat keeps its message in flight until then and a
message Telegram accepted is never read as pending again.

A record that fails for another reason than a busy database fails only itself: after
a failed batch each of its records is written alone. A busy database (SQLite's write
lock held by another process) is waited out, as before, record by record or batch.

A record may come with another way to write it (`write`'s `together`): a batch of
nothing but records with the same `Together.write` is written by one call of it with
all their items, e.g. the store's `mark_all_sent`, on PostgreSQL one round trip for
any number of sent marks (a transaction of N marks took N + 2).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from storage.base import Store, Transaction
from storage.errors import BusyError

log = logging.getLogger(__name__)

Record = Callable[[Transaction], Awaitable[object]]


@dataclass(frozen=True)
class Together:
    """A record's other way: `write` takes the `item`s of every record of the batch
    that has this same `write`, as a unit of work of its own (committed when it
    returns)."""

    write: Callable[[list[Any]], Awaitable[object]]
    item: Any


_Queued = tuple[Record, "Together | None", "asyncio.Future[None]"]

BUSY_RETRY_FIRST = 0.05
BUSY_RETRY_MOST = 2.0
"""Seconds between attempts to write while the database is locked."""


@dataclass
class WriteBatch:
    """Writes records (see the module docstring); `write` returns once its record is
    committed, or raises what writing it alone raised."""

    store: Store
    _queue: list[_Queued] = field(init=False, default_factory=list)
    _writer: asyncio.Task[None] | None = field(init=False, default=None)

    async def write(self, record: Record, together: Together | None = None) -> None:
        """Write `record` in a transaction, perhaps with others; in a batch whose every
        record has the same `together.write`, by that."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.append((record, together, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain())
        await done

    def cancel(self) -> None:
        """Stop writing (a crash): queued records are dropped, their writers cancelled."""
        if self._writer is not None:
            self._writer.cancel()
        for *_, done in self._queue:
            done.cancel()
        self._queue.clear()

    async def _drain(self) -> None:
        """Write what is queued, batch after batch, until nothing is."""
        try:
            while self._queue:
                batch, self._queue = self._queue, []
                await self._write_batch(batch)
        except asyncio.CancelledError:
            for *_, done in self._queue:
                done.cancel()
            raise

    async def _write_batch(self, batch: list[_Queued]) -> None:
        try:
            await self._write_each(batch)
        except asyncio.CancelledError:
            for *_, done in batch:
                done.cancel()
            raise

    async def _write_each(self, batch: list[_Queued]) -> None:
        """The batch in one transaction; if that fails, each record alone."""
        try:
            await _until_written(self.store, [(record, way) for record, way, _ in batch])
        except Exception as exc:
            if len(batch) == 1:
                _settle(batch[0][2], exc)
                return
            for record, way, done in batch:
                try:
                    await _until_written(self.store, [(record, way)])
                except Exception as failed:
                    _settle(done, failed)
                else:
                    _settle(done, None)
            return
        for *_, done in batch:
            _settle(done, None)


async def _until_written(store: Store, records: list[tuple[Record, Together | None]]) -> None:
    """Write the records in one transaction, or all by their one `Together.write`,
    waiting out a locked database."""
    ways = [way for _, way in records]
    first = ways[0]
    alike = first is not None and all(w is not None and w.write == first.write for w in ways)
    together = first if alike else None
    delay = BUSY_RETRY_FIRST
    while True:
        try:
            if together is not None:
                await together.write([way.item for way in ways if way is not None])
                return
            async with store.transaction() as tx:
                for record, _ in records:
                    await record(tx)
            return
        except BusyError:
            log.info("database busy while recording sends; retrying in %.2f s", delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, BUSY_RETRY_MOST)


def _settle(done: asyncio.Future[None], error: BaseException | None) -> None:
    """Resolve a writer's future unless it was cancelled meanwhile."""
    if done.done():
        return
    if error is None:
        done.set_result(None)
    else:
        done.set_exception(error)
