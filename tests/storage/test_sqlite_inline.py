"""SQLite statements on the event loop's thread (`storage.sqlite_inline`): point
statements stay there, a long read moves to aiosqlite's thread without harming its
transaction, and a cancelled one is waited for before the connection is used again."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import aiosqlite

from storage.sqlite import SqliteStore
from storage.sqlite_inline import Inline
from tests.factories import NOW
from tests.storage.helpers import query

LONG_READ = (
    "SELECT (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?) "
    "SELECT sum(x) FROM c), thread_id()"
)


async def _connection(path: Path) -> tuple[aiosqlite.Connection, Inline]:
    conn = await aiosqlite.connect(path, isolation_level=None, check_same_thread=False)
    await conn.create_function("thread_id", 0, threading.get_ident)
    inline = Inline(conn, 5.0)
    await inline.install()
    return conn, inline


async def test_a_short_read_and_a_write_run_on_the_calling_thread(tmp_path: Path) -> None:
    conn, inline = await _connection(tmp_path / "inline.sqlite3")
    try:
        await inline.rows("CREATE TABLE t (x INTEGER)", ())
        cursor = inline.statement("INSERT INTO t (x) VALUES (?), (?)", (1, 2))
        assert cursor.rowcount == 2
        rows = await inline.rows("SELECT sum(x), thread_id() FROM t", ())
        assert [tuple(row) for row in rows] == [(3, threading.get_ident())]
        assert inline.moved == 0
    finally:
        await conn.close()


async def test_a_long_read_moves_to_the_thread_and_keeps_its_transaction(tmp_path: Path) -> None:
    conn, inline = await _connection(tmp_path / "inline.sqlite3")
    try:
        await inline.rows("CREATE TABLE t (x INTEGER)", ())
        await conn.execute("BEGIN IMMEDIATE")
        inline.statement("INSERT INTO t (x) VALUES (?)", (7,))
        n = 200_000
        rows = await inline.rows(LONG_READ, (n,))
        total, thread = rows[0]
        assert total == n * (n + 1) // 2
        assert thread != threading.get_ident()  # aiosqlite's thread ran it
        assert inline.moved == 1
        assert conn.in_transaction  # the interruption rolled nothing back
        await conn.execute("COMMIT")
        assert [tuple(r) for r in await inline.rows("SELECT x FROM t", ())] == [(7,)]
    finally:
        await conn.close()


async def test_after_a_cancelled_long_read_the_store_is_consistent(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    store = await SqliteStore.open(path)
    try:
        loop, on_thread = asyncio.get_running_loop(), asyncio.Event()
        here = threading.get_ident()

        def mark() -> int:
            if threading.get_ident() != here:
                loop.call_soon_threadsafe(on_thread.set)
            return 1

        raw = store._conn  # the store's connection, to add the test's SQL functions
        await raw.create_function("thread_id", 0, threading.get_ident)
        await raw.create_function("mark", 0, mark)
        marked = LONG_READ.replace("SELECT 1 UNION", "SELECT mark() UNION")

        async def long_read() -> None:
            async with store.transaction() as tx:
                await tx.set_meta("before", "1")
                await tx._rows("a long read", marked, (3_000_000,))

        task = asyncio.create_task(long_read())
        await on_thread.wait()  # the read runs on aiosqlite's thread now
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        assert task.cancelled()

        async with store.transaction() as tx:
            await tx.set_meta("after", "2")
            assert await tx.get_meta("before") is None  # rolled back
            assert await tx.claim_update(1, NOW)
    finally:
        await store.close()
    assert query(path, "SELECT key, value FROM meta WHERE key IN ('before', 'after')") == [
        ("after", "2")
    ]


async def test_begin_at_once_only_when_the_write_lock_is_free(tmp_path: Path) -> None:
    path = tmp_path / "inline.sqlite3"
    conn, inline = await _connection(path)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA busy_timeout = 5000")
        other.execute("BEGIN IMMEDIATE")  # another process writes
        assert not inline.begin_at_once()
        assert not conn.in_transaction
        other.execute("COMMIT")
        assert inline.begin_at_once()
        assert conn.in_transaction
        await conn.execute("COMMIT")
        # SQLite's busy wait is back for everything else on the connection
        assert [tuple(r) for r in await inline.rows("PRAGMA busy_timeout", ())] == [(5000,)]
    finally:
        other.close()
        await conn.close()
