"""Exactly-once intake, meta values and conversation state."""

from __future__ import annotations

from datetime import timedelta

from storage.base import Store
from tests.factories import NOW, WIB


async def test_an_update_is_claimed_only_once(db: Store) -> None:
    async with db.transaction() as tx:
        assert await tx.claim_update(501, NOW) is True
        assert await tx.claim_update(501, NOW) is False
        assert await tx.claim_update(502, NOW) is True

    async with db.transaction() as tx:
        assert await tx.claim_update(501, NOW + timedelta(hours=1)) is False


async def test_pruning_forgets_only_old_updates(db: Store) -> None:
    async with db.transaction() as tx:
        await tx.claim_update(1, NOW - timedelta(days=3))
        await tx.claim_update(2, NOW - timedelta(days=2))
        await tx.claim_update(3, NOW)

    async with db.transaction() as tx:
        assert await tx.prune_updates(NOW - timedelta(days=1)) == 2
        assert await tx.claim_update(1, NOW) is True  # forgotten
        assert await tx.claim_update(3, NOW) is False  # kept


async def test_meta_values_are_replaced(db: Store) -> None:
    async with db.transaction() as tx:
        assert await tx.get_meta("polling_offset") is None
        await tx.set_meta("polling_offset", "880001")
        await tx.set_meta("polling_offset", "880002")
        await tx.set_meta("kota", "Bandung")

    async with db.transaction() as tx:
        assert await tx.get_meta("polling_offset") == "880002"
        assert await tx.get_meta("kota") == "Bandung"


async def test_a_conversation_is_saved_and_replaced(db: Store) -> None:
    async with db.transaction() as tx:
        assert await tx.load_conversation(1001) is None
        await tx.save_conversation(
            1001, '{"step": "deskripsi"}', updated_at=NOW, draft_updated_at=NOW
        )
        await tx.save_conversation(
            1001, '{"step": "foto", "nama": "Siti"}', updated_at=NOW, draft_updated_at=NOW
        )
        await tx.save_conversation(1002, '{"step": "menu"}', updated_at=NOW, draft_updated_at=None)

    async with db.transaction() as tx:
        assert await tx.load_conversation(1001) == '{"step": "foto", "nama": "Siti"}'
        assert await tx.load_conversation(1002) == '{"step": "menu"}'


async def test_stale_drafts_are_the_old_ones_stalest_first(db: Store) -> None:
    async with db.transaction() as tx:
        for chat_id, hours_ago in [(1001, 30), (1002, 50), (1003, 1), (1004, 26)]:
            touched = NOW - timedelta(hours=hours_ago)
            await tx.save_conversation(chat_id, "{}", updated_at=touched, draft_updated_at=touched)
        # A chat without a draft is never stale, however old.
        old = NOW - timedelta(days=30)
        await tx.save_conversation(1005, "{}", updated_at=old, draft_updated_at=None)
        # Finishing a draft clears it.
        await tx.save_conversation(1004, "{}", updated_at=NOW, draft_updated_at=None)

    async with db.transaction() as tx:
        assert await tx.stale_drafts(NOW - timedelta(hours=24)) == [1002, 1001]
        assert await tx.stale_drafts(NOW - timedelta(hours=24), limit=1) == [1002]


async def test_stale_drafts_compare_instants_not_wall_clocks(db: Store) -> None:
    # 16:00 WIB is 09:00 UTC: later than NOW (08:30 UTC) although "16" sorts after "08".
    async with db.transaction() as tx:
        touched = NOW.astimezone(WIB) + timedelta(minutes=30)
        await tx.save_conversation(1001, "{}", updated_at=touched, draft_updated_at=touched)

    async with db.transaction() as tx:
        assert await tx.stale_drafts(NOW) == []
        assert await tx.stale_drafts(NOW + timedelta(hours=1)) == [1001]
