"""`open_chat` on each backend: a resident's queue and her conversation in one read,
the same as `chat_queue` and `load_conversation` give apart."""

from __future__ import annotations

from datetime import timedelta

from storage.base import Store
from tests.factories import NOW

SITI_CHAT = 1001
OTHER_CHAT = 1002


async def test_open_chat_gives_the_queue_and_the_saved_state(db: Store) -> None:
    async with db.transaction() as tx:
        fresh = await tx.open_chat(SITI_CHAT)
        await tx.save_conversation(
            SITI_CHAT, '{"step": "story"}', updated_at=NOW, draft_updated_at=NOW
        )
        await tx.save_conversation(
            OTHER_CHAT, '{"step": "idle"}', updated_at=NOW, draft_updated_at=None
        )
        await tx.enqueue(SITI_CHAT, '{"text": "satu"}', now=NOW)
        await tx.enqueue(SITI_CHAT, '{"text": "dua"}', now=NOW + timedelta(seconds=5))
        await tx.enqueue(OTHER_CHAT, '{"text": "lain"}', now=NOW)
        await tx.remember_busy_notice(SITI_CHAT, NOW)
        queue, state = await tx.open_chat(SITI_CHAT)
        apart = (await tx.chat_queue(SITI_CHAT), await tx.load_conversation(SITI_CHAT))
    assert fresh[0].queued == 0 and fresh[0].oldest is None and not fresh[0].told
    assert fresh[1] is None
    assert (queue.queued, queue.oldest, queue.told, state) == (2, NOW, True, '{"step": "story"}')
    assert (queue, state) == apart
