"""Waiting for whichever comes first: an event, a stop request, or a timeout."""

from __future__ import annotations

import asyncio
import contextlib


async def wait_any(events: tuple[asyncio.Event, ...], seconds: float) -> None:
    """Return as soon as one of `events` is set, or after `seconds`."""
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    _, pending = await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    for waiter in pending:
        waiter.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.gather(*pending, return_exceptions=True)


async def nap(stop: asyncio.Event, seconds: float) -> None:
    """Sleep `seconds`, waking early when `stop` is set."""
    await wait_any((stop,), seconds)
