"""The sender's batched records (`bot.write_batch`) on a real SQLite store."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.write_batch import Record, Together, WriteBatch
from storage import Store, open_store
from storage.base import Transaction


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await open_store(tmp_path / "batch.sqlite3")
    yield opened
    await opened.close()


async def stored(store: Store, keys: list[str]) -> dict[str, str | None]:
    async with store.transaction() as tx:
        return {key: await tx.get_meta(key) for key in keys}


async def test_records_written_at_once_share_transactions_and_all_commit(store: Store) -> None:
    batch = WriteBatch(store)
    used: list[int] = []

    def record(key: str) -> Record:
        async def write(tx: Transaction) -> None:
            used.append(id(tx))
            await tx.set_meta(key, "sent")

        return write

    keys = [f"message-{number}" for number in range(20)]
    await asyncio.gather(*(batch.write(record(key)) for key in keys))

    assert await stored(store, keys) == dict.fromkeys(keys, "sent")
    assert len(used) == 20
    assert len(set(used)) < 20  # fewer transactions than records


async def test_a_failing_record_fails_alone_and_the_others_commit(store: Store) -> None:
    batch = WriteBatch(store)

    def record(key: str) -> Record:
        async def write(tx: Transaction) -> None:
            await tx.set_meta(key, "sent")
            if key == "broken":
                raise ValueError("this record cannot be written")

        return write

    keys = ["first", "broken", "last"]
    results = await asyncio.gather(
        *(batch.write(record(key)) for key in keys), return_exceptions=True
    )

    assert results[0] is None and results[2] is None
    assert isinstance(results[1], ValueError)
    assert await stored(store, keys) == {"first": "sent", "broken": None, "last": "sent"}


async def test_records_alike_go_together_and_others_share_a_transaction(store: Store) -> None:
    """A batch whose every record has the same `Together.write` (the store's
    `mark_all_sent`: on PostgreSQL one round trip) is written by one call of it with
    all their items; a batch with any other record goes into one transaction."""
    batch = WriteBatch(store)
    calls: list[list[str]] = []
    in_a_transaction: list[str] = []

    async def together(keys: list[str]) -> None:
        calls.append(keys)
        async with store.transaction() as tx:
            for key in keys:
                await tx.set_meta(key, "together")

    def record(key: str) -> Record:
        async def write(tx: Transaction) -> None:
            in_a_transaction.append(key)
            await tx.set_meta(key, "in a transaction")

        return write

    await batch.write(record("only"), Together(together, "only"))
    assert calls == [["only"]] and in_a_transaction == []

    calls.clear()
    keys = [f"message-{number}" for number in range(5)]
    await asyncio.gather(*(batch.write(record(key), Together(together, key)) for key in keys))
    assert sorted(key for call in calls for key in call) == keys  # each once
    assert len(calls) < len(keys) and in_a_transaction == []  # several in one call
    assert await stored(store, keys) == dict.fromkeys(keys, "together")

    calls.clear()
    mixed = ["mark-1", "retry", "mark-2"]
    await asyncio.gather(
        *(batch.write(record(key), None if key == "retry" else Together(together, key))
          for key in mixed)
    )  # fmt: skip
    assert in_a_transaction == mixed and calls == []  # queued together: one transaction
    assert await stored(store, mixed) == dict.fromkeys(mixed, "in a transaction")
