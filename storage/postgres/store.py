"""The PostgreSQL backend: a connection pool that several bot processes may share.

Theory of operation:

* `PostgresStore.open` creates an asyncpg pool and applies pending migrations
  (`storage.postgres.migrations`), under an advisory lock so that processes starting
  together migrate once.
* `PostgresStore.transaction` takes a connection from the pool and runs one unit of
  work in it: ``BEGIN ISOLATION LEVEL READ COMMITTED`` ... ``COMMIT``, or ``ROLLBACK``
  and re-raise on any exception (cancellation included). Transactions of one store run
  concurrently, one per pooled connection; unlike SQLite's, they are not serialised.
* READ COMMITTED plus explicit locks where an operation reads, then writes:

  - a chat: `load_conversation` and `save_conversation` take a transaction-scoped
    advisory lock on the chat id (``pg_advisory_xact_lock(chat_id)``), so two
    processes handling one chat's updates run one after the other, and the second
    reads what the first committed;
  - a report: `set_status`, `set_body` and `add_note` lock its row (``FOR UPDATE``);
  - once-only records (`claim_update`, `claim_reminder`, `add_supporter`, a report
    code, a lease) are ``INSERT ... ON CONFLICT``, which waits for a concurrent insert
    of the same key and then sees it.

* Lock waits end after `lock_timeout` with `BusyError`, as do deadlocks; the unit of
  work can then be retried in a new transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

import asyncpg

from storage.errors import StorageError
from storage.postgres.core import describe, optional_utc, rollback_quietly, translate_errors, utc
from storage.postgres.migrations import MIGRATIONS, Migration, apply_migrations
from storage.postgres.outbox import OUTBOX_CHANNEL, OutboxQueries
from storage.postgres.privacy import PrivacyQueries

log = logging.getLogger(__name__)

DEFAULT_POOL_SIZE = 10
"""Connections per store: at most this many of its transactions run at once."""

DEFAULT_LOCK_TIMEOUT = 10.0
"""Seconds a statement waits for a lock (a chat, a report row) before BusyError."""

CONNECT_TIMEOUT = 10.0
"""Seconds to wait for a new connection."""


class PostgresTransaction(PrivacyQueries, OutboxQueries):
    """One unit of work on PostgreSQL; the contract is `storage.base.Transaction`."""

    # -- updates (exactly-once intake) --------------------------------------------------

    async def claim_update(self, update_id: int, now: datetime) -> bool:
        """Record the update as processed; False if it already was (by any process).

        This writes.
        """
        inserted = await self._execute(
            f"claim update {update_id}",
            "INSERT INTO processed_updates (update_id, processed_at) VALUES ($1, $2) "
            "ON CONFLICT (update_id) DO NOTHING",
            (update_id, utc(now)),
        )
        return inserted == 1

    async def prune_updates(self, older_than: datetime) -> int:
        """Forget updates processed before `older_than`; returns how many. This writes."""
        return await self._execute(
            "prune processed updates",
            "DELETE FROM processed_updates WHERE processed_at < $1",
            (utc(older_than),),
        )

    # -- meta key/value -----------------------------------------------------------------

    async def get_meta(self, key: str) -> str | None:
        """The value stored under `key`, or None. This is a read-only operation."""
        value = await self._value(
            f"read meta {key!r}", "SELECT value FROM meta WHERE key = $1", (key,)
        )
        return None if value is None else str(value)

    async def set_meta(self, key: str, value: str) -> None:
        """Store `value` under `key`. This writes."""
        await self._execute(
            f"write meta {key!r}",
            "INSERT INTO meta (key, value) VALUES ($1, $2) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # -- conversations ------------------------------------------------------------------

    async def load_conversation(self, chat_id: int) -> str | None:
        """The chat's saved state JSON, or None. This is a read-only operation.

        It first takes the chat's advisory lock, kept until the transaction ends: a
        transaction of another process loading the same chat waits here.
        """
        await self._lock_chat(chat_id)
        value = await self._value(
            f"load conversation {chat_id}",
            "SELECT state_json FROM conversations WHERE chat_id = $1",
            (chat_id,),
        )
        return None if value is None else str(value)

    async def save_conversation(
        self,
        chat_id: int,
        state_json: str,
        *,
        updated_at: datetime,
        draft_updated_at: datetime | None,
    ) -> None:
        """Replace the chat's state (taking the chat's lock, if not held yet). This writes."""
        params = (chat_id, state_json, utc(updated_at), optional_utc(draft_updated_at))
        await self._lock_chat(chat_id)
        await self._execute(
            f"save conversation {chat_id}",
            "INSERT INTO conversations (chat_id, state_json, updated_at, draft_updated_at) "
            "VALUES ($1, $2, $3, $4) ON CONFLICT (chat_id) DO UPDATE SET "
            "state_json = excluded.state_json, updated_at = excluded.updated_at, "
            "draft_updated_at = excluded.draft_updated_at",
            params,
        )

    async def stale_drafts(self, older_than: datetime, limit: int = 100) -> list[int]:
        """Chat ids whose draft was last touched before `older_than`, stalest first.

        This is a read-only operation.
        """
        rows = await self._rows(
            "find stale drafts",
            "SELECT chat_id FROM conversations "
            "WHERE draft_updated_at IS NOT NULL AND draft_updated_at < $1 "
            "ORDER BY draft_updated_at, chat_id LIMIT $2",
            (utc(older_than), limit),
        )
        return [int(row["chat_id"]) for row in rows]

    # -- leases -------------------------------------------------------------------------

    async def try_lead(self, name: str, holder: str, now: datetime, lease: timedelta) -> bool:
        """Hold or renew the lease `name` for `holder` until `now + lease`. This writes.

        True if `holder` holds it now (new, renewed, or taken over after expiry). The
        upsert locks the lease row, so of several processes trying at once exactly one
        wins; the others wait for it, then see its running lease.
        """
        if lease <= timedelta(0):
            raise ValueError(f"a lease must last a while, got {lease}")
        changed = await self._execute(
            f"try to lead {name!r}",
            "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3) "
            "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "
            "expires_at = excluded.expires_at "
            "WHERE leases.holder = excluded.holder OR leases.expires_at <= $4",
            (name, holder, utc(now + lease), utc(now)),
        )
        return changed == 1

    async def lease_holder(self, name: str, now: datetime) -> str | None:
        """Who holds the lease `name` now, if anyone. This is a read-only operation."""
        row = await self._row(
            f"read lease {name!r}",
            "SELECT holder FROM leases WHERE name = $1 AND expires_at > $2",
            (name, utc(now)),
        )
        return None if row is None else str(row["holder"])


class PostgresStore:
    """A PostgreSQL database opened for the bot; the contract is `storage.base.Store`.

    Usage::

        store = await PostgresStore.open("postgresql://bot:secret@db.internal/suara_warga")
        try:
            async with store.transaction() as tx:
                await tx.set_meta("offset", "42")
        finally:
            await store.close()
    """

    def __init__(self, pool: asyncpg.Pool, dsn: str) -> None:
        """Use `PostgresStore.open`, which creates the pool and migrates the database."""
        self._pool = pool
        self._dsn = dsn
        self._name = describe(dsn)
        self._closed = False
        self._closing = asyncio.Lock()

    @classmethod
    async def open(
        cls,
        dsn: str,
        *,
        pool_size: int = DEFAULT_POOL_SIZE,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
        migrations: Sequence[Migration] = MIGRATIONS,
    ) -> PostgresStore:
        """Connect to the database at `dsn` and bring its schema up to date. This writes.

        `dsn` is a ``postgresql://user:password@host:port/database`` URL. `migrations`
        replaces the registered list, for tests of later migrations. Raises
        MigrationError if the database was written by a newer version, StorageError if
        it cannot be reached.
        """
        name = describe(dsn)
        try:
            with translate_errors(f"connect to {name}"):
                pool = await asyncpg.create_pool(
                    dsn,
                    min_size=1,
                    max_size=pool_size,
                    timeout=CONNECT_TIMEOUT,
                    server_settings={
                        "application_name": "suara-warga",
                        "lock_timeout": f"{int(lock_timeout * 1000)}ms",
                    },
                )
        except ValueError as exc:  # a malformed URL
            raise StorageError(f"cannot use the database URL for {name}: {exc}") from exc
        try:
            with translate_errors(f"migrate {name}"):
                async with pool.acquire() as conn:
                    await apply_migrations(conn, migrations)
        except BaseException:
            pool.terminate()
            raise
        return cls(pool, dsn)

    @property
    def dsn(self) -> str:
        """The database URL (with its password, if it has one: do not log it)."""
        return self._dsn

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PostgresTransaction]:
        """One unit of work: commit on normal exit, roll back and re-raise on any error."""
        if self._closed:
            raise StorageError(f"{self._name}: the store is closed")
        with translate_errors("take a connection"):
            conn = await self._pool.acquire()
        try:
            transaction = conn.transaction(isolation="read_committed")
            tx = PostgresTransaction(conn)
            try:
                with translate_errors("begin transaction"):
                    await transaction.start()
                yield tx
                with translate_errors("commit"):
                    await transaction.commit()
            except BaseException:
                await rollback_quietly(conn, transaction)
                raise
            finally:
                tx._finish()
        finally:
            await self._pool.release(conn)

    @asynccontextmanager
    async def outbox_wakeups(self, wake: asyncio.Event) -> AsyncIterator[None]:
        """While open, `wake` is set each time a transaction of any process that queued
        messages commits (LISTEN on a connection of its own). If that connection cannot
        be made or breaks, a warning is logged and the sender's idle poll remains."""
        try:
            with translate_errors(f"listen on {self._name}"):
                conn = await asyncpg.connect(self._dsn, timeout=CONNECT_TIMEOUT)
                await conn.add_listener(OUTBOX_CHANNEL, lambda *_: wake.set())
        except StorageError as exc:
            log.warning("cannot listen for new outbox messages (%s); polling instead", exc)
            yield
            return
        conn.add_termination_listener(
            lambda _: log.warning("listening for new outbox messages stopped; polling instead")
        )
        try:
            yield
        finally:
            with contextlib.suppress(Exception):
                await conn.close(timeout=CONNECT_TIMEOUT)

    async def close(self) -> None:
        """Wait for the running transactions, then close the pool. Idempotent.

        Do not call it from inside one of this store's transactions (it would wait
        for itself).
        """
        async with self._closing:
            if self._closed:
                return
            self._closed = True
            with translate_errors(f"close {self._name}"):
                await self._pool.close()
