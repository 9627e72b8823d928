"""Webhook delivery: the emulator POSTs queued updates to bot workers, as Telegram does.

Updates of one chat go one after another; different chats concurrently. Each update
goes to the next worker in turn (as a load balancer would); an answer other than 2xx,
or a connection error, sends it again to the next worker until one accepts it, and only
then is it confirmed. So a worker killed mid-request loses nothing. A method call in
a 2xx answer's JSON body is performed (`BotApiEmulator.call_in_answer`).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

import aiohttp

from .world import JSON

if TYPE_CHECKING:
    from .server import BotApiEmulator

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
RETRY_SECONDS = 0.05


class WebhookDelivery:
    """Delivers `world`'s queued updates to `urls` with `secret`, until stopped."""

    def __init__(self, world: BotApiEmulator, urls: Sequence[str], secret: str) -> None:
        self.world = world
        self.urls = list(urls)
        self.secret = secret
        self.delivered: list[tuple[int, str]] = []  # (update_id, url) accepted
        self.failures = 0
        self._turn = itertools.cycle(range(len(self.urls)))
        self._task: asyncio.Task[None] | None = None
        self._stopped = False

    async def __aenter__(self) -> WebhookDelivery:
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15))
        self._task = asyncio.create_task(self._run())
        return self

    async def __aexit__(self, *exc: object) -> None:
        # Python 3.11's wait_for can swallow a cancellation that arrives as its wait
        # ends; the flag ends the loop all the same.
        self._stopped = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._session.close()

    async def _run(self) -> None:
        while not self._stopped:
            batch = self.world.take_updates(100)
            if not batch:
                event = self.world._changed
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), 0.05)
                continue
            by_chat: defaultdict[object, list[JSON]] = defaultdict(list)
            for update in batch:
                by_chat[chat_of(update)].append(update)
            await asyncio.gather(*(self._deliver_in_order(group) for group in by_chat.values()))
            self.world.confirm(max(int(u["update_id"]) for u in batch) + 1)

    async def _deliver_in_order(self, updates: list[JSON]) -> None:
        for update in updates:
            await self._deliver(update)

    async def _deliver(self, update: JSON) -> None:
        """Post until some worker answers 2xx."""
        while True:
            url = self.urls[next(self._turn)]
            try:
                async with self._session.post(
                    url, json=update, headers={SECRET_HEADER: self.secret}
                ) as response:
                    if 200 <= response.status < 300:
                        self.delivered.append((int(update["update_id"]), url))
                        await answered_with_call(self.world, response)
                        return
            except (aiohttp.ClientError, TimeoutError):
                pass
            self.failures += 1
            await asyncio.sleep(RETRY_SECONDS)


async def answered_with_call(emu: BotApiEmulator, response: aiohttp.ClientResponse) -> None:
    """Perform the method call in a webhook's answer, if it carries one."""
    if response.content_type != "application/json":
        return
    try:
        body = await response.json()
    except ValueError:
        return
    if isinstance(body, dict) and "method" in body:
        await emu.call_in_answer(body)


def chat_of(update: JSON) -> object:
    """The chat an update belongs to (its own update id when it has none): updates of one
    chat are delivered in order, different chats' concurrently."""
    for kind in ("message", "edited_message", "callback_query"):
        body = update.get(kind)
        if isinstance(body, dict):
            message = body.get("message", body) if kind == "callback_query" else body
            chat = message.get("chat") if isinstance(message, dict) else None
            if isinstance(chat, dict):
                return chat.get("id")
    return ("update", update.get("update_id"))
