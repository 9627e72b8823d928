"""The overall pace hands its slots to the lowest lane first, first come within a lane."""

from __future__ import annotations

import asyncio

from bot.pacing import PriorityLimiter


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
