"""The sender's `Sent` records (`bot.write_batch`): a batch's sent messages are marked
together, on both backends, and a record that cannot be written fails alone."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.write_batch import Record, Sent, WriteBatch
from storage import Store, open_store
from storage.base import Transaction
from storage.errors import NotFoundError
from tests.factories import NOW
from tests.postgres_cluster import BACKENDS
from tests.storage.helpers import fetch


@pytest.fixture(params=BACKENDS)
def where(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A SQLite file or a PostgreSQL database, per backend."""
    if request.param == "sqlite":
        return str(tmp_path / "sent.sqlite3")
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
async def store(where: str) -> AsyncIterator[Store]:
    opened = await open_store(where)
    yield opened
    await opened.close()


async def test_sent_messages_are_marked_together_with_the_other_records(store: Store) -> None:
    async with store.transaction() as tx:
        ids = [await tx.enqueue(1000 + number, "{}", now=NOW) for number in range(20)]
        retried = await tx.enqueue(2000, "{}", now=NOW)
    batch = WriteBatch(store)

    async def retry(tx: Transaction) -> None:
        await tx.mark_retry(retried, error="timeout", next_attempt_at=NOW)

    records: list[Record] = [Sent(outbox_id, 500 + n, NOW) for n, outbox_id in enumerate(ids)]
    await asyncio.gather(*(batch.write(record) for record in [*records, retry]))

    rows = await fetch(store, "SELECT id, state, telegram_message_id, attempts FROM outbox")
    assert sorted(rows) == sorted(
        [(outbox_id, "sent", 500 + n, 0) for n, outbox_id in enumerate(ids)]
        + [(retried, "pending", None, 1)]
    )


async def test_a_missing_message_fails_alone(store: Store) -> None:
    async with store.transaction() as tx:
        first = await tx.enqueue(1001, "{}", now=NOW)
        last = await tx.enqueue(1002, "{}", now=NOW)
    batch = WriteBatch(store)

    results = await asyncio.gather(
        *(batch.write(Sent(outbox_id, 7, NOW)) for outbox_id in (first, 404, last)),
        return_exceptions=True,
    )

    assert results[0] is None and results[2] is None
    assert isinstance(results[1], NotFoundError)
    assert sorted(await fetch(store, "SELECT id, state FROM outbox")) == [
        (first, "sent"),
        (last, "sent"),
    ]
