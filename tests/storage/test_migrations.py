"""SQLite migrations: applied once, recorded, extended later, refused when unknown.

The same for PostgreSQL is in `test_postgres_migrations.py`.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import aiosqlite
import pytest

from storage.errors import MigrationError, StorageError
from storage.migrations import MIGRATIONS, Migration, run
from storage.sqlite import SqliteStore
from tests.factories import NOW, make_report
from tests.storage.helpers import query

REGISTERED = [fn.__name__ for fn in MIGRATIONS]


async def m005_add_report_votes(db: aiosqlite.Connection) -> None:
    """A migration a later version of the bot might add."""
    await run(db, "ALTER TABLE reports ADD COLUMN votes INTEGER NOT NULL DEFAULT 0")


async def m005_broken(db: aiosqlite.Connection) -> None:
    """Creates a table, then fails: neither may survive."""
    await run(db, "CREATE TABLE half_done (id INTEGER PRIMARY KEY)", "SELECT * FROM nowhere")


def applied(path: Path) -> list[str]:
    return [row[0] for row in query(path, "SELECT name FROM migrations ORDER BY rowid")]


def tables(path: Path) -> set[str]:
    return {row[0] for row in query(path, "SELECT name FROM sqlite_master WHERE type = 'table'")}


async def test_fresh_file_records_every_migration_in_order(sqlite_db: SqliteStore) -> None:
    assert sorted(REGISTERED) == REGISTERED
    assert applied(sqlite_db.path) == REGISTERED
    assert {"reports", "report_photos", "outbox", "message_links", "blocked_chats"} <= tables(
        sqlite_db.path
    )


async def test_fresh_file_is_wal_with_foreign_keys(sqlite_db: SqliteStore) -> None:
    assert query(sqlite_db.path, "PRAGMA journal_mode") == [("wal",)]
    with pytest.raises(StorageError, match="FOREIGN KEY"):
        async with sqlite_db.transaction() as tx:
            await tx.enqueue(1001, "{}", now=NOW, report_id=404)


async def test_reopening_applies_nothing_again(db_path: Path) -> None:
    store = await SqliteStore.open(db_path)
    await store.close()
    first = query(db_path, "SELECT name, applied_at FROM migrations ORDER BY rowid")

    store = await SqliteStore.open(db_path)
    await store.close()

    assert query(db_path, "SELECT name, applied_at FROM migrations ORDER BY rowid") == first


async def test_a_later_migration_is_applied_on_reopen_and_keeps_data(db_path: Path) -> None:
    store = await SqliteStore.open(db_path)
    async with store.transaction() as tx:
        await tx.insert_report(make_report("SW-7K3M-Q9XA"))
    await store.close()

    extended: list[Migration] = [*MIGRATIONS, m005_add_report_votes]
    store = await SqliteStore.open(db_path, migrations=extended)
    try:
        async with store.transaction() as tx:
            report = await tx.get_report("SW-7K3M-Q9XA")
    finally:
        await store.close()

    assert applied(db_path) == [*REGISTERED, "m005_add_report_votes"]
    assert report.reporter.name == "Siti Aminah"
    assert query(db_path, "SELECT code, votes FROM reports") == [("SW-7K3M-Q9XA", 0)]


async def test_a_file_from_a_newer_version_is_refused(db_path: Path) -> None:
    store = await SqliteStore.open(db_path, migrations=[*MIGRATIONS, m005_add_report_votes])
    await store.close()

    with pytest.raises(MigrationError, match=r"m005_add_report_votes.*newer version"):
        await SqliteStore.open(db_path)


async def test_a_failing_migration_leaves_nothing_behind(db_path: Path) -> None:
    with pytest.raises(MigrationError, match="m005_broken failed"):
        await SqliteStore.open(db_path, migrations=[*MIGRATIONS, m005_broken])

    assert applied(db_path) == REGISTERED
    assert "half_done" not in tables(db_path)


async def test_duplicate_migration_names_are_refused(db_path: Path) -> None:
    with pytest.raises(MigrationError, match="unique"):
        await SqliteStore.open(db_path, migrations=[*MIGRATIONS, MIGRATIONS[0]])


async def test_opening_waits_for_another_writer_before_switching_to_wal(db_path: Path) -> None:
    # Switching to WAL takes an exclusive lock without SQLite's busy handler, so a
    # writer in the old journal mode made the open fail at once (one opening in ten when
    # two connections opened a new file together; CI failed on it once). The open now
    # retries until it is free.
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("CREATE TABLE earlier (x INTEGER)")
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO earlier VALUES (1)")
    asyncio.get_running_loop().call_later(0.08, other.execute, "COMMIT")

    store = await SqliteStore.open(db_path)
    try:
        assert not other.in_transaction
        async with store.transaction() as tx:
            assert await tx.claim_update(1, NOW)
    finally:
        await store.close()
        other.close()

    assert applied(db_path) == REGISTERED
    assert query(db_path, "PRAGMA journal_mode") == [("wal",)]
    assert query(db_path, "SELECT x FROM earlier") == [(1,)]


async def test_two_processes_opening_a_new_file_migrate_it_once(db_path: Path) -> None:
    first, second = await asyncio.gather(SqliteStore.open(db_path), SqliteStore.open(db_path))
    try:
        async with first.transaction() as tx:
            assert await tx.claim_update(1, NOW)
        async with second.transaction() as tx:
            assert not await tx.claim_update(1, NOW)
    finally:
        await first.close()
        await second.close()

    assert applied(db_path) == REGISTERED
