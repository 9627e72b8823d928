"""What only PostgreSQL has: several processes (pools) on one database, its locks,
its types and its errors. Each `open_store(pg_url)` stands for one bot process."""

from __future__ import annotations

import asyncio
import itertools
import json
import time

import asyncpg
import pytest

from flows.report import Status
from storage import open_store
from storage.base import Store
from storage.errors import BusyError, CodeTakenError, StorageError
from storage.postgres import PostgresStore
from tests.factories import BU_RINA, NOW, make_report
from tests.storage.helpers import fetch, with_database

CHAT = 1001


async def test_a_chat_waits_for_the_other_process_handling_it(
    pg_db: PostgresStore, other: Store
) -> None:
    holding = asyncio.Event()

    async def first_update() -> None:
        async with pg_db.transaction() as tx:
            assert await tx.load_conversation(CHAT) is None
            holding.set()
            await asyncio.sleep(0.3)  # the flow runs; the other process must wait
            await tx.save_conversation(
                CHAT, '{"step": "foto"}', updated_at=NOW, draft_updated_at=NOW
            )

    async def second_update() -> tuple[str | None, float]:
        await holding.wait()
        started = time.monotonic()
        async with other.transaction() as tx:
            state = await tx.load_conversation(CHAT)
        return state, time.monotonic() - started

    async def another_chat() -> float:
        await holding.wait()
        started = time.monotonic()
        async with other.transaction() as tx:
            await tx.load_conversation(CHAT + 1)
        return time.monotonic() - started

    _, (state, waited), not_waited = await asyncio.gather(
        first_update(), second_update(), another_chat()
    )

    assert state == '{"step": "foto"}'  # it saw what the first one committed
    assert waited > 0.2
    assert not_waited < 0.2


async def test_a_chat_handled_by_two_processes_loses_no_step(
    pg_db: PostgresStore, other: Store
) -> None:
    async def step(store: Store) -> None:
        async with store.transaction() as tx:
            state = json.loads(await tx.load_conversation(CHAT) or '{"steps": 0}')
            await asyncio.sleep(0)  # let the other transactions try to interleave
            state["steps"] += 1
            await tx.save_conversation(
                CHAT, json.dumps(state), updated_at=NOW, draft_updated_at=None
            )

    await asyncio.gather(*(step(store) for _ in range(25) for store in (pg_db, other)))

    async with pg_db.transaction() as tx:
        assert json.loads(await tx.load_conversation(CHAT) or "{}") == {"steps": 50}


async def holding_chat(pg_url: str, chat_id: int) -> asyncpg.Connection:
    """A connection of a stuck process holding the chat's lock in an open transaction."""
    conn = await asyncpg.connect(pg_url)
    await conn.execute("BEGIN")
    await conn.execute("SELECT pg_advisory_xact_lock($1::bigint)", chat_id)
    return conn


async def test_a_chat_locked_too_long_gives_busy_error(pg_url: str) -> None:
    store = await PostgresStore.open(pg_url, lock_timeout=0.1)
    stuck = await holding_chat(pg_url, CHAT)
    try:
        with pytest.raises(BusyError, match="lock chat 1001"):
            async with store.transaction() as tx:
                await tx.load_conversation(CHAT)
        async with store.transaction() as tx:  # the store is still usable
            await tx.load_conversation(CHAT + 1)
    finally:
        await stuck.close()
        await store.close()


async def test_cancelling_a_transaction_waiting_for_a_lock_rolls_it_back(pg_url: str) -> None:
    store = await PostgresStore.open(pg_url, pool_size=1)
    stuck = await holding_chat(pg_url, CHAT)

    async def wait_for_chat() -> None:
        async with store.transaction() as tx:
            await tx.set_meta("offset", "7")
            await tx.load_conversation(CHAT)  # waits for `stuck`

    try:
        task = asyncio.create_task(wait_for_chat())
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        async with store.transaction() as tx:  # the only connection works again
            assert await tx.get_meta("offset") is None
    finally:
        await stuck.close()
        await store.close()


async def test_a_code_taken_by_another_process_is_refused_once_it_commits(
    pg_db: PostgresStore, other: Store
) -> None:
    inserted = asyncio.Event()

    async def first() -> None:
        async with pg_db.transaction() as tx:
            await tx.insert_report(make_report("SW-7K3M-Q9XA"))
            inserted.set()
            await asyncio.sleep(0.2)

    async def second() -> str:
        await inserted.wait()
        async with other.transaction() as tx:
            with pytest.raises(CodeTakenError):
                await tx.insert_report(make_report("SW-7K3M-Q9XA", reporter=BU_RINA))
            report = await tx.insert_report(make_report("SW-7K3M-Q9XB", reporter=BU_RINA))
        return report.code

    _, code = await asyncio.gather(first(), second())

    assert code == "SW-7K3M-Q9XB"
    assert await fetch(pg_db, "SELECT code FROM reports ORDER BY code") == [
        ("SW-7K3M-Q9XA",),
        ("SW-7K3M-Q9XB",),
    ]


async def test_officers_of_two_processes_changing_one_report_keep_its_history(
    pg_db: PostgresStore, other: Store
) -> None:
    async with pg_db.transaction() as tx:
        report = await tx.insert_report(make_report())

    async def act(store: Store, to_status: Status, n: int) -> None:
        async with store.transaction() as tx:
            await tx.set_status(report.id, to_status, actor=f"petugas:{n}", at=NOW)

    await asyncio.gather(
        *(act(pg_db, Status.DIVERIFIKASI, n) for n in range(10)),
        *(act(other, Status.DIPROSES, n) for n in range(10)),
    )

    async with pg_db.transaction() as tx:
        history = await tx.history(report.id)
    assert len(history) == 21
    for before, after in itertools.pairwise(history):
        assert after.from_status == before.to_status  # no line lost the other's change


async def test_timestamps_are_timestamptz_and_ids_bigint(pg_db: PostgresStore) -> None:
    columns = await fetch(
        pg_db,
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'public' AND (column_name LIKE '%\\_at' "
        "OR column_name LIKE '%chat\\_id' OR column_name LIKE '%user\\_id')",
    )
    kinds = {(table, column): kind for table, column, kind in columns}
    assert kinds[("reports", "filed_at")] == "timestamp with time zone"
    assert kinds[("leases", "expires_at")] == "timestamp with time zone"
    assert kinds[("outbox", "chat_id")] == "bigint"
    assert {kind for (_, column), kind in kinds.items() if column.endswith("_at")} == {
        "timestamp with time zone"
    }
    assert {kind for (_, column), kind in kinds.items() if column.endswith("_id")} == {"bigint"}


async def test_foreign_keys_are_enforced(pg_db: PostgresStore) -> None:
    with pytest.raises(StorageError, match="foreign key"):
        async with pg_db.transaction() as tx:
            await tx.enqueue(CHAT, "{}", now=NOW, report_id=404)


async def test_close_waits_for_running_transactions(pg_db: PostgresStore) -> None:
    started = asyncio.Event()

    async def unit_of_work() -> None:
        async with pg_db.transaction() as tx:
            started.set()
            await asyncio.sleep(0.2)
            await tx.set_meta("offset", "9")

    async def close_meanwhile() -> None:
        await started.wait()
        await pg_db.close()

    await asyncio.gather(unit_of_work(), close_meanwhile())

    assert await fetch(pg_db, "SELECT value FROM meta") == [("9",)]
    with pytest.raises(StorageError, match="closed"):
        async with pg_db.transaction():
            pass


async def test_an_unreachable_server_is_a_storage_error_without_the_password() -> None:
    with pytest.raises(StorageError, match=r"127\.0\.0\.1:9/suara_warga") as caught:
        await open_store("postgresql://bot:s3cret@127.0.0.1:9/suara_warga")

    assert "s3cret" not in str(caught.value)


async def test_a_missing_database_is_a_storage_error(postgres_server: str) -> None:
    missing = with_database(postgres_server, "sw_test_does_not_exist")
    with pytest.raises(StorageError, match="does not exist"):
        await open_store(missing)
