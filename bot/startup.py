"""Start-up calls to Telegram (getMe, setMyCommands, setWebhook), retried while Telegram
or the network is down, so that a passing outage does not end the process."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import Application

from bot.flood import flood_wait
from service.waiting import nap

log = logging.getLogger(__name__)

FIRST_WAIT = 1.0
LONGEST_WAIT = 60.0


async def keep_trying(
    call: Callable[[], Awaitable[object]],
    what: str,
    stop: asyncio.Event,
    *,
    first_wait: float = FIRST_WAIT,
    longest_wait: float = LONGEST_WAIT,
) -> bool:
    """Await `call()` until it succeeds (True) or `stop` is set (False).

    Network errors, timeouts and 5xx answers are retried with a doubling wait (at most
    `longest_wait`), a 429 after the wait Telegram asks for. Anything else (a wrong
    token, a bad request) is a configuration error and raised at once.
    """
    wait = first_wait
    while not stop.is_set():
        try:
            await call()
            return True
        except RetryAfter as exc:
            pause = flood_wait(exc).total_seconds()
        except BadRequest:  # a NetworkError in PTB, but retrying cannot fix it
            raise
        except NetworkError as exc:
            pause, wait = wait, min(wait * 2, longest_wait)
            log.warning("%s failed: %s; trying again in %.0f s", what, exc, pause)
        await nap(stop, pause)
    return False


async def connect(app: Application, stop: asyncio.Event) -> bool:  # type: ignore[type-arg]
    """Initialize `app` (getMe) with `keep_trying`: True once it is, False if `stop` came
    first. Unless it is, the bot's HTTP connections are closed again."""
    started = False
    try:
        started = await keep_trying(app.initialize, "getMe", stop)
        return started
    finally:
        if not started:
            await app.bot.shutdown()
