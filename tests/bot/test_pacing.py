"""The overall pace hands its slots to the lowest lane first, first come within a lane;
sends made before a pacer was in charge count once recalled."""

from __future__ import annotations

import asyncio

import pytest

from bot.pacing import Pacer, PriorityLimiter, SendLimits


async def test_waiters_get_slots_by_lane_then_arrival() -> None:
    limiter = PriorityLimiter(rate=50)
    await limiter.acquire()  # the slot now is taken: everyone below has to wait
    order: list[str] = []

    async def waiter(name: str, lane: int) -> None:
        await limiter.acquire(lane)
        order.append(name)

    tasks = [
        asyncio.create_task(waiter(name, lane))
        for name, lane in [("pengingat", 3), ("kabar", 1), ("jawaban", 0), ("kabar lain", 1)]
    ]
    await asyncio.gather(*tasks)
    assert order == ["jawaban", "kabar", "kabar lain", "pengingat"]


async def test_a_cancelled_waiter_leaves_its_slot_to_the_next() -> None:
    limiter = PriorityLimiter(rate=20)
    await limiter.acquire()
    gone = asyncio.create_task(limiter.acquire(0))
    stays = asyncio.create_task(limiter.acquire(2))
    await asyncio.sleep(0)
    gone.cancel()
    async with asyncio.timeout(5):  # a slot handed to the cancelled one would hang this
        await stays
        await limiter.acquire(1)
    assert gone.cancelled() and stays.done() and not stays.cancelled()


async def test_recalled_sends_count_against_each_chats_limits() -> None:
    pacer = Pacer(SendLimits())  # Telegram's: 20 a minute to a group, 3 then 1/s to a person
    loop = asyncio.get_running_loop()
    now = loop.time()
    full_group, resident, quiet = -100777, 1001, 1002
    pacer.recall([(full_group, now - 50 + n) for n in range(20)] + [(resident, now - 0.4)] * 3)
    async with asyncio.timeout(2):
        await pacer.turn(quiet)  # nothing recalled: at once
        started = loop.time()
        await pacer.turn(resident)  # her burst was spent 0.4 s ago: the next in 0.6 s
    assert loop.time() - started >= 0.45
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.5):
            await pacer.turn(full_group)  # its minute ends in 10 s
