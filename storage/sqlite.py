"""The SQLite backend: one file in WAL mode, one aiosqlite connection per store.

Theory of operation:

* `SqliteStore.open` creates the file, switches it to WAL, turns foreign keys on,
  sets busy_timeout and applies pending migrations (`storage.migrations`).
* `SqliteStore.transaction` is one unit of work: ``BEGIN IMMEDIATE`` ... ``COMMIT``,
  or ``ROLLBACK`` and re-raise on any exception (cancellation included).
* Transactions of one store run one at a time (an `asyncio.Lock` around the single
  connection). Several stores, in one or several processes, may share a file:
  ``BEGIN IMMEDIATE`` takes SQLite's write lock up front, so a transaction never
  fails half-way for a lock; it waits up to busy_timeout, then retries a few times.
* WAL readers never block, so reads inside a transaction are cheap.
* Statements run on the event loop's thread (`storage.sqlite_inline`); BEGIN, COMMIT,
  ROLLBACK and long reads go to aiosqlite's thread. After an error or a cancellation
  one of those may still be running there, so the next user of the connection first
  waits for the thread (`_thread_idle`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
import sys
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Literal, get_args

import aiosqlite

from storage.base import SentMark
from storage.errors import StorageError
from storage.migrations import MIGRATIONS, Migration, apply_migrations
from storage.sqlite_core import (
    begin_immediate,
    execute_when_free,
    rollback_quietly,
    translate_errors,
)
from storage.sqlite_inline import Inline
from storage.sqlite_overrides import SqliteQueries

Synchronous = Literal["OFF", "NORMAL", "FULL", "EXTRA"]

DEFAULT_BUSY_TIMEOUT = 5.0
"""Seconds a connection waits for another process's write lock before retrying."""
SLOW_TRANSACTION = 0.05
"""A transaction holding the write lock longer than this (seconds) is counted as slow."""

log = logging.getLogger(__name__)


class SqliteTransaction(SqliteQueries):
    """One unit of work on a SQLite file; the contract is `storage.base.Transaction`."""


OLDEST_SQLITE = (3, 35)
"""The oldest SQLite with what the queries use (RETURNING); Debian 12 has 3.40."""


class SqliteStore:
    """A SQLite file opened for the bot; the contract is `storage.base.Store`.

    Usage::

        store = await SqliteStore.open("data/suara-warga.sqlite3")
        try:
            async with store.transaction() as tx:
                await tx.set_meta("offset", "42")
        finally:
            await store.close()
    """

    def __init__(self, conn: aiosqlite.Connection, path: Path, inline: Inline) -> None:
        """Use `SqliteStore.open`, which configures and migrates the connection."""
        self._conn = conn
        self._inline = inline
        self._thread_idle = True  # nothing of ours can still run on aiosqlite's thread
        self._path = path
        self._lock = asyncio.Lock()
        self._closed = False
        self.transactions = 0
        self.slow_transactions = 0  # held the write lock over SLOW_TRANSACTION
        self.longest_transaction = 0.0  # seconds from BEGIN IMMEDIATE to COMMIT

    @classmethod
    async def open(
        cls,
        path: str | os.PathLike[str],
        *,
        synchronous: Synchronous = "FULL",
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
        migrations: Sequence[Migration] = MIGRATIONS,
    ) -> SqliteStore:
        """Open (creating if needed) the file and bring its schema up to date. This writes.

        `migrations` replaces the registered list, for tests of later migrations.
        Raises MigrationError if the file was written by a newer version.
        """
        if synchronous not in get_args(Synchronous):
            raise ValueError(f"synchronous must be one of {get_args(Synchronous)}")
        if sqlite3.sqlite_version_info < OLDEST_SQLITE:
            raise StorageError(
                f"SQLite {sqlite3.sqlite_version} is too old: Suara Warga needs "
                f"{'.'.join(map(str, OLDEST_SQLITE))} or newer (RETURNING)"
            )
        location = Path(path)
        location.parent.mkdir(parents=True, exist_ok=True)
        with translate_errors(f"open {location}"):
            # Used from the loop's thread too, one user at a time (storage.sqlite_inline).
            conn = await aiosqlite.connect(location, isolation_level=None, check_same_thread=False)
        try:
            conn.row_factory = sqlite3.Row
            await _configure(conn, location, synchronous, busy_timeout)
            await apply_migrations(conn, migrations)
            inline = Inline(conn, busy_timeout)
            await inline.install()
        except BaseException:
            await conn.close()
            raise
        return cls(conn, location, inline)

    @property
    def path(self) -> Path:
        """The database file."""
        return self._path

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteTransaction]:
        """One unit of work: commit on normal exit, roll back and re-raise on any error."""
        _opener = sys._getframe(2)  # the code that opened it, named if it is slow
        async with self._lock:
            if self._closed:
                raise StorageError(f"{self._path}: the store is closed")
            tx = SqliteTransaction(self._conn, self._inline)
            try:
                await self._wait_for_thread()
                with translate_errors("begin transaction"):
                    began_here = self._inline.begin_at_once()
                if not began_here:  # another process writes: wait for it on the thread
                    await begin_immediate(self._conn)
                began = time.perf_counter()
                yield tx
                with translate_errors("commit"):
                    await self._conn.execute("COMMIT")
                self._count(time.perf_counter() - began, _opener)
            except BaseException:
                self._thread_idle = False
                await rollback_quietly(self._conn)
                self._thread_idle = True  # the ROLLBACK ran after whatever was queued
                raise
            finally:
                tx._finish()

    async def mark_sent(
        self, outbox_id: int, *, telegram_message_id: int | None, now: datetime
    ) -> None:
        """In a transaction, as any write (`storage.base.Store.mark_sent`)."""
        async with self.transaction() as tx:
            await tx.mark_sent(outbox_id, telegram_message_id=telegram_message_id, now=now)

    async def mark_all_sent(self, marks: Sequence[SentMark]) -> None:
        """In a transaction, as any write (`storage.base.Store.mark_all_sent`)."""
        async with self.transaction() as tx:
            await tx.mark_all_sent(marks)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[SqliteTransaction]:
        """A read outside any transaction (`storage.base.Store.reading`): the connection
        in autocommit, each statement its own read snapshot of the WAL."""
        async with self._lock:
            if self._closed:
                raise StorageError(f"{self._path}: the store is closed")
            tx = SqliteTransaction(self._conn, self._inline)
            try:
                await self._wait_for_thread()
                yield tx
            except BaseException:
                self._thread_idle = False  # e.g. a long read cancelled on the thread
                raise
            finally:
                tx._finish()

    async def _wait_for_thread(self) -> None:
        """After an error, let aiosqlite's thread finish what it was given (its queue
        runs in order) before running statements on this thread."""
        if not self._thread_idle:
            await self._conn.execute("SELECT 1")
            self._thread_idle = True

    def _count(self, held: float, opener: FrameType) -> None:
        """Note how long a committed transaction held the write lock; log a slow one
        with the function that opened it."""
        self.transactions += 1
        self.longest_transaction = max(self.longest_transaction, held)
        if held > SLOW_TRANSACTION:
            self.slow_transactions += 1
            log.info("slow transaction: %.1f ms (%s)", held * 1000, opener.f_code.co_qualname)

    def outbox_wakeups(self, wake: asyncio.Event) -> AbstractAsyncContextManager[None]:
        """Nothing to listen to: this process wakes its own sender when it commits, and
        a sender sharing the file from another process finds new messages by polling."""
        return contextlib.nullcontext()

    def learning_wakeups(self, wake: asyncio.Event) -> AbstractAsyncContextManager[None]:
        """Nothing to listen to: workers sharing the file compare `learning_version`
        every few seconds (`service.learning`)."""
        return contextlib.nullcontext()

    async def close(self) -> None:
        """Wait for the running transaction, then close the connection. Idempotent.

        Do not call it from inside one of this store's transactions (it would wait
        for itself).
        """
        async with self._lock:
            if self._closed:
                return
            self._closed = True
            log.info(
                "SQLite transactions: %d committed, longest %.1f ms, %d over %.0f ms; "
                "%d long reads moved to aiosqlite's thread",
                self.transactions,
                self.longest_transaction * 1000,
                self.slow_transactions,
                SLOW_TRANSACTION * 1000,
                self._inline.moved,
            )
            with translate_errors(f"close {self._path}"):
                await self._conn.close()


async def _configure(
    conn: aiosqlite.Connection, path: Path, synchronous: Synchronous, busy_timeout: float
) -> None:
    """Set the per-connection pragmas; busy_timeout first so the rest can wait for locks."""
    doing = f"configure {path}"
    with translate_errors(doing):
        # PRAGMA takes no bound parameters; both values are validated above.
        await conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    rows = await execute_when_free(conn, "PRAGMA journal_mode = WAL", doing)
    with translate_errors(doing):
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.execute(f"PRAGMA synchronous = {synchronous}")
    mode = str(rows[0][0]).lower() if rows else None
    if mode != "wal":
        raise StorageError(f"{path}: could not switch to WAL (journal_mode is {mode})")
