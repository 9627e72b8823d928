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
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Literal, get_args

import aiosqlite

from storage.errors import StorageError
from storage.migrations import MIGRATIONS, Migration, apply_migrations
from storage.sqlite_core import (
    begin_immediate,
    optional_db_time,
    rollback_quietly,
    to_db_time,
    translate_errors,
)
from storage.sqlite_leases import LeaseQueries
from storage.sqlite_outbox import OutboxQueries
from storage.sqlite_privacy import PrivacyQueries

Synchronous = Literal["OFF", "NORMAL", "FULL", "EXTRA"]

DEFAULT_BUSY_TIMEOUT = 5.0
"""Seconds a connection waits for another process's write lock before retrying."""


class SqliteTransaction(PrivacyQueries, OutboxQueries, LeaseQueries):
    """One unit of work on a SQLite file; the contract is `storage.base.Transaction`."""

    # -- updates (exactly-once intake) --------------------------------------------------

    async def claim_update(self, update_id: int, now: datetime) -> bool:
        """Record the update as processed; False if it already was. This writes."""
        inserted, _ = await self._write(
            f"claim update {update_id}",
            "INSERT INTO processed_updates (update_id, processed_at) VALUES (?, ?) "
            "ON CONFLICT (update_id) DO NOTHING",
            (update_id, to_db_time(now)),
        )
        return inserted == 1

    async def prune_updates(self, older_than: datetime) -> int:
        """Forget updates processed before `older_than`; returns how many. This writes."""
        deleted, _ = await self._write(
            "prune processed updates",
            "DELETE FROM processed_updates WHERE processed_at < ?",
            (to_db_time(older_than),),
        )
        return deleted

    # -- meta key/value -----------------------------------------------------------------

    async def get_meta(self, key: str) -> str | None:
        """The value stored under `key`, or None. This is a read-only operation."""
        row = await self._row(f"read meta {key!r}", "SELECT value FROM meta WHERE key = ?", (key,))
        return None if row is None else str(row["value"])

    async def set_meta(self, key: str, value: str) -> None:
        """Store `value` under `key`. This writes."""
        await self._write(
            f"write meta {key!r}",
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # -- conversations ------------------------------------------------------------------

    async def load_conversation(self, chat_id: int) -> str | None:
        """The chat's saved state JSON, or None. This is a read-only operation."""
        row = await self._row(
            f"load conversation {chat_id}",
            "SELECT state_json FROM conversations WHERE chat_id = ?",
            (chat_id,),
        )
        return None if row is None else str(row["state_json"])

    async def save_conversation(
        self,
        chat_id: int,
        state_json: str,
        *,
        updated_at: datetime,
        draft_updated_at: datetime | None,
    ) -> None:
        """Replace the chat's state. This writes."""
        await self._write(
            f"save conversation {chat_id}",
            "INSERT INTO conversations (chat_id, state_json, updated_at, draft_updated_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (chat_id) DO UPDATE SET "
            "state_json = excluded.state_json, updated_at = excluded.updated_at, "
            "draft_updated_at = excluded.draft_updated_at",
            (chat_id, state_json, to_db_time(updated_at), optional_db_time(draft_updated_at)),
        )

    async def stale_drafts(self, older_than: datetime, limit: int = 100) -> list[int]:
        """Chat ids whose draft was last touched before `older_than`, stalest first.

        This is a read-only operation.
        """
        rows = await self._rows(
            "find stale drafts",
            "SELECT chat_id FROM conversations "
            "WHERE draft_updated_at IS NOT NULL AND draft_updated_at < ? "
            "ORDER BY draft_updated_at, chat_id LIMIT ?",
            (to_db_time(older_than), limit),
        )
        return [int(row["chat_id"]) for row in rows]


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

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        """Use `SqliteStore.open`, which configures and migrates the connection."""
        self._conn = conn
        self._path = path
        self._lock = asyncio.Lock()
        self._closed = False

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
        location = Path(path)
        location.parent.mkdir(parents=True, exist_ok=True)
        with translate_errors(f"open {location}"):
            conn = await aiosqlite.connect(location, isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            await _configure(conn, location, synchronous, busy_timeout)
            await apply_migrations(conn, migrations)
        except BaseException:
            await conn.close()
            raise
        return cls(conn, location)

    @property
    def path(self) -> Path:
        """The database file."""
        return self._path

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteTransaction]:
        """One unit of work: commit on normal exit, roll back and re-raise on any error."""
        async with self._lock:
            if self._closed:
                raise StorageError(f"{self._path}: the store is closed")
            tx = SqliteTransaction(self._conn)
            try:
                await begin_immediate(self._conn)
                yield tx
                with translate_errors("commit"):
                    await self._conn.execute("COMMIT")
            except BaseException:
                await rollback_quietly(self._conn)
                raise
            finally:
                tx._finish()

    def outbox_wakeups(self, wake: asyncio.Event) -> AbstractAsyncContextManager[None]:
        """Nothing to listen to: this process wakes its own sender when it commits, and
        a sender sharing the file from another process finds new messages by polling."""
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
            with translate_errors(f"close {self._path}"):
                await self._conn.close()


async def _configure(
    conn: aiosqlite.Connection, path: Path, synchronous: Synchronous, busy_timeout: float
) -> None:
    """Set the per-connection pragmas; busy_timeout first so the rest can wait for locks."""
    with translate_errors(f"configure {path}"):
        # PRAGMA takes no bound parameters; both values are validated above.
        await conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        async with conn.execute("PRAGMA journal_mode = WAL") as cursor:
            row = await cursor.fetchone()
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.execute(f"PRAGMA synchronous = {synchronous}")
    mode = None if row is None else str(row[0]).lower()
    if mode != "wal":
        raise StorageError(f"{path}: could not switch to WAL (journal_mode is {mode})")
