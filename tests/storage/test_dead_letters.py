"""Failing updates: attempts counted per update, then given up on, counted and pruned."""

from __future__ import annotations

from datetime import timedelta

from storage import Store
from storage.base import DeadLetter
from tests.factories import NOW

LATER = NOW + timedelta(seconds=2)


async def fail(store: Store, update_id: int, error: str = "TypeError in bot/convert.py:40") -> int:
    async with store.transaction() as tx:
        return await tx.count_failure(
            update_id, kind="message", chat_id=-100777, error=error, now=LATER
        )


async def test_attempts_add_up_per_update_until_it_is_buried(db: Store) -> None:
    async with db.transaction() as tx:
        assert await tx.count_failure(7, kind="message", chat_id=None, error="E", now=NOW) == 1
    assert await fail(db, 7, "KeyError in bot/desk.py:9") == 2
    assert await fail(db, 8) == 1
    async with db.transaction() as tx:
        assert await tx.dead_letters() == []  # failing is not yet given up on
        await tx.bury_update(7, LATER)
        await tx.bury_update(7, LATER + timedelta(hours=1))  # the first burial stands
    async with db.transaction() as tx:
        assert await tx.dead_letters() == [
            DeadLetter(
                update_id=7,
                kind="message",
                chat_id=None,
                error="KeyError in bot/desk.py:9",
                attempts=2,
                first_failed_at=NOW,
                dead_at=LATER,
            )
        ]
        assert await tx.count_dead_letters(since=NOW) == 1
        assert await tx.count_dead_letters(since=LATER + timedelta(seconds=1)) == 0


async def test_pruning_forgets_old_failures_and_keeps_recent_ones(db: Store) -> None:
    await fail(db, 1)
    async with db.transaction() as tx:
        await tx.bury_update(1, LATER)
        await tx.count_failure(2, kind="callback_query", chat_id=None, error="E", now=NOW)
        await tx.count_failure(
            3, kind="message", chat_id=None, error="E", now=LATER + timedelta(days=9)
        )
    async with db.transaction() as tx:
        assert await tx.prune_dead_letters(older_than=NOW + timedelta(days=1)) == 2
        assert await tx.dead_letters() == []
        assert await tx.count_failure(3, kind="message", chat_id=None, error="E", now=LATER) == 2
