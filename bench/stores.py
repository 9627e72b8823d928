"""The storage figures' databases: build them (`bench.dataset`), measure their size,
capture the statements an operation runs, and time and EXPLAIN those statements."""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from bench.dataset import POSTGRES, SQLITE, insert_lookup, plan
from storage import open_store
from storage.base import SentMark, Store, Transaction

BENCH_DATABASE = "suara_warga_bench"


def remove_database(path: Path) -> None:
    """Delete a SQLite file with its WAL and shared-memory files, if there."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


async def build_sqlite(path: Path, n: int, now: int) -> float:
    """A SQLite file of `n` reports with the real schema; seconds it took."""
    remove_database(path)
    await (await open_store(path)).close()  # the schema, from the migrations
    started = time.perf_counter()
    await asyncio.to_thread(_fill_sqlite, path, n, now)
    return time.perf_counter() - started


def _fill_sqlite(path: Path, n: int, now: int) -> None:
    statements, lookups = plan(SQLITE, n, now)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = OFF")  # generation only; the bot uses FULL
        conn.execute("PRAGMA cache_size = -400000")
        conn.execute("BEGIN")
        for statement in statements[: len(lookups)]:
            conn.execute(statement)
        for name, rows in lookups.items():
            conn.executemany(insert_lookup(name, rows[0], SQLITE), rows)
        for statement in statements[len(lookups) :]:
            conn.execute(statement)
        conn.execute("COMMIT")
    finally:
        conn.close()
    # Written with synchronous=OFF: flush it now, or the first fsync of the measured
    # bot (the first commit that checkpoints) pays for the whole file.
    with path.open("rb+") as written:
        os.fsync(written.fileno())


def sqlite_size(path: Path) -> int:
    """Bytes of the database file and its WAL (the store is closed: checkpointed)."""
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


def postgres_url(dsn: str, database: str) -> str:
    """The DSN with another database name (its query, e.g. a socket's folder, kept)."""
    return urlunsplit(urlsplit(dsn)._replace(path="/" + database))


async def postgres_version(dsn: str) -> str | None:
    """The server's version, or None if nothing answers at `dsn`."""
    try:
        conn = await asyncpg.connect(dsn, timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return None
    try:
        return str(await conn.fetchval("SHOW server_version"))
    finally:
        await conn.close()


async def fresh_database(dsn: str, name: str) -> str:
    """Database `name` on the server of `dsn`, dropped first if it exists; its URL."""
    admin = await asyncpg.connect(dsn)
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {name}")
    finally:
        await admin.close()
    return postgres_url(dsn, name)


async def drop_database(dsn: str, name: str) -> None:
    """Drop database `name` on the server of `dsn`, if it exists."""
    admin = await asyncpg.connect(dsn)
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        await admin.close()


async def build_postgres(dsn: str, n: int, now: int) -> tuple[str, float]:
    """A fresh database BENCH_DATABASE of `n` reports, analysed; (its URL, seconds)."""
    url = await fresh_database(dsn, BENCH_DATABASE)
    await (await open_store(url)).close()
    started = time.perf_counter()
    statements, lookups = plan(POSTGRES, n, now)
    conn = await asyncpg.connect(url)
    try:
        async with conn.transaction():
            for statement in statements[: len(lookups)]:
                await conn.execute(statement)
            for name, rows in lookups.items():
                await conn.executemany(insert_lookup(name, rows[0], POSTGRES), rows)
            for statement in statements[len(lookups) :]:
                await conn.execute(statement)
            for table in ("reports", "report_history", "message_links"):
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT max(id) FROM {table}))"  # a table name of the line above
                )
        await conn.execute("VACUUM ANALYZE")  # what autovacuum does soon after a load
    finally:
        await conn.close()
    return url, time.perf_counter() - started


async def drop_postgres(dsn: str) -> None:
    """Drop BENCH_DATABASE (built again by the next run)."""
    await drop_database(dsn, BENCH_DATABASE)


async def postgres_size(url: str) -> tuple[int, str]:
    """Bytes of the benchmark database, and the server's durability settings."""
    conn = await asyncpg.connect(url)
    try:
        size = int(await conn.fetchval("SELECT pg_database_size(current_database())"))
        names = ("fsync", "synchronous_commit")
        settings = [f"{name}={await conn.fetchval(f'SHOW {name}')}" for name in names]
        return size, ", ".join(settings)
    finally:
        await conn.close()


@dataclass
class Capture:
    """The statements run by the transactions of a `Hooked` store: (sql, args)."""

    statements: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)

    def sqlite(self, sql: str) -> None:
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):
            self.statements.append((sql, ()))

    def postgres(self, logged: Any) -> None:
        if logged.query.lstrip().upper().startswith(("SELECT", "WITH")):
            self.statements.append((logged.query, tuple(logged.args or ())))


class Hooked:
    """A store whose transactions report their SELECTs to a `Capture`."""

    def __init__(self, store: Store, capture: Capture) -> None:
        self.store = store
        self.capture = capture

    def transaction(self) -> AbstractAsyncContextManager[Transaction]:
        return self._transaction()

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[Transaction]:
        async with self.store.transaction() as tx:
            conn: Any = tx._conn  # type: ignore[attr-defined]  # both backends name it so
            if hasattr(conn, "add_query_logger"):
                conn.add_query_logger(self.capture.postgres)
                try:
                    yield tx
                finally:
                    conn.remove_query_logger(self.capture.postgres)
            else:
                await conn.set_trace_callback(self.capture.sqlite)
                try:
                    yield tx
                finally:
                    await conn.set_trace_callback(None)

    def reading(self) -> AbstractAsyncContextManager[Transaction]:
        return self.store.reading()

    async def mark_sent(
        self, outbox_id: int, *, telegram_message_id: int | None, now: datetime
    ) -> None:
        await self.store.mark_sent(outbox_id, telegram_message_id=telegram_message_id, now=now)

    async def mark_all_sent(self, marks: Sequence[SentMark]) -> None:
        await self.store.mark_all_sent(marks)

    def outbox_wakeups(self, wake: asyncio.Event) -> AbstractAsyncContextManager[None]:
        return self.store.outbox_wakeups(wake)

    def learning_wakeups(self, wake: asyncio.Event) -> AbstractAsyncContextManager[None]:
        return self.store.learning_wakeups(wake)

    async def close(self) -> None:
        await self.store.close()


_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")


@dataclass
class Statement:
    """One kind of statement an operation ran: how often, in total how long, its plan."""

    template: str
    count: int
    seconds: float
    plan: str


async def explain(
    capture: Capture, sqlite_path: Path | None, postgres: str | None
) -> list[Statement]:
    """The captured statements grouped by shape, slowest first in total, each re-timed
    and the slowest instance EXPLAINed (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN
    ANALYZE)."""
    if sqlite_path is not None:
        return await asyncio.to_thread(_explain_sqlite, capture, sqlite_path)
    assert postgres is not None
    return await _explain_postgres(capture, postgres)


def _group(
    timed: list[tuple[str, tuple[Any, ...], float]], shape: Callable[[str], str]
) -> dict[str, list[tuple[str, tuple[Any, ...], float]]]:
    groups: dict[str, list[tuple[str, tuple[Any, ...], float]]] = {}
    for sql, args, seconds in timed:
        groups.setdefault(shape(sql), []).append((sql, args, seconds))
    return groups


def _explain_sqlite(capture: Capture, path: Path) -> list[Statement]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        timed = []
        for sql, args in capture.statements:
            started = time.perf_counter()
            conn.execute(sql, args).fetchall()
            timed.append((sql, args, time.perf_counter() - started))
        found = []
        for template, runs in _group(timed, lambda s: _LITERALS.sub("?", s)).items():
            sql, args, _ = max(runs, key=lambda run: run[2])
            steps = conn.execute(f"EXPLAIN QUERY PLAN {sql}", args).fetchall()
            plan = "; ".join(str(step[-1]) for step in steps)
            found.append(Statement(template, len(runs), sum(r[2] for r in runs), plan))
    finally:
        conn.close()
    return sorted(found, key=lambda s: -s.seconds)


async def _explain_postgres(capture: Capture, url: str) -> list[Statement]:
    conn = await asyncpg.connect(url)
    try:
        timed = []
        for sql, args in capture.statements:
            started = time.perf_counter()
            await conn.fetch(sql, *args)
            timed.append((sql, args, time.perf_counter() - started))
        found = []
        for template, runs in _group(timed, lambda s: s).items():
            sql, args, _ = max(runs, key=lambda run: run[2])
            rows = await conn.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", *args)
            plan = "\n".join(str(row[0]) for row in rows)
            found.append(Statement(template, len(runs), sum(r[2] for r in runs), plan))
    finally:
        await conn.close()
    return sorted(found, key=lambda s: -s.seconds)


async def timed(work: Callable[[], Awaitable[object]], repeat: int) -> list[float]:
    """Seconds of each of `repeat` runs of `work`."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        await work()
        times.append(time.perf_counter() - started)
    return times
