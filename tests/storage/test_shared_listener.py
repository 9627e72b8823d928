"""PostgreSQL: a store listens for outbox notices and officers' lessons on one
connection; each listener hears its own channel, and one leaving does not deafen the
other."""

from __future__ import annotations

import asyncio

from storage.postgres.store import PostgresStore
from tests.factories import NOW


async def _listening_backends(store: PostgresStore) -> int:
    async with store.reading() as tx:
        found = await tx._value(
            "count listening backends",
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND query LIKE 'LISTEN%'",
        )
    return int(found)


async def test_both_channels_share_one_connection_and_outlive_each_other(
    pg_db: PostgresStore, pg_url: str
) -> None:
    other = await PostgresStore.open(pg_url)  # another process's store: its notices count
    outbox, lessons = asyncio.Event(), asyncio.Event()
    try:
        async with pg_db.outbox_wakeups(outbox):
            async with pg_db.learning_wakeups(lessons):
                assert await _listening_backends(pg_db) == 1
                async with other.transaction() as tx:
                    await tx.add_routing_example("Sampah menumpuk di TPS", "dlh", NOW)
                await asyncio.wait_for(lessons.wait(), 10)
                assert not outbox.is_set()
            async with other.transaction() as tx:
                await tx.enqueue(1001, '{"text": "halo"}', now=NOW)
            await asyncio.wait_for(outbox.wait(), 10)
    finally:
        await other.close()
