"""`claim_chat_update`: an update from a resident's chat is claimed once, unblocks the
chat, and holds the chat for the transaction (one statement on PostgreSQL)."""

from __future__ import annotations

import asyncio
import json
from itertools import count

from storage.base import Store
from storage.postgres import PostgresStore
from tests.factories import NOW
from tests.storage.helpers import fetch

CHAT = 1001


async def test_a_claimed_update_unblocks_its_chat(db: Store) -> None:
    async with db.transaction() as tx:
        await tx.mark_chat_blocked(CHAT, now=NOW)
        await tx.mark_chat_blocked(CHAT + 1, now=NOW)

    async with db.transaction() as tx:
        assert await tx.claim_chat_update(501, CHAT, NOW) is True

    async with db.transaction() as tx:
        assert not await tx.is_chat_blocked(CHAT)
        assert await tx.is_chat_blocked(CHAT + 1)  # another chat's block stays
    assert await fetch(db, "SELECT update_id FROM processed_updates") == [(501,)]


async def test_a_replayed_update_changes_nothing(db: Store) -> None:
    async with db.transaction() as tx:
        assert await tx.claim_chat_update(501, CHAT, NOW) is True
    async with db.transaction() as tx:
        await tx.mark_chat_blocked(CHAT, now=NOW)  # she blocked the bot afterwards

    async with db.transaction() as tx:
        assert await tx.claim_chat_update(501, CHAT, NOW) is False
        assert not await tx.claim_update(501, NOW)

    async with db.transaction() as tx:
        assert await tx.is_chat_blocked(CHAT)  # an old update is no sign she came back


async def test_two_processes_claiming_one_chat_lose_no_step(
    pg_db: PostgresStore, other: Store
) -> None:
    """The chat's lock comes with the claim: load and save after it take none of their
    own, and still no step is lost."""
    update_ids = count(1)

    async def step(store: Store) -> None:
        async with store.transaction() as tx:
            assert await tx.claim_chat_update(next(update_ids), CHAT, NOW)
            state = json.loads(await tx.load_conversation(CHAT) or '{"steps": 0}')
            await asyncio.sleep(0)  # let the other transactions try to interleave
            state["steps"] += 1
            await tx.save_conversation(
                CHAT, json.dumps(state), updated_at=NOW, draft_updated_at=None
            )

    await asyncio.gather(*(step(store) for _ in range(25) for store in (pg_db, other)))

    async with pg_db.transaction() as tx:
        assert json.loads(await tx.load_conversation(CHAT) or "{}") == {"steps": 50}
