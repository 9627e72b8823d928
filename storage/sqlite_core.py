"""What every SQLite module shares: timestamps, error translation, statement helpers.

This is the one boundary where sqlite3/aiosqlite exceptions become `StorageError`s:
every statement runs inside `translate_errors()` (the transaction methods through
`Queries._rows` and `Queries._write`).

Timestamps are stored as fixed-width UTC text, ``2024-05-01T08:30:00.000000Z``, so
string order is time order and the file stays readable in the sqlite3 shell.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

import aiosqlite

from storage.errors import BusyError, CodeTakenError, StorageError

logger = logging.getLogger(__name__)

Params = Sequence[object]

BEGIN_RETRIES = 3
"""How often `begin_immediate` tries again after busy_timeout ran out."""

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


def to_db_time(value: datetime) -> str:
    """Format an aware datetime as sortable UTC text; ValueError if it is naive."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}: storage needs timezone-aware times")
    return value.astimezone(UTC).strftime(_TIME_FORMAT)


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


async def begin_immediate(conn: aiosqlite.Connection, retries: int = BEGIN_RETRIES) -> None:
    """Start a write transaction, retrying when another process holds the lock.

    busy_timeout already makes SQLite wait; this adds a few tries with a growing pause
    for the case where the other writer holds the lock longer than that.
    """
    for attempt in range(retries + 1):
        try:
            with translate_errors("begin transaction"):
                await conn.execute("BEGIN IMMEDIATE")
            return
        except BusyError:
            if attempt == retries:
                raise
            logger.warning("database busy, retrying BEGIN (attempt %d)", attempt + 1)
            await asyncio.sleep(0.05 * 2**attempt)


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


class Queries:
    """Base of the transaction mixins: runs statements on one open transaction."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._open = True

    def _finish(self) -> None:
        self._open = False

    def _check_open(self, doing: str) -> None:
        if not self._open:
            raise StorageError(f"{doing}: the transaction has already ended")

    async def _rows(self, doing: str, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Run a query and return all its rows."""
        self._check_open(doing)
        with translate_errors(doing):
            async with self._conn.execute(sql, params) as cursor:
                return list(await cursor.fetchall())

    async def _row(self, doing: str, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """Run a query and return its first row, or None."""
        rows = await self._rows(doing, sql, params)
        return rows[0] if rows else None

    async def _write(
        self, doing: str, sql: str, params: Params = (), *, report_code: str | None = None
    ) -> tuple[int, int | None]:
        """Run a statement and return (rowcount, lastrowid)."""
        self._check_open(doing)
        with translate_errors(doing, report_code=report_code):
            async with self._conn.execute(sql, params) as cursor:
                return cursor.rowcount, cursor.lastrowid

    async def _insert(
        self, doing: str, sql: str, params: Params = (), *, report_code: str | None = None
    ) -> int:
        """Run an INSERT and return the new row's id."""
        _, row_id = await self._write(doing, sql, params, report_code=report_code)
        if row_id is None:  # pragma: no cover - sqlite sets it after every INSERT
            raise StorageError(f"{doing}: the database returned no row id")
        return row_id

    async def _write_many(self, doing: str, sql: str, rows: Sequence[Params]) -> None:
        """Run a statement once per parameter row."""
        self._check_open(doing)
        if rows:
            with translate_errors(doing):
                await self._conn.executemany(sql, rows)
