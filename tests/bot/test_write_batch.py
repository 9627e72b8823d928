"""The sender's batched records (`bot.write_batch`) on a real SQLite store."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from bot.write_batch import Record, WriteBatch
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


async def test_a_record_written_by_itself_goes_its_own_way(store: Store) -> None:
    """A batch of one record that can be written alone (the store's `mark_sent`, on
    PostgreSQL one statement without BEGIN and COMMIT) is; in a batch of several every
    record goes into the shared transaction."""
    batch = WriteBatch(store)
    ways: list[str] = []

    def record(key: str) -> Record:
        async def write(tx: Transaction) -> None:
            ways.append(f"{key} in a batch")
            await tx.set_meta(key, "sent")

        return write

    def alone(key: str) -> Callable[[], Awaitable[None]]:
        async def write() -> None:
            ways.append(f"{key} alone")
            async with store.transaction() as tx:
                await tx.set_meta(key, "sent alone")

        return write

    await batch.write(record("only"), alone("only"))
    assert ways == ["only alone"]

    ways.clear()
    keys = [f"message-{number}" for number in range(5)]
    await asyncio.gather(*(batch.write(record(key), alone(key)) for key in keys))
    assert await stored(store, ["only"]) == {"only": "sent alone"}
    batched = [way.removesuffix(" in a batch") for way in ways if way.endswith("in a batch")]
    assert len(batched) >= 2  # several records shared a transaction
    assert await stored(store, batched) == dict.fromkeys(batched, "sent")
    assert len(ways) == len(keys)  # each written once, one way or the other
