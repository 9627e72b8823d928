"""What every PostgreSQL module shares: timestamps, error translation, statement helpers.

This is the one boundary where asyncpg exceptions become `StorageError`s: every
statement runs inside `translate_errors()` (the transaction methods through
`Queries._rows`, `_row`, `_value` and `_execute`).

Timestamps are ``timestamptz``. asyncpg returns them as aware UTC datetimes; every
datetime sent goes through `utc()`, which refuses naive ones with ValueError (asyncpg
would silently take them as UTC). Statements use asyncpg's ``$1, $2`` placeholders.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeAlias
from urllib.parse import urlsplit

import asyncpg

from storage.errors import BusyError, CodeTakenError, StorageError

if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy
    from asyncpg.transaction import Transaction

    Connection: TypeAlias = PoolConnectionProxy[asyncpg.Record]

logger = logging.getLogger(__name__)

Params = Sequence[object]

LOCK_SPACE = 0x5357  # "SW"
"""First key of the two-key advisory locks of this app (migrations). The per-chat
locks use the one-key (bigint) form, which PostgreSQL keeps apart from the two-key one."""

_BUSY = (
    asyncpg.DeadlockDetectedError,
    asyncpg.SerializationError,
    asyncpg.LockNotAvailableError,
)


def utc(value: datetime) -> datetime:
    """The same instant in UTC; ValueError if `value` is naive."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}: storage needs timezone-aware times")
    return value.astimezone(UTC)


def optional_utc(value: datetime | None) -> datetime | None:
    """`utc`, passing None through."""
    return None if value is None else utc(value)


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


async def rollback_quietly(conn: Connection, transaction: Transaction) -> None:
    """Roll back, without masking the error that led here.

    If the connection is broken (e.g. a statement was cancelled half-way), the pool
    closes it when it is released, which ends the transaction on the server too.
    """
    if not conn.is_in_transaction():
        return
    try:
        await transaction.rollback()
    except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError):
        logger.exception("rollback failed")


def affected(status: str) -> int:
    """Rows affected, from a command tag such as ``UPDATE 3`` or ``INSERT 0 1``."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


class Queries:
    """Base of the transaction mixins: runs statements on one open transaction."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._open = True

    def _finish(self) -> None:
        self._open = False

    def _check_open(self, doing: str) -> None:
        if not self._open:
            raise StorageError(f"{doing}: the transaction has already ended")

    async def _rows(self, doing: str, sql: str, params: Params = ()) -> list[asyncpg.Record]:
        """Run a query and return all its rows."""
        self._check_open(doing)
        with translate_errors(doing):
            return await self._conn.fetch(sql, *params)

    async def _row(self, doing: str, sql: str, params: Params = ()) -> asyncpg.Record | None:
        """Run a query and return its first row, or None."""
        self._check_open(doing)
        with translate_errors(doing):
            return await self._conn.fetchrow(sql, *params)

    async def _value(self, doing: str, sql: str, params: Params = ()) -> object:
        """Run a query and return the first column of its first row (None if no row)."""
        self._check_open(doing)
        with translate_errors(doing):
            return await self._conn.fetchval(sql, *params)

    async def _execute(self, doing: str, sql: str, params: Params = ()) -> int:
        """Run a statement and return how many rows it affected."""
        self._check_open(doing)
        with translate_errors(doing):
            return affected(await self._conn.execute(sql, *params))

    async def _lock_chat(self, chat_id: int) -> None:
        """Wait until no other transaction uses the chat, then keep it until this one ends.

        A statement of its own: in READ COMMITTED each statement sees the data as of its
        start, so only the statements after this one see what the previous holder wrote.
        """
        await self._value(
            f"lock chat {chat_id}", "SELECT pg_advisory_xact_lock($1::bigint)", (chat_id,)
        )
