"""The SQLite side of the shared queries: timestamps, error translation, the runner.

This is the one boundary where sqlite3/aiosqlite exceptions become `StorageError`s:
every statement runs inside `translate_errors()` (the transaction methods through
`SqliteRunner`'s `_rows`, `_row`, `_value` and `_execute`).

Timestamps are stored as fixed-width UTC text, ``2024-05-01T08:30:00.000000Z``, so
string order is time order and the file stays readable in the sqlite3 shell.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, cast

import aiosqlite

from storage.errors import BusyError, CodeTakenError, StorageError
from storage.queries.runner import Params, Row, Runner
from storage.sqlite_inline import Inline
from storage.timestamps import utc

logger = logging.getLogger(__name__)

BUSY_RETRIES = 3
"""How often `execute_when_free` tries a statement again while the lock is busy
(`begin_immediate` after busy_timeout ran out; the switch to WAL at once)."""

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


def to_db_time(value: datetime) -> str:
    """Format an aware datetime as sortable UTC text; ValueError if it is naive."""
    return utc(value).strftime(_TIME_FORMAT)


def from_db_time(text: str) -> datetime:
    """Parse text written by `to_db_time` back into an aware UTC datetime."""
    # fromisoformat reads the "Z" (Python 3.11+) and is ~50x faster than strptime,
    # which dominated reading many reports (the monthly report parses 100,000s).
    value = datetime.fromisoformat(text)
    if value.tzinfo is not UTC:
        raise ValueError(f"not a storage timestamp: {text!r}")
    return value


def optional_db_time(value: datetime | None) -> str | None:
    """`to_db_time`, passing None through."""
    return None if value is None else to_db_time(value)


def _is_busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _BUSY_CODES
    return "database is locked" in str(exc)


@contextmanager
def translate_errors(doing: str, *, report_code: str | None = None) -> Iterator[None]:
    """Re-raise sqlite3/aiosqlite exceptions as `StorageError`s, ``from`` the original.

    `report_code` is the code being inserted, for `CodeTakenError`.
    """
    try:
        yield
    except sqlite3.IntegrityError as exc:
        if report_code is not None and "UNIQUE constraint failed: reports.code" in str(exc):
            raise CodeTakenError(report_code) from exc
        raise StorageError(f"{doing}: {exc}") from exc
    except sqlite3.Error as exc:
        if _is_busy(exc):
            raise BusyError(f"{doing}: the database is locked by another writer") from exc
        raise StorageError(f"{doing}: {exc}") from exc
    except ValueError as exc:
        # aiosqlite's "Connection closed" / "no active connection".
        raise StorageError(f"{doing}: {exc}") from exc


async def begin_immediate(conn: aiosqlite.Connection, retries: int = BUSY_RETRIES) -> None:
    """Start a write transaction, retrying when another process holds the lock.

    busy_timeout already makes SQLite wait; this adds a few tries with a growing pause
    for the case where the other writer holds the lock longer than that.
    """
    await execute_when_free(conn, "BEGIN IMMEDIATE", "begin transaction", retries)


async def execute_when_free(
    conn: aiosqlite.Connection, sql: str, doing: str, retries: int = BUSY_RETRIES
) -> list[sqlite3.Row]:
    """Run one statement and fetch its rows, retrying with a growing pause while busy.

    Some locks are taken without SQLite's busy handler: switching a new file to WAL
    needs an exclusive lock that fails at once while another process opens the same
    file, so busy_timeout alone does not cover it.
    """
    attempt = 0
    while True:
        try:
            with translate_errors(doing):
                async with conn.execute(sql) as cursor:
                    return list(await cursor.fetchall())
        except BusyError:
            if attempt == retries:
                raise
            attempt += 1
            logger.warning("database busy, retrying %s (attempt %d)", doing, attempt)
            await asyncio.sleep(0.05 * 2 ** (attempt - 1))


async def rollback_quietly(conn: aiosqlite.Connection) -> None:
    """Roll back whatever is open, without masking the error that led here.

    The ROLLBACK is queued unconditionally rather than after checking
    `in_transaction`: a cancelled BEGIN or statement may still be running on the
    connection's thread, and the queue guarantees the ROLLBACK runs after it.
    """
    try:
        await conn.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        if "no transaction is active" not in str(exc):
            logger.exception("rollback failed")
    except (sqlite3.Error, ValueError):
        logger.exception("rollback failed")


class SqliteRunner(Runner):
    """Runs the shared queries on one aiosqlite connection inside ``BEGIN IMMEDIATE``.

    The write lock is held from the start, so `_lock_chat` and `_FOR_UPDATE` have
    nothing to add; timestamps are text (`to_db_time`, `from_db_time`).
    """

    _NO_LIMIT = -1

    def __init__(self, conn: aiosqlite.Connection, inline: Inline) -> None:
        self._conn = conn
        self._inline = inline

    _encode_time = staticmethod(to_db_time)
    _decode_time = staticmethod(cast("Callable[[Any], datetime]", from_db_time))

    async def _rows(self, doing: str, sql: str, params: Params = ()) -> Sequence[Row]:
        """Run a query and return all its rows (on this thread, `storage.sqlite_inline`)."""
        self._check_open(doing)
        with translate_errors(doing):
            return await self._inline.rows(sql, params)

    async def _row(self, doing: str, sql: str, params: Params = ()) -> Row | None:
        """Run a query and return its first row, or None."""
        rows = await self._rows(doing, sql, params)
        return rows[0] if rows else None

    async def _value(self, doing: str, sql: str, params: Params = ()) -> object:
        """Run a query and return the first column of its first row (None if no row)."""
        row = await self._row(doing, sql, params)
        return None if row is None else row[0]

    async def _execute(self, doing: str, sql: str, params: Params = ()) -> int:
        """Run a statement and return how many rows it changed."""
        return (await self._statement(doing, sql, params)).rowcount

    async def _statement(
        self, doing: str, sql: str, params: Params = (), *, report_code: str | None = None
    ) -> sqlite3.Cursor:
        """Run a write (on this thread, `storage.sqlite_inline`); its cursor, for the
        rowcount or lastrowid."""
        self._check_open(doing)
        with translate_errors(doing, report_code=report_code):
            return self._inline.statement(sql, params)

    async def _lock_chat(self, chat_id: int) -> None:
        """Nothing to do: ``BEGIN IMMEDIATE`` holds the file's one write lock already."""

    def _in(self, column: str, values: Sequence[object], sql_type: str) -> tuple[str, Params]:
        """``column IN (?, ...)``, one mark per value."""
        return f"{column} IN ({', '.join('?' * len(values))})", tuple(values)

    def _in_rows_of(self, column: str, subquery: str) -> str:
        """``column IN (subquery)``, which SQLite runs once into a list to look up."""
        return f"{column} IN ({subquery})"

    def _not_in(self, column: str, values: Sequence[object], sql_type: str) -> tuple[str, Params]:
        """``column NOT IN (?, ...)``, one mark per value."""
        return f"{column} NOT IN ({', '.join('?' * len(values))})", tuple(values)
