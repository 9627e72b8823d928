"""The outbox sender: drains due messages to Telegram, within Telegram's limits.

Messages to one chat go strictly in order (storage hands out only each chat's oldest
unfinished message); different chats go concurrently. A message is marked sent only
after Telegram accepted it. Network errors and 5xx are retried with backoff, 429
waits `retry_after`, 403 (the person blocked the bot) stops that chat, and any other
400 is recorded as failed, so one bad message never blocks a chat forever.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from aiolimiter import AsyncLimiter
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.engine import utc_now
from bot.outgoing import Outgoing
from bot.render import edit, send
from bot.waiting import wait_any
from storage.base import OutboxMessage, Store

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(minutes=10)
IDLE_POLL_SECONDS = 1.0
_LIMITER_CACHE = 5000


@dataclass(frozen=True)
class SendLimits:
    """Telegram's flood limits, with a margin."""

    messages_per_second: float = 25.0
    private_chat_per_second: float = 1.0
    private_chat_burst: int = 3
    group_per_minute: float = 20.0


def backoff(attempts: int) -> timedelta:
    """How long to wait before the next attempt: 1 s, 2 s, 4 s, ... up to 10 minutes."""
    return min(timedelta(seconds=2 ** min(attempts, 16)), MAX_BACKOFF)


@dataclass
class OutboxSender:
    """Sends what the engine put in the outbox; see the module docstring."""

    store: Store
    bot: Bot
    limits: SendLimits = SendLimits()
    clock: Callable[[], datetime] = utc_now
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    _overall: AsyncLimiter = field(init=False)
    _per_chat: dict[int, AsyncLimiter] = field(init=False, default_factory=dict)
    _in_flight: dict[int, asyncio.Task[None]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._overall = AsyncLimiter(self.limits.messages_per_second, 1.0)

    async def run(self, stop: asyncio.Event) -> None:
        """Send until `stop` is set, then let the messages in flight finish."""
        while not stop.is_set():
            self.wake.clear()
            try:
                started = await self.start_due()
            except Exception:
                log.exception("reading the outbox failed; retrying")
                started = 0
            if started == 0:
                await wait_any((self.wake, stop), IDLE_POLL_SECONDS)
        await asyncio.gather(*self._in_flight.values(), return_exceptions=True)

    async def start_due(self, limit: int = 200) -> int:
        """Start sending each due message whose chat has none in flight; returns how many."""
        async with self.store.transaction() as tx:
            due = await tx.due_messages(self.clock(), limit)
        started = 0
        for message in due:
            if message.chat_id in self._in_flight:
                continue
            task = asyncio.create_task(self._deliver(message))
            self._in_flight[message.chat_id] = task
            task.add_done_callback(self._finisher(message.chat_id))
            started += 1
        return started

    async def drain_once(self) -> int:
        """Start everything due and wait for it (for the terminal and tests)."""
        started = await self.start_due()
        await asyncio.gather(*self._in_flight.values(), return_exceptions=True)
        return started

    def _finisher(self, chat_id: int) -> Callable[[asyncio.Task[None]], None]:
        def finished(_task: asyncio.Task[None]) -> None:
            self._in_flight.pop(chat_id, None)
            self.wake.set()

        return finished

    async def _deliver(self, message: OutboxMessage) -> None:
        out = Outgoing.from_json(message.payload)
        async with self._chat_limiter(message.chat_id), self._overall:
            try:
                message_id = await self._perform(message, out)
            except RetryAfter as exc:
                wait = exc.retry_after
                delay = wait if isinstance(wait, timedelta) else timedelta(seconds=wait)
                await self._retry(message, f"429 retry after {delay}", delay)
            except Forbidden as exc:
                log.warning("chat %s blocked the bot: %s", message.chat_id, exc)
                async with self.store.transaction() as tx:
                    await tx.mark_chat_blocked(message.chat_id, now=self.clock())
            except BadRequest as exc:
                log.error("outbox message %s rejected: %s", message.id, exc)
                async with self.store.transaction() as tx:
                    await tx.mark_failed(message.id, error=str(exc), now=self.clock())
            except (NetworkError, TelegramError) as exc:
                await self._retry(message, str(exc), backoff(message.attempts))
            else:
                async with self.store.transaction() as tx:
                    await tx.mark_sent(message.id, telegram_message_id=message_id, now=self.clock())

    async def _perform(self, message: OutboxMessage, out: Outgoing) -> int | None:
        """Send the message (its Telegram id), or make the edit it asks for (None)."""
        if out.edit is None:
            return await send(self.bot, message.chat_id, out)
        report_id, purpose = out.edit
        async with self.store.transaction() as tx:
            targets = await tx.messages_for_report(report_id, purpose)
        for chat_id, message_id in targets:
            if chat_id == message.chat_id:
                await edit(self.bot, chat_id, message_id, out)
        return None

    async def _retry(self, message: OutboxMessage, error: str, delay: timedelta) -> None:
        log.info("outbox message %s: %s; retrying in %s", message.id, error, delay)
        async with self.store.transaction() as tx:
            await tx.mark_retry(message.id, error=error, next_attempt_at=self.clock() + delay)

    def _chat_limiter(self, chat_id: int) -> AsyncLimiter:
        limiter = self._per_chat.get(chat_id)
        if limiter is None:
            if len(self._per_chat) >= _LIMITER_CACHE:
                # Forgetting limiters may allow one extra burst per chat; acceptable.
                self._per_chat.clear()
            if chat_id > 0:  # a short burst, then the average rate
                burst = self.limits.private_chat_burst
                limiter = AsyncLimiter(burst, burst / self.limits.private_chat_per_second)
            else:
                limiter = AsyncLimiter(self.limits.group_per_minute, 60.0)
            self._per_chat[chat_id] = limiter
        return limiter
