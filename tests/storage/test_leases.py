"""Leases: one process at a time does a job (the outbox sender), with takeover on expiry."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest

from storage import Store, open_store
from tests.factories import NOW, WIB

SENDER = "outbox-sender"
LEASE = timedelta(seconds=30)


async def lead(store: Store, holder: str, now: datetime, name: str = SENDER) -> bool:
    """One attempt to hold or renew the lease, in a transaction of its own."""
    async with store.transaction() as tx:
        return await tx.try_lead(name, holder, now, LEASE)


async def test_the_first_holder_leads_and_the_second_waits_for_expiry(db: Store) -> None:
    assert await lead(db, "bot-1", NOW)
    assert not await lead(db, "bot-2", NOW)
    assert not await lead(db, "bot-2", NOW + LEASE - timedelta(microseconds=1))

    assert await lead(db, "bot-2", NOW + LEASE)  # expired: taken over
    assert not await lead(db, "bot-1", NOW + LEASE)  # the old holder lost it


async def test_renewing_keeps_the_lease(db: Store) -> None:
    assert await lead(db, "bot-1", NOW)
    assert await lead(db, "bot-1", NOW + LEASE / 3)
    assert await lead(db, "bot-1", NOW + 2 * LEASE / 3)

    # The lease now runs until 2/3 lease + lease: past the first expiry, bot-2 must wait.
    assert not await lead(db, "bot-2", NOW + LEASE)
    assert not await lead(db, "bot-2", NOW + LEASE + LEASE / 2)
    assert await lead(db, "bot-2", NOW + 2 * LEASE / 3 + LEASE)


async def test_a_holder_whose_lease_expired_unclaimed_still_holds_it(db: Store) -> None:
    assert await lead(db, "bot-1", NOW)
    assert await lead(db, "bot-1", NOW + 3 * LEASE)  # a long pause, nobody took over
    assert not await lead(db, "bot-2", NOW + 3 * LEASE)


async def test_leases_with_other_names_are_independent(db: Store) -> None:
    assert await lead(db, "bot-1", NOW, name=SENDER)
    assert await lead(db, "bot-2", NOW, name="housekeeping")
    assert not await lead(db, "bot-1", NOW, name="housekeeping")


async def test_expiry_compares_instants_not_wall_clocks(db: Store) -> None:
    assert await lead(db, "bot-1", NOW.astimezone(WIB))  # 15:30 WIB is 08:30 UTC
    assert not await lead(db, "bot-2", NOW + LEASE / 2)
    assert await lead(db, "bot-2", NOW + LEASE)


async def test_bad_arguments_are_refused(db: Store) -> None:
    async with db.transaction() as tx:
        with pytest.raises(ValueError, match="naive"):
            await tx.try_lead(SENDER, "bot-1", NOW.replace(tzinfo=None), LEASE)
        with pytest.raises(ValueError, match="lease"):
            await tx.try_lead(SENDER, "bot-1", NOW, timedelta(0))


async def test_of_many_processes_trying_at_once_exactly_one_leads(db_location: str) -> None:
    first = await open_store(db_location)
    second = await open_store(db_location)
    try:
        results = await asyncio.gather(
            *(
                lead(store, f"bot-{n}-{k}", NOW)
                for n in range(10)
                for k, store in enumerate((first, second))
            )
        )
    finally:
        await first.close()
        await second.close()

    assert sorted(results) == [False] * 19 + [True]


async def drain(store: Store, holder: str, now: datetime) -> list[str]:
    """One round of a sender: lead or stop, then send what is due and mark it sent."""
    if not await lead(store, holder, now):
        return []
    async with store.transaction() as tx:
        due = await tx.due_messages(now)
    for message in due:
        async with store.transaction() as tx:  # "sent" to Telegram just before this
            await tx.mark_sent(message.id, telegram_message_id=message.id, now=now)
    return [message.payload for message in due]


async def test_two_processes_drain_the_outbox_without_sending_twice(db_location: str) -> None:
    first = await open_store(db_location)
    second = await open_store(db_location)

    async def enqueue(*texts: str) -> None:
        async with first.transaction() as tx:
            for n, text in enumerate(texts):
                await tx.enqueue(1001 + n, text, now=NOW)

    try:
        await enqueue("satu", "dua", "tiga")
        rounds = await asyncio.gather(drain(first, "bot-1", NOW), drain(second, "bot-2", NOW))
        leader, other = (first, second) if rounds[0] else (second, first)
        leader_name, other_name = ("bot-1", "bot-2") if rounds[0] else ("bot-2", "bot-1")
        assert sorted(rounds[0] + rounds[1]) == ["dua", "satu", "tiga"]
        assert [] in rounds  # the other sent nothing

        await enqueue("empat", "lima")
        later = NOW + LEASE / 3
        assert await drain(other, other_name, later) == []  # the leader's lease runs
        assert await drain(leader, leader_name, later) == ["empat", "lima"]

        # The leader stops (a crash, a deploy); its lease runs out and the other takes over.
        await enqueue("enam")
        expired = later + LEASE
        assert await drain(other, other_name, expired) == ["enam"]
        assert await drain(leader, leader_name, expired) == []
    finally:
        await first.close()
        await second.close()


async def test_lease_holder_names_who_leads_until_expiry(db: Store) -> None:
    async with db.transaction() as tx:
        assert await tx.lease_holder(SENDER, NOW) is None
    assert await lead(db, "bot-1", NOW)
    async with db.transaction() as tx:
        assert await tx.lease_holder(SENDER, NOW + LEASE / 2) == "bot-1"
        assert await tx.lease_holder(SENDER, NOW + LEASE) is None
