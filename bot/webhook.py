"""Webhook mode: Telegram POSTs updates; we answer 200 only after they are committed.

PTB's own webhook server answers before the handler runs, so a crash loses the update.
Here the handler runs first; Telegram retries anything not answered with 2xx, and the
engine skips what was already committed (by update_id), so each update counts once. An
update that keeps failing is given up on after a few attempts (`bot.intake`,
`service.dead_letters`) and then answered 200 like the rest. A press's answer goes in
the body of that 200 (`bot.press_answers`).
Also serves `/healthz` (the database answers) and `/metrics` (Prometheus).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime

from aiohttp import web

from bot.intake import Intake, chat_key, update_id_of
from bot.metrics import Metrics
from bot.press_answers import PressAnswers
from storage.base import Store

log = logging.getLogger(__name__)

_MAX_LOCKS = 10_000
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name


class WebhookServer:
    """An aiohttp server for one bot process; see the module docstring."""

    def __init__(
        self,
        intake: Intake,
        answers: PressAnswers,
        *,
        secret: str,
        path: str,
        store: Store,
        metrics: Metrics,
        clock: Callable[[], datetime],
    ) -> None:
        self.intake = intake
        self.answers = answers
        self.secret = secret
        self.store = store
        self.metrics = metrics
        self.clock = clock
        # Updates of one chat are handled one at a time, in arrival order.
        self._chat_locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.web = web.Application()
        self.web.router.add_post(path, self.receive)
        self.web.router.add_get("/healthz", self.healthz)
        self.web.router.add_get("/metrics", self.metrics_page)
        self._runner: web.AppRunner | None = None

    async def start(self, host: str, port: int) -> None:
        """Listen on host:port."""
        self._runner = web.AppRunner(self.web, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def receive(self, request: web.Request) -> web.Response:
        """One update: 200 once its effects are committed, 500 to have Telegram retry."""
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            return web.Response(status=403, text="forbidden")
        try:
            data = await request.json()
        except ValueError:
            data = None
        update_id = update_id_of(data)
        if update_id is None or not isinstance(data, dict):
            log.warning("webhook body is not an update; dropped")
            return web.Response(status=200, text="ignored")
        try:
            update = self.intake.read(data)
        except Exception as exc:  # any malformed JSON: recorded, never retried
            settled = await self.intake.give_up_unreadable(data, update_id, exc)
            return web.Response(status=200 if settled else 500, text="unreadable")
        chat = chat_key(update)
        if len(self._chat_locks) > _MAX_LOCKS:  # forget idle chats' locks
            idle = [key for key, lock in self._chat_locks.items() if not lock.locked()]
            for key in idle:
                del self._chat_locks[key]
        try:
            async with self._chat_locks[chat] if chat is not None else asyncio.Lock():
                settled = await self.intake.handle(update)
        finally:
            call = self.answers.take(update_id)
        if not settled:  # the press is answered when the update comes again
            return web.Response(status=500, text="retry")
        self.metrics.updates.labels("webhook").inc()
        if call is not None:
            return web.json_response(call)
        return web.Response(status=200, text="ok")

    async def healthz(self, request: web.Request) -> web.Response:
        """200 when the database answers."""
        try:
            async with self.store.transaction() as tx:
                await tx.get_meta("healthz")
        except Exception as exc:  # reported, not raised: this is a health check
            return web.Response(status=503, text=f"database: {type(exc).__name__}")
        return web.Response(status=200, text="ok")

    async def metrics_page(self, request: web.Request) -> web.Response:
        await self.metrics.refresh(self.store, self.clock())
        return web.Response(body=self.metrics.render(), content_type="text/plain", charset="utf-8")
