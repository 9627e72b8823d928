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
import secrets
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

import asyncpg

from storage.base import SentMark
from storage.errors import StorageError
from storage.postgres.core import describe, rollback_quietly, translate_errors
from storage.postgres.migrations import MIGRATIONS, Migration, apply_migrations
from storage.postgres.overrides import LEARNING_CHANNEL, PostgresQueries
from storage.postgres.steps import OUTBOX_CHANNEL

if TYPE_CHECKING:
    from storage.postgres.core import Connection

log = logging.getLogger(__name__)

DEFAULT_POOL_SIZE = 10
"""Connections per store: at most this many of its transactions run at once."""

DEFAULT_LOCK_TIMEOUT = 10.0
"""Seconds a statement waits for a lock (a chat, a report row) before BusyError."""

CONNECT_TIMEOUT = 10.0
"""Seconds to wait for a new connection."""


class PooledConnection(asyncpg.Connection):
    """A pooled connection that goes back to the pool without asyncpg's reset query
    (``pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL``, one round trip per
    transaction): the store leaves nothing to undo. Its settings are ``SET LOCAL``, its
    advisory locks transaction-scoped, it declares no cursors and it LISTENs on a
    connection of its own; asyncpg still rolls back a transaction left open."""

    def get_reset_query(self) -> str:
        return ""


class PostgresTransaction(PostgresQueries):
    """One unit of work on PostgreSQL; the contract is `storage.base.Transaction`."""

    def __init__(self, conn: Connection, notify_as: str) -> None:
        super().__init__(conn)
        self._notify_as = notify_as


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
        self._notify_as = secrets.token_hex(8)  # its outbox notices', to ignore its own
        # One LISTEN connection for all channels (`_wakeups`), open while any listens.
        self._listener: asyncpg.Connection | None = None
        self._listening: list[str] = []  # what each listener's notices announce
        self._listen_lock = asyncio.Lock()

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
                    connection_class=PooledConnection,
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
            tx = PostgresTransaction(conn, self._notify_as)
            try:
                with translate_errors("begin transaction"):
                    await conn.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
                yield tx
                with translate_errors("commit"):
                    await tx._commit()  # with its last write, if that waits (`save_step`)
            except BaseException:
                await rollback_quietly(conn)
                raise
            finally:
                tx._finish()
        finally:
            await self._pool.release(conn)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[PostgresTransaction]:
        """A read outside any transaction (`storage.base.Store.reading`): one round trip
        where a transaction takes three."""
        if self._closed:
            raise StorageError(f"{self._name}: the store is closed")
        with translate_errors("take a connection"):
            conn = await self._pool.acquire()
        tx = PostgresTransaction(conn, self._notify_as)
        try:
            yield tx
        finally:
            tx._finish()
            await self._pool.release(conn)

    async def mark_sent(
        self, outbox_id: int, *, telegram_message_id: int | None, now: datetime
    ) -> None:
        """One statement in autocommit (`storage.base.Store.mark_sent`): the sent mark
        with its link is one statement (`storage.postgres.overrides`), atomic alone."""
        async with self.reading() as tx:
            await tx.mark_sent(outbox_id, telegram_message_id=telegram_message_id, now=now)

    async def mark_all_sent(self, marks: Sequence[SentMark]) -> None:
        """One round trip in autocommit (`storage.base.Store.mark_all_sent`): the marks'
        statements pipelined by ``executemany``, atomic together."""
        async with self.reading() as tx:
            await tx.mark_all_sent(marks)

    def outbox_wakeups(self, wake: asyncio.Event) -> AbstractAsyncContextManager[None]:
        """While open, `wake` is set each time a transaction of another process (another
        store) that queued messages commits (LISTEN on a connection of its own); this
        store's own commits wake its sender through `on_commit`, once, not twice. If
        that connection cannot be made or breaks, a warning is logged and the sender's
        idle poll remains."""
        return self._wakeups(OUTBOX_CHANNEL, wake, "new outbox messages", self._notify_as)

    def learning_wakeups(self, wake: asyncio.Event) -> AbstractAsyncContextManager[None]:
        """While open, `wake` is set each time a transaction of any process that added a
        lesson for the classifier commits; as `outbox_wakeups`, the poll remains."""
        return self._wakeups(LEARNING_CHANNEL, wake, "officers' lessons")

    @asynccontextmanager
    async def _wakeups(
        self, channel: str, wake: asyncio.Event, what: str, own: str | None = None
    ) -> AsyncIterator[None]:
        """LISTEN on `channel` while open, on the store's one listening connection (one
        per process for every channel: each commit that notifies wakes one backend, not
        one per channel); notices whose payload is `own` are ignored."""

        def heard(_conn: object, _pid: int, _channel: str, payload: object) -> None:
            if own is None or payload != own:
                wake.set()

        try:
            with translate_errors(f"listen on {self._name}"):
                conn = await self._listen(channel, what, heard)
        except StorageError as exc:
            log.warning("cannot listen for %s (%s); polling instead", what, exc)
            yield
            return
        try:
            yield
        finally:
            await self._unlisten(conn, channel, what, heard)

    async def _listen(
        self, channel: str, what: str, heard: Callable[[Any, int, str, Any], None]
    ) -> asyncpg.Connection:
        """Add a listener on the listening connection (connected first if need be)."""
        async with self._listen_lock:
            conn = self._listener
            if conn is None or conn.is_closed():
                conn = await asyncpg.connect(self._dsn, timeout=CONNECT_TIMEOUT)
                conn.add_termination_listener(self._stopped_listening)
                self._listener = conn
            try:
                await conn.add_listener(channel, heard)
            except BaseException:
                if not self._listening:
                    self._listener = None
                    with contextlib.suppress(Exception):
                        await conn.close(timeout=CONNECT_TIMEOUT)
                raise
            self._listening.append(what)
            return conn

    async def _unlisten(
        self,
        conn: asyncpg.Connection,
        channel: str,
        what: str,
        heard: Callable[[Any, int, str, Any], None],
    ) -> None:
        """Remove the listener; the last one closes the connection."""
        async with self._listen_lock:
            if what in self._listening:
                self._listening.remove(what)
            with contextlib.suppress(Exception):
                await conn.remove_listener(channel, heard)
            if not self._listening and conn is self._listener:
                self._listener = None
                with contextlib.suppress(Exception):
                    await conn.close(timeout=CONNECT_TIMEOUT)

    def _stopped_listening(self, _conn: object) -> None:
        for what in self._listening:
            log.warning("listening for %s stopped; polling instead", what)

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
