"""Webhook delivery for the benchmark: the emulator POSTs updates to bot workers, taking
the workers in turn (round robin, as a load balancer in front of them would).

Unlike `emulator.webhook.WebhookDelivery`, which posts a batch and waits for all
of it before taking the next, updates flow on: each chat's updates go one after another
(the next once the last was answered 2xx), different chats concurrently, at most
`max_connections` requests at once (as Telegram honours setWebhook's max_connections).
Any other answer, or a connection error, sends the update again to the next worker.
A method call in a 2xx answer is performed, as Telegram does.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections import Counter, deque
from collections.abc import Coroutine, Sequence

import aiohttp

from emulator import JSON, RETRY_SECONDS, SECRET_HEADER, BotApiEmulator, chat_of
from emulator.webhook import answered_with_call


class Delivery:
    """Delivers `world`'s queued updates to `urls` from `start` until `stop`."""

    def __init__(
        self, world: BotApiEmulator, urls: Sequence[str], secret: str, max_connections: int
    ) -> None:
        self.world = world
        self.secret = secret
        self.accepted: Counter[str] = Counter({url: 0 for url in urls})
        self.retried = 0
        self._turn = itertools.cycle(urls)
        self._gate = asyncio.Semaphore(max_connections)
        self._lanes: dict[object, deque[JSON]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._connections = max_connections

    def start(self) -> None:
        connector = aiohttp.TCPConnector(limit=self._connections)
        timeout = aiohttp.ClientTimeout(total=30)
        self._session = aiohttp.ClientSession(connector=connector, timeout=timeout)
        self._spawn(self._take())

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._session.close()

    def _spawn(self, work: Coroutine[object, object, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _take(self) -> None:
        """Move queued updates into their chats' lanes (confirmed at once: this process
        keeps each until a worker accepts it)."""
        while True:
            batch = self.world.take_updates(100)
            if not batch:
                await self.world.changed()
                continue
            self.world.confirm(max(int(u["update_id"]) for u in batch) + 1)
            for update in batch:
                chat = chat_of(update)
                lane = self._lanes.get(chat)
                if lane is None:
                    lane = self._lanes[chat] = deque()
                    self._spawn(self._drain(chat, lane))
                lane.append(update)

    async def _drain(self, chat: object, lane: deque[JSON]) -> None:
        try:
            while lane:
                await self._post(lane.popleft())
        finally:
            del self._lanes[chat]

    async def _post(self, update: JSON) -> None:
        """Post until some worker answers 2xx."""
        while True:
            url = next(self._turn)
            async with self._gate:
                try:
                    async with self._session.post(
                        url, json=update, headers={SECRET_HEADER: self.secret}
                    ) as response:
                        if 200 <= response.status < 300:
                            self.accepted[url] += 1
                            await answered_with_call(self.world, response)
                            return
                except (aiohttp.ClientError, TimeoutError):
                    pass
            self.retried += 1
            await asyncio.sleep(RETRY_SECONDS)
