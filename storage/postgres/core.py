"""The PostgreSQL side of the shared queries: timestamps, error translation, the runner.

This is the one boundary where asyncpg exceptions become `StorageError`s: every
statement runs inside `translate_errors()` (the transaction methods through
`PostgresRunner`'s `_rows`, `_row`, `_value` and `_execute`).

Timestamps are ``timestamptz``. asyncpg returns them as aware UTC datetimes; every
datetime sent goes through `utc()`, which refuses naive ones with ValueError (asyncpg
would silently take them as UTC). The shared statements' ``?`` placeholders become
asyncpg's ``$1, $2`` (`numbered`, once per statement text).
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeAlias
from urllib.parse import urlsplit

import asyncpg

from storage.errors import BusyError, CodeTakenError, StorageError
from storage.queries.runner import Params, Row, Runner
from storage.timestamps import utc

if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy
    from asyncpg.transaction import Transaction

    Connection: TypeAlias = PoolConnectionProxy[asyncpg.Record]

logger = logging.getLogger(__name__)

LOCK_SPACE = 0x5357  # "SW"
"""First key of the two-key advisory locks of this app (migrations). The per-chat
locks use the one-key (bigint) form, which PostgreSQL keeps apart from the two-key one."""

_BUSY = (
    asyncpg.DeadlockDetectedError,
    asyncpg.SerializationError,
    asyncpg.LockNotAvailableError,
)


_MARK = re.compile(r"'[^']*'|\?")
"""A ``?`` placeholder, or a string literal to leave alone."""


@functools.lru_cache(maxsize=1024)
def numbered(sql: str) -> str:
    """`sql` with its ``?`` placeholders numbered ``$1, $2, ...`` for asyncpg.

    A statement without ``?`` (PostgreSQL's own, numbered by hand) is unchanged.
    """
    if "?" not in sql:
        return sql
    count = itertools.count(1)
    return _MARK.sub(lambda mark: mark[0] if mark[0] != "?" else f"${next(count)}", sql)


def describe(dsn: str) -> str:
    """``host:port/database`` of a URL, without user or password, for messages."""
    parts = urlsplit(dsn)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.hostname or 'localhost'}{port}{parts.path or '/'}"


@contextmanager
def translate_errors(doing: str, *, report_code: str | None = None) -> Iterator[None]:
    """Re-raise asyncpg and connection errors as `StorageError`s, ``from`` the original.

    Lock timeouts, deadlocks and serialization failures become `BusyError` (the work
    may be retried in a new transaction). `report_code` is the code being inserted.
    """
    try:
        yield
    except asyncpg.UniqueViolationError as exc:
        if report_code is not None and exc.constraint_name == "reports_code":
            raise CodeTakenError(report_code) from exc
        raise StorageError(f"{doing}: {exc}") from exc
    except _BUSY as exc:
        raise BusyError(f"{doing}: {exc} (locked by another transaction)") from exc
    except (asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        raise StorageError(f"{doing}: {exc}") from exc
    except (OSError, TimeoutError) as exc:
        raise StorageError(f"{doing}: cannot reach the database: {exc}") from exc


async def rollback_quietly(conn: Connection, transaction: Transaction | None = None) -> None:
    """Roll back (`transaction`, or one begun by a ``BEGIN`` of its own), without
    masking the error that led here.

    If the connection is broken (e.g. a statement was cancelled half-way), the pool
    closes it when it is released, which ends the transaction on the server too.
    """
    if not conn.is_in_transaction():
        return
    try:
        if transaction is None:
            await conn.execute("ROLLBACK")
        else:
            await transaction.rollback()
    except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError):
        logger.exception("rollback failed")


def affected(status: str) -> int:
    """Rows affected, from a command tag such as ``UPDATE 3`` or ``INSERT 0 1``."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


class PostgresRunner(Runner):
    """Runs the shared queries on one pooled asyncpg connection in READ COMMITTED.

    Rows that are read, then changed, are locked (`_FOR_UPDATE`, `_lock_chat`);
    lists are bound as one array parameter (`_in`).
    """

    _FOR_UPDATE = " FOR UPDATE"
    _LIKE = "ILIKE"
    _NO_LIMIT = None  # LIMIT NULL
    _IDS_PER_QUERY = sys.maxsize  # one array, however long

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._chats_locked: set[int] = set()

    _encode_time = staticmethod(utc)

    @staticmethod
    def _decode_time(value: Any) -> datetime:
        """asyncpg reads timestamptz as an aware UTC datetime already."""
        assert isinstance(value, datetime)
        return value

    async def _rows(self, doing: str, sql: str, params: Params = ()) -> Sequence[Row]:
        """Run a query and return all its rows."""
        self._check_open(doing)
        with translate_errors(doing):
            return await self._conn.fetch(numbered(sql), *params)

    async def _row(self, doing: str, sql: str, params: Params = ()) -> Row | None:
        """Run a query and return its first row, or None."""
        self._check_open(doing)
        with translate_errors(doing):
            row: Row | None = await self._conn.fetchrow(numbered(sql), *params)
            return row

    async def _value(self, doing: str, sql: str, params: Params = ()) -> Any:
        """Run a query and return the first column of its first row (None if no row)."""
        self._check_open(doing)
        with translate_errors(doing):
            return await self._conn.fetchval(numbered(sql), *params)

    async def _execute(self, doing: str, sql: str, params: Params = ()) -> int:
        """Run a statement and return how many rows it affected."""
        self._check_open(doing)
        with translate_errors(doing):
            return affected(await self._conn.execute(numbered(sql), *params))

    async def _execute_many(self, doing: str, sql: str, rows: Sequence[Params]) -> None:
        """Run a statement once per row of parameters, in one round trip (atomic)."""
        self._check_open(doing)
        with translate_errors(doing):
            await self._conn.executemany(numbered(sql), rows)

    def _in(self, column: str, values: Sequence[object], sql_type: str) -> tuple[str, Params]:
        """``column = ANY(?::type[])``: one statement text for any number of values."""
        return f"{column} = ANY(?::{sql_type}[])", (list(values),)

    def _in_rows_of(self, column: str, subquery: str) -> str:
        """``column = ANY(ARRAY(subquery))``: the subquery runs once, then an index
        lookup per value. ``IN (subquery)`` is planned as a join, and an estimate gone
        stale (a table that just grew) can make that a scan of the whole table, or
        the subquery scanned again for every row."""
        return f"{column} = ANY(ARRAY({subquery}))"

    def _not_in(self, column: str, values: Sequence[object], sql_type: str) -> tuple[str, Params]:
        """``column <> ALL(?::type[])``."""
        return f"{column} <> ALL(?::{sql_type}[])", (list(values),)

    async def _lock_chat(self, chat_id: int) -> None:
        """Wait until no other transaction uses the chat, then keep it until this one ends.

        A statement of its own: in READ COMMITTED each statement sees the data as of its
        start, so only the statements after this one see what the previous holder wrote.
        Once per chat and transaction (saving the state it loaded asks again): the lock is
        held until the transaction ends.
        """
        if chat_id in self._chats_locked:
            return
        await self._value(
            f"lock chat {chat_id}", "SELECT pg_advisory_xact_lock($1::bigint)", (chat_id,)
        )
        self._chats_locked.add(chat_id)
