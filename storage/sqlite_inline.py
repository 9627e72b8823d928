"""SQLite statements run on the event loop's own thread, not aiosqlite's.

aiosqlite runs every statement on the connection's thread. For the bot's statements,
point reads and writes of a few microseconds, the trip costs more than the work: about
25 µs of CPU there and back, and, worse, the transaction keeps the store's lock (so
every other update waits) until the busy event loop gets round to the answer, a turn of
the loop per statement. `Inline` runs a statement on the calling thread, on the same
sqlite3 connection (opened with ``check_same_thread=False``): the store's lock lets one
user at a time at the connection, and the store makes sure aiosqlite's thread is idle
before it runs anything inline (`storage.sqlite.SqliteStore`).

What still goes to aiosqlite's thread, so that the loop is never held for long:

* ``BEGIN IMMEDIATE`` when another process holds the write lock (`begin_at_once` tries
  it here first, with SQLite's busy wait off; the thread then waits as before), and
  ``COMMIT`` (its fsync, and a WAL checkpoint now and then);
* a read (a statement that starts with SELECT) that runs past `READ_BUDGET` steps of
  SQLite's virtual machine: the progress handler interrupts it, which leaves the
  transaction as it was, and it runs again on the thread (a monthly report, an export).

A write runs inline whole: interrupting one would roll back its transaction. Inside
``BEGIN IMMEDIATE`` a write never waits for a lock, and SQLite transactions are kept
short (`storage.sqlite.SLOW_TRANSACTION`; housekeeping works in small chunks).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import aiosqlite

Params = Sequence[object]

STEPS_PER_CALL = 1000
"""SQLite virtual machine steps between two calls of the progress handler."""
READ_BUDGET = 50
"""Calls of the progress handler (so about 50,000 steps, a millisecond or two) an
inline read may take before it moves to aiosqlite's thread."""


class Inline:
    """Runs statements of one aiosqlite connection on the calling thread; see the module
    docstring. Install it once with `install`."""

    def __init__(self, conn: aiosqlite.Connection, busy_timeout: float) -> None:
        self._conn = conn
        self._busy_ms = int(busy_timeout * 1000)  # the connection's busy_timeout
        self._calls = 0
        self._budget = 0  # calls left for the inline read running now; 0: none runs
        self.moved = 0  # reads that ran over their budget and went to the thread

    async def install(self) -> None:
        """Set the progress handler (on aiosqlite's thread, as the connection's own)."""
        await self._conn.set_progress_handler(self._progress, STEPS_PER_CALL)

    def _progress(self) -> int:
        """SQLite's progress handler: non-zero interrupts the statement running."""
        if self._budget == 0:
            return 0
        self._calls += 1
        return 1 if self._calls >= self._budget else 0

    async def rows(self, sql: str, params: Params) -> list[sqlite3.Row]:
        """All rows of the statement: a read within its budget inline (else on the
        thread), a write inline."""
        raw = self._conn._conn  # aiosqlite's sqlite3 connection (private)
        if sql.lstrip()[:6].upper() != "SELECT":
            return raw.execute(sql, params).fetchall()
        self._calls, self._budget = 0, READ_BUDGET
        try:
            return raw.execute(sql, params).fetchall()
        except sqlite3.OperationalError:
            if self._calls < READ_BUDGET:
                raise  # not our interruption
        finally:
            self._budget = 0
        self.moved += 1
        return list(await self._conn.execute_fetchall(sql, params))

    def statement(self, sql: str, params: Params) -> sqlite3.Cursor:
        """Run a write inline; its cursor (rowcount, lastrowid)."""
        raw = self._conn._conn  # aiosqlite's sqlite3 connection (private)
        return raw.execute(sql, params)

    def begin_at_once(self) -> bool:
        """``BEGIN IMMEDIATE`` here if the write lock is free now; False if another
        connection holds it (nothing begun: begin on the thread, which waits for it)."""
        raw = self._conn._conn  # aiosqlite's sqlite3 connection (private)
        raw.execute("PRAGMA busy_timeout = 0")
        try:
            raw.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode & 0xFF not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise
            return False
        finally:
            raw.execute(f"PRAGMA busy_timeout = {self._busy_ms}")
        return True
