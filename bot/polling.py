"""Our own long-polling loop: confirm an update to Telegram only after it is settled.

PTB's Updater confirms updates as soon as they are fetched, so a crash while one is
being handled loses it. Here a batch is fetched, every update is read and handled
(`bot.intake`: different chats concurrently, each chat's updates in order), and only
then is the offset moved past it. After a crash Telegram delivers the batch again, and
the engine skips the updates it had already committed (by update_id). An update that
keeps failing is given up on after a few attempts (`service.dead_letters`), so it never
holds up the ones behind it; a busy database only delays them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from urllib.parse import urlencode

from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.request import BaseRequest

from bot.flood import flood_wait
from bot.intake import update_id_of
from service.waiting import nap

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ("message", "edited_message", "callback_query")
RETRY_SECONDS = 2.0
FIRST_FETCH_RETRY = 0.1
"""Seconds before fetching again after one failed getUpdates; doubled after each further
failure in a row, up to `RETRY_SECONDS` (a lone network error costs residents little)."""


async def fetch_updates(
    request: BaseRequest, base_url: str, offset: int | None, poll_seconds: int, limit: int = 100
) -> list[object]:
    """getUpdates, answered as raw JSON: each update is read on its own (`bot.intake`).

    PTB's `Bot.get_updates` reads the whole batch at once and logs it raw on a failure,
    so the call goes straight through the request object PTB uses for getUpdates (its
    timeouts; its errors: RetryAfter, TimedOut, NetworkError), the parameters in the
    query string, which the Bot API accepts. `base_url` ends with the token.
    """
    params: dict[str, object] = {
        "timeout": poll_seconds,
        "limit": limit,
        "allowed_updates": json.dumps(ALLOWED_UPDATES),
    }
    if offset is not None:
        params["offset"] = offset
    read_timeout = (request.read_timeout or 0) + poll_seconds
    result = await request.post(
        f"{base_url}/getUpdates?{urlencode(params)}", read_timeout=read_timeout
    )
    return list(result) if isinstance(result, list) else []


def fetch_retry_delay(failures: int) -> float:
    """Seconds to wait after `failures` + 1 failed fetches in a row."""
    return min(FIRST_FETCH_RETRY * 2.0**failures, RETRY_SECONDS)


async def poll(
    get_updates: Callable[[int | None], Awaitable[Sequence[object]]],
    settle: Callable[[Sequence[object]], Awaitable[set[int]]],
    stop: asyncio.Event,
) -> int | None:
    """Fetch, settle, confirm, until `stop` is set; returns the last offset.

    `settle` handles a batch and returns the ids of updates it could not settle: those
    are not confirmed; the offset stops at the first of them and the batch is fetched
    again.
    """
    offset: int | None = None
    failures = 0
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
            await nap(stop, fetch_retry_delay(failures))
            failures += 1
            continue
        failures = 0
        ids = [uid for uid in map(update_id_of, updates) if uid is not None]
        if not ids:
            continue
        stuck = await settle(updates)
        if stuck:
            offset = min(stuck)
            await nap(stop, RETRY_SECONDS)
        else:
            offset = max(ids) + 1
    return offset


async def _unless_stopped(
    fetch: Awaitable[Sequence[object]], stop: asyncio.Event
) -> Sequence[object]:
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


def _retrieve(task: asyncio.Future[Sequence[object]]) -> None:
    """Mark a failed, abandoned long poll's error as seen (it was logged by the caller)."""
    if not task.cancelled():
        task.exception()
