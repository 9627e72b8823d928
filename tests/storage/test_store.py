"""The store itself: transactions, rollback, reopening, several stores on one database.

Tests taking `db` or `db_location` run on both backends; those on `db_path` are about
the SQLite file itself (busy waits, the write lock).
"""

from __future__ import annotations

import asyncio
import sqlite3
import sys
import time
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest

from storage import Store, open_store
from storage.errors import BusyError, NotFoundError, StorageError
from storage.postgres import PostgresStore
from storage.sqlite import SqliteStore
from tests.factories import BU_RINA, NOW, make_report
from tests.storage.helpers import fetch, query


class Boom(Exception):
    """Raised by a test in the middle of a unit of work."""


def as_stores(sqlite: SqliteStore, postgres: PostgresStore) -> list[Store]:
    """Checked by mypy: a missing or mistyped method of either fails `make lint`."""
    return [sqlite, postgres]


async def test_each_backend_satisfies_the_store_protocol(db: Store) -> None:
    assert isinstance(db, SqliteStore | PostgresStore)
    async with db.transaction() as tx:
        await tx.set_meta("offset", "1")
        assert await tx.get_meta("offset") == "1"


async def test_a_failing_transaction_rolls_everything_back(db: Store) -> None:
    with pytest.raises(Boom):
        async with db.transaction() as tx:
            assert await tx.claim_update(5001, NOW)
            await tx.set_meta("offset", "5002")
            await tx.save_conversation(
                1001, '{"step": "foto"}', updated_at=NOW, draft_updated_at=NOW
            )
            report = await tx.insert_report(make_report())
            await tx.enqueue(1001, '{"text": "Terima kasih"}', now=NOW, report_id=report.id)
            raise Boom

    async with db.transaction() as tx:
        assert await tx.claim_update(5001, NOW)  # not claimed before
        assert await tx.get_meta("offset") is None
        assert await tx.load_conversation(1001) is None
        assert await tx.due_messages(NOW) == []
        with pytest.raises(NotFoundError):
            await tx.get_report("SW-7K3M-Q9XA")
    assert await fetch(db, "SELECT count(*) FROM report_history") == [(0,)]


async def test_a_storage_error_escaping_the_block_rolls_back_too(db: Store) -> None:
    async with db.transaction() as tx:
        await tx.insert_report(make_report("SW-0000-0001"))

    with pytest.raises(StorageError):
        async with db.transaction() as tx:
            await tx.save_conversation(1002, "{}", updated_at=NOW, draft_updated_at=None)
            await tx.insert_report(make_report("SW-0000-0001", reporter=BU_RINA))

    async with db.transaction() as tx:
        assert await tx.load_conversation(1002) is None
        assert await tx.reports_by_reporter(BU_RINA.user_id) == []


async def test_cancelling_a_transaction_rolls_it_back(db: Store) -> None:
    started = asyncio.Event()

    async def slow_unit_of_work() -> None:
        async with db.transaction() as tx:
            await tx.set_meta("offset", "7")
            started.set()
            await asyncio.sleep(10)

    task = asyncio.create_task(slow_unit_of_work())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    async with db.transaction() as tx:
        assert await tx.get_meta("offset") is None


async def test_reopening_keeps_everything(db_location: str) -> None:
    store = await open_store(db_location)
    async with store.transaction() as tx:
        await tx.claim_update(77, NOW)
        await tx.set_meta("offset", "78")
        await tx.save_conversation(1001, '{"step": "lokasi"}', updated_at=NOW, draft_updated_at=NOW)
        saved = await tx.insert_report(make_report())
        outbox_id = await tx.enqueue(1001, '{"text": "Laporan diterima"}', now=NOW)
    await store.close()

    store = await open_store(db_location)  # PostgreSQL: a new pool
    try:
        async with store.transaction() as tx:
            assert not await tx.claim_update(77, NOW)
            assert await tx.get_meta("offset") == "78"
            assert await tx.load_conversation(1001) == '{"step": "lokasi"}'
            assert await tx.get_report(saved.code) == saved
            assert [m.id for m in await tx.due_messages(NOW)] == [outbox_id]
    finally:
        await store.close()


async def test_a_transaction_cannot_be_used_after_its_block(db: Store) -> None:
    async with db.transaction() as tx:
        await tx.set_meta("offset", "1")

    with pytest.raises(StorageError, match="already ended"):
        await tx.get_meta("offset")


async def test_a_closed_store_refuses_transactions(db_location: str) -> None:
    store = await open_store(db_location)
    await store.close()
    await store.close()  # idempotent

    with pytest.raises(StorageError, match="closed"):
        async with store.transaction():
            pass


async def test_naive_datetimes_are_refused(db: Store) -> None:
    with pytest.raises(ValueError, match="naive"):
        async with db.transaction() as tx:
            await tx.claim_update(1, datetime(2024, 5, 1, 8, 30))


async def test_transactions_of_one_sqlite_store_are_serialised(sqlite_db: SqliteStore) -> None:
    # A PostgresStore runs its transactions concurrently (a pool); what it serialises is
    # a chat's (test_postgres.py: test_a_chat_handled_by_two_processes_loses_no_step).
    async def increment() -> None:
        async with sqlite_db.transaction() as tx:
            value = int(await tx.get_meta("counter") or "0")
            await asyncio.sleep(0)  # let the other tasks try to interleave
            await tx.set_meta("counter", str(value + 1))

    await asyncio.gather(*(increment() for _ in range(50)))

    async with sqlite_db.transaction() as tx:
        assert await tx.get_meta("counter") == "50"


async def test_two_stores_on_one_database_lose_nothing(db_location: str) -> None:
    first = await open_store(db_location)
    second = await open_store(db_location)

    async def handle_update(store: Store, update_id: int) -> None:
        async with store.transaction() as tx:
            if await tx.claim_update(update_id, NOW):
                await tx.enqueue(update_id % 7, f'{{"update": {update_id}}}', now=NOW)

    try:
        await asyncio.gather(
            *(handle_update(first, n) for n in range(200)),
            *(handle_update(second, n) for n in range(200, 400)),
        )
    finally:
        await first.close()
        await second.close()

    assert await fetch(db_location, "SELECT count(*) FROM processed_updates") == [(400,)]
    payloads = await fetch(db_location, "SELECT payload FROM outbox")
    assert sorted(payloads) == sorted((f'{{"update": {n}}}',) for n in range(400))


WRITER_SCRIPT = """
import asyncio, sys
from datetime import UTC, datetime
from storage import open_store

async def main(location: str) -> None:
    store = await open_store(location)
    print("ready", flush=True)
    try:
        for n in range(1000, 1200):
            async with store.transaction() as tx:
                await tx.claim_update(n, datetime.now(UTC))
                await tx.enqueue(n % 7, '{"from": "child"}', now=datetime.now(UTC))
    finally:
        await store.close()

asyncio.run(main(sys.argv[1]))
"""


async def test_another_process_writing_at_the_same_time_loses_nothing(db_location: str) -> None:
    store = await open_store(db_location)
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        WRITER_SCRIPT,
        db_location,
        cwd=Path(__file__).parents[2],
        stdout=asyncio.subprocess.PIPE,
    )
    assert child.stdout is not None
    try:
        assert await child.stdout.readline() == b"ready\n"  # write while the child writes
        for n in range(200):
            async with store.transaction() as tx:
                await tx.claim_update(n, NOW)
                await tx.enqueue(n % 7, '{"from": "parent"}', now=NOW)
    finally:
        assert await child.wait() == 0
        await store.close()

    assert await fetch(db_location, "SELECT count(*) FROM processed_updates") == [(400,)]
    assert await fetch(
        db_location, "SELECT payload, count(*) FROM outbox GROUP BY 1 ORDER BY 1"
    ) == [
        ('{"from": "child"}', 200),
        ('{"from": "parent"}', 200),
    ]


async def test_the_same_update_claimed_by_two_stores_is_handled_once(db_location: str) -> None:
    first = await open_store(db_location)
    second = await open_store(db_location)

    async def claim(store: Store) -> bool:
        async with store.transaction() as tx:
            return await tx.claim_update(9001, NOW)

    try:
        results = await asyncio.gather(claim(first), claim(second))
    finally:
        await first.close()
        await second.close()

    assert sorted(results) == [False, True]


async def test_a_writer_waits_for_another_process_then_succeeds(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = await SqliteStore.open(db_path, busy_timeout=0.05)
    with closing(sqlite3.connect(db_path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        # The other process commits while the store is between retries.
        asyncio.get_running_loop().call_later(0.1, other.execute, "COMMIT")
        try:
            async with store.transaction() as tx:
                await tx.set_meta("offset", "3")
        finally:
            await store.close()

    assert query(db_path, "SELECT value FROM meta WHERE key = 'offset'") == [("3",)]
    assert "retrying begin transaction" in caplog.text


async def test_a_writer_gives_up_with_busy_error(db_path: Path) -> None:
    store = await SqliteStore.open(db_path, busy_timeout=0.01)
    try:
        with closing(sqlite3.connect(db_path, isolation_level=None)) as other:
            other.execute("BEGIN IMMEDIATE")
            started = time.monotonic()
            with pytest.raises(BusyError, match="locked"):
                async with store.transaction():
                    pass
            other.execute("ROLLBACK")
        assert time.monotonic() - started < 2
        async with store.transaction() as tx:  # the store is still usable
            await tx.set_meta("offset", "4")
    finally:
        await store.close()


@pytest.mark.parametrize(
    "spelling",
    [
        pytest.param("plain", id="plain-path"),
        pytest.param("url", id="sqlite-url"),
    ],
)
async def test_open_store_accepts_a_path_or_a_sqlite_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spelling: str
) -> None:
    monkeypatch.chdir(tmp_path)
    location = "data/bot.sqlite3" if spelling == "plain" else "sqlite:///data/bot.sqlite3"
    store = await open_store(location)
    try:
        async with store.transaction() as tx:
            await tx.set_meta("offset", "10")
    finally:
        await store.close()

    assert query(tmp_path / "data" / "bot.sqlite3", "SELECT value FROM meta") == [("10",)]


async def test_open_store_opens_a_postgresql_url(pg_url: str) -> None:
    store = await open_store(pg_url)
    try:
        assert isinstance(store, PostgresStore)
        async with store.transaction() as tx:
            await tx.set_meta("offset", "10")
    finally:
        await store.close()

    assert await fetch(pg_url, "SELECT value FROM meta") == [("10",)]


async def test_open_store_refuses_other_databases() -> None:
    with pytest.raises(StorageError, match="mysql"):
        await open_store("mysql://bot@localhost/suara_warga")


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("postgresql://bot:s3cret@db.internal/suara_warga", id="postgresql"),
        pytest.param("sqlite:///data/bot.sqlite3", id="sqlite"),
    ],
)
async def test_open_store_refuses_a_url_mangled_by_pathlib(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StorageError, match="lost a '/'") as caught:
        await open_store(Path(url))  # Path turns "//" into "/"

    assert "s3cret" not in str(caught.value)
    assert not any(tmp_path.iterdir())  # noqa: ASYNC240 - no stray file named like the URL


async def test_reading_sees_what_was_committed_on_each_backend(db: Store) -> None:
    async with db.transaction() as tx:
        await tx.set_meta("offset", "7")
    async with db.reading() as tx:
        assert await tx.get_meta("offset") == "7"
        assert await tx.due_messages(NOW) == []


async def test_reading_takes_no_write_lock(db_path: Path) -> None:
    """Another process holding SQLite's write lock does not stop a read (a transaction
    would wait for it, then give up)."""
    store = await SqliteStore.open(db_path, busy_timeout=0.01)
    try:
        async with store.transaction() as tx:
            await tx.set_meta("offset", "8")
        with closing(sqlite3.connect(db_path, isolation_level=None)) as other:
            other.execute("BEGIN IMMEDIATE")
            other.execute("UPDATE meta SET value = '9' WHERE key = 'offset'")
            async with store.reading() as tx:
                assert await tx.get_meta("offset") == "8"  # not what is uncommitted
            with pytest.raises(BusyError):
                async with store.transaction():
                    pass
            other.execute("ROLLBACK")
    finally:
        await store.close()
