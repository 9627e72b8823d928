"""Our own long-polling loop: confirm an update to Telegram only after it is committed.

PTB's Updater confirms updates as soon as they are fetched, so a crash while one is
being handled loses it. Here a batch is fetched, every update is processed (different
chats concurrently, each chat's updates in order), and only then is the offset moved
past it. After a crash Telegram delivers the batch again, and the engine skips the
updates it had already committed (by update_id).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence

from telegram import Update
from telegram.error import NetworkError, RetryAfter, TimedOut

from bot.waiting import flood_wait, nap

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ("message", "edited_message", "callback_query")
RETRY_SECONDS = 2.0


def by_chat(updates: Sequence[Update]) -> list[list[Update]]:
    """Group updates per chat, keeping their order (updates without a chat stand alone)."""
    groups: dict[object, list[Update]] = defaultdict(list)
    for update in updates:
        chat = update.effective_chat
        groups[chat.id if chat else ("update", update.update_id)].append(update)
    return list(groups.values())


async def process_batch(
    updates: Sequence[Update], process: Callable[[Update], Awaitable[None]]
) -> None:
    """Process chats concurrently, each chat's updates one after another."""

    async def one_chat(chat_updates: list[Update]) -> None:
        for update in chat_updates:
            await process(update)

    await asyncio.gather(*(one_chat(group) for group in by_chat(updates)))


async def poll(
    get_updates: Callable[[int | None], Awaitable[Sequence[Update]]],
    process: Callable[[Update], Awaitable[None]],
    failed: set[int],
    stop: asyncio.Event,
) -> int | None:
    """Fetch, process, confirm, until `stop` is set; returns the last offset.

    Updates whose ids end up in `failed` (they could not be processed at all) are not
    confirmed: the offset stops at the first of them and the batch is fetched again.
    """
    offset: int | None = None
    while not stop.is_set():
        try:
            updates = await _unless_stopped(get_updates(offset), stop)
        except TimedOut:
            continue
        except RetryAfter as exc:  # Telegram's flood wait also applies to getUpdates
            await nap(stop, flood_wait(exc).total_seconds())
            continue
        except NetworkError as exc:
            log.warning("getUpdates failed: %s; retrying", exc)
            await nap(stop, RETRY_SECONDS)
            continue
        if not updates:
            continue
        await process_batch(updates, process)
        stuck = sorted(failed & {u.update_id for u in updates})
        failed.clear()
        if stuck:
            offset = stuck[0]
            await nap(stop, RETRY_SECONDS)
        else:
            offset = updates[-1].update_id + 1
    return offset


async def _unless_stopped(
    fetch: Awaitable[Sequence[Update]], stop: asyncio.Event
) -> Sequence[Update]:
    """The fetched updates, or none when `stop` is set first (the long poll is cancelled;
    whatever it would have returned is unconfirmed, so Telegram delivers it again)."""
    task = asyncio.ensure_future(fetch)
    task.add_done_callback(_retrieve)
    stopper = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait((task, stopper), return_when=asyncio.FIRST_COMPLETED)
    finally:  # also when this coroutine itself is cancelled (a crash, in tests)
        stopper.cancel()
        if not task.done():
            task.cancel()
    if not task.done():  # stopped first: let the cancelled poll finish
        with contextlib.suppress(asyncio.CancelledError, TimedOut, NetworkError):
            await task
    if task.cancelled():
        return ()
    return task.result()


def _retrieve(task: asyncio.Future[Sequence[Update]]) -> None:
    """Mark a failed, abandoned long poll's error as seen (it was logged by the caller)."""
    if not task.cancelled():
        task.exception()
