"""The Bot API emulator as a process of its own, with simulated residents and a control API.

    python -m bench.emulator [--token T]

prints one JSON line (``base_url``, ``base_file_url``, ``control``, ``token``) and serves
until SIGTERM. The benchmark drives it through ``control`` (JSON POSTs on loopback, see
`ROUTES`); with ``webhook`` it delivers updates to bot workers (`bench.delivery`) instead
of answering getUpdates. `BenchEmulator` is `emulator.BotApiEmulator` made cheap
to run for long: no call log, and each waiting resident is woken only by a message to
her own chat.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bench.delivery import Delivery
from bench.residents import WALKS, Script, walk_all
from bench.surge_walk import SURGE_ROUTES, Surge
from emulator import DEFAULT_TOKEN, JSON, BotApiEmulator, Chat, Params, User
from emulator.faults import FloodLimits

Reply = asyncio.Future[tuple[float, str]]


class _Unlogged(list[tuple[str, JSON]]):
    """A call log that keeps nothing (it would grow by every call of a long run)."""

    def append(self, item: tuple[str, JSON]) -> None:
        return None


class BenchEmulator(BotApiEmulator):
    """See the module docstring. `expect` is what residents wait on."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.calls = _Unlogged()
        self.polled = asyncio.Event()
        self.hooked: set[str] = set()  # webhook URLs set since the last reset
        self.delivery: Delivery | None = None
        self._waiting: dict[int, tuple[tuple[str, ...], Reply]] = {}
        self.shown: list[tuple[float, int, str]] = []  # (time, group, text) of group messages
        self.surge: Surge | None = None  # the surge running (`bench.surge_walk`)

    def expect(self, chat_id: int, texts: tuple[str, ...]) -> Reply:
        """(perf_counter time, text) of the next bot message to the chat containing one
        of `texts`."""
        reply: Reply = asyncio.get_running_loop().create_future()
        self._waiting[chat_id] = (texts, reply)
        return reply

    def new_message(self, chat: Chat, sender: JSON, content: JSON, reply_to: int | None) -> JSON:
        message = super().new_message(chat, sender, content, reply_to)
        if sender.get("is_bot"):
            if chat.id < 0:
                self.shown.append((time.perf_counter(), chat.id, str(message.get("text") or "")))
            self._shown(chat.id, message)
        return message

    def _edit(self, p: Params, field: str) -> JSON:
        """An answer to a press shown in the pressed message counts as the reply."""
        message = super()._edit(p, field)
        self._shown(int(message["chat"]["id"]), message)
        return message

    def _shown(self, chat_id: int, message: JSON) -> None:
        """A bot message (new or edited) to a chat: the reply a resident waits for?"""
        waiting = self._waiting.get(chat_id)
        if waiting is not None:
            text = str(message.get("text") or message.get("caption") or "")
            texts, reply = waiting
            if any(expected in text for expected in texts):
                del self._waiting[chat_id]
                if not reply.done():
                    reply.set_result((time.perf_counter(), text))

    async def api_getUpdates(self, p: Params) -> list[JSON]:
        self.polled.set()
        return await super().api_getUpdates(p)

    async def api_setWebhook(self, p: Params) -> bool:
        done = await super().api_setWebhook(p)
        if self.webhook_url:
            self.hooked.add(self.webhook_url)
            self._notify()
        return done

    def users(self, first: int, count: int) -> list[User]:
        """Users first..first+count-1, created on first use."""
        found = []
        for user_id in range(first, first + count):
            chat = self.chats.get(user_id)
            user = chat.user if chat is not None else None
            found.append(user or self.user(user_id, f"Warga {user_id}"))
        return found


Handler = Callable[[BenchEmulator, Script, dict[str, Any]], Awaitable[dict[str, Any]]]


async def _setup(emu: BenchEmulator, script: Script, a: dict[str, Any]) -> dict[str, Any]:
    emu.users(int(a.get("first_user", 1)), int(a.get("users", 0)))
    for group in a.get("groups", []):
        emu.group(int(group), "Petugas pengaduan")
    return {}


async def _flood(emu: BenchEmulator, script: Script, a: dict[str, Any]) -> dict[str, Any]:
    if a.get("on"):
        emu.faults.limit(FloodLimits(slack=float(a.get("slack", 0.0))))
    else:
        emu.faults.clear()
    return {}


async def _reset(emu: BenchEmulator, script: Script, a: dict[str, Any]) -> dict[str, Any]:
    emu.received.clear()
    emu.polled.clear()
    emu.hooked.clear()
    return {}


async def _wait_polling(emu: BenchEmulator, script: Script, a: dict[str, Any]) -> dict[str, Any]:
    await asyncio.wait_for(emu.polled.wait(), float(a.get("timeout", 60)))
    return {}


async def _wait_webhooks(emu: BenchEmulator, script: Script, a: dict[str, Any]) -> dict[str, Any]:
    async def hooked() -> None:
        while len(emu.hooked) < int(a["count"]):
            await emu.changed()

    await asyncio.wait_for(hooked(), float(a.get("timeout", 60)))
    return {}


async def _webhook(emu: BenchEmulator, script: Script, a: dict[str, Any]) -> dict[str, Any]:
    done = emu.delivery
    emu.delivery = None
    if done is not None:
        await done.stop()
    if a.get("urls"):
        emu.delivery = Delivery(emu, a["urls"], str(a["secret"]), int(a["max_connections"]))
        emu.delivery.start()
    if done is None:
        return {}
    return {"accepted": dict(done.accepted), "retried": done.retried}


async def _walk(emu: BenchEmulator, script: Script, a: dict[str, Any]) -> dict[str, Any]:
    users = emu.users(int(a["first_user"]), int(a["chats"]))
    tally = await walk_all(
        emu,
        WALKS[str(a["walk"])],
        users,
        script,
        rate=float(a.get("rate", 0.0)),
        concurrency=a.get("concurrency"),
    )
    return {
        "latencies": tally.latencies,
        "updates": tally.updates,
        "lost": tally.lost,
        "why": tally.why[:5],
        "seconds": max(tally.last - tally.first, 0.0),
    }


async def _sends(emu: BenchEmulator, script: Script, a: dict[str, Any]) -> dict[str, Any]:
    return {"sends": [[r.at, r.chat_id, r.outcome] for r in emu.sends()]}


async def _texts(emu: BenchEmulator, script: Script, a: dict[str, Any]) -> dict[str, Any]:
    chats = [int(c) for c in a["chats"]]
    return {str(c): [m.get("text", "") for m in emu.sent(c)] for c in chats}


ROUTES: dict[str, Handler] = {
    "setup": _setup,  # users: first_user, users; groups: [chat ids]
    "flood": _flood,  # on: Telegram's flood limits on or off; slack: jitter forgiven (s)
    "reset": _reset,  # forget logged calls; wait_polling waits for a new poll
    "wait_polling": _wait_polling,  # until a bot calls getUpdates
    "wait_webhooks": _wait_webhooks,  # count: until that many webhook URLs are set
    "webhook": _webhook,  # urls, secret, max_connections: deliver (none: stop); the counts
    "walk": _walk,  # walk, first_user, chats, rate, concurrency: residents' timings
    "sends": _sends,  # every send* / edit* call: [arrival, chat, outcome]
    "texts": _texts,  # chats: the bot's messages to each, in order
    **SURGE_ROUTES,
}


def control_app(emu: BenchEmulator, script: Script) -> web.Application:
    """The control API: one POST route per entry of ROUTES."""

    def route(handler: Handler) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def handle(request: web.Request) -> web.Response:
            args = await request.json() if request.can_read_body else {}
            try:
                return web.json_response(await handler(emu, script, args))
            except Exception as exc:
                return web.json_response({"error": repr(exc)}, status=500)

        return handle

    app = web.Application(client_max_size=64 * 1024 * 1024)
    for name, handler in ROUTES.items():
        app.router.add_post(f"/{name}", route(handler))
    return app


async def serve(token: str) -> None:
    """Start the emulator and the control API; announce them; serve until SIGTERM."""
    script = Script.load()
    emu = BenchEmulator(token)
    await emu.start()
    try:
        runner = web.AppRunner(control_app(emu, script), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        port = int(runner.addresses[0][1])
        announce = {
            "base_url": emu.base_url,
            "base_file_url": emu.base_file_url,
            "control": f"http://127.0.0.1:{port}",
            "token": token,
        }
        print(json.dumps(announce), flush=True)
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(sig, stop.set)
        await stop.wait()
        if emu.delivery is not None:
            await emu.delivery.stop()
        await runner.cleanup()
    finally:
        await emu.stop()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.emulator", description=__doc__)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    asyncio.run(serve(parser.parse_args().token))


if __name__ == "__main__":
    main()
