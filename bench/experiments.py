"""Experiments for the profile's findings, applied to a bot process by ``--experiment``.

Not part of the bot: they show, before and after, what a change outside bench/ gains or
costs. The bot sends its Bot API requests over aiohttp (`bot.aiohttp_request`); both
experiments put it back on python-telegram-bot's default HTTPXRequest (httpx, httpcore,
anyio), which the profile showed taking most of the bot's CPU:

* ``httpx``: the bot as it was, PTB's default requests (for the before/after figures).
* ``sniffio``: httpx, with two of its costs removed. httpcore asks ``import sniffio``
  for every lock it sets up; sniffio is not installed (anyio 4 no longer needs it), so
  each request pays for failed imports through sys.path. Marking it absent in
  `sys.modules` makes that instant, as installing sniffio would. Also, at most `GATE`
  requests at a time per PTB request object: httpcore's pool re-scans every queued
  request and connection on each change (O(n^2) in concurrent requests). The echo bot
  (plain PTB, so httpx) gets this one too.
"""

from __future__ import annotations

import asyncio
import importlib.util
import sys
import weakref
from typing import Any, TypeVar

from telegram.ext import ApplicationBuilder
from telegram.request import BaseRequest, HTTPXRequest

EXPERIMENTS = ("httpx", "sniffio")
GATE = 4
Builder = TypeVar("Builder", bound=ApplicationBuilder)  # type: ignore[type-arg]


def no_sniffio_probe() -> None:
    """Make httpcore's ``import sniffio`` fail at once (see the module docstring)."""
    if importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


def gate_requests(gate: int = GATE) -> None:
    """At most `gate` requests at a time through each HTTPXRequest."""
    gates: weakref.WeakKeyDictionary[HTTPXRequest, asyncio.Semaphore] = weakref.WeakKeyDictionary()
    original = HTTPXRequest.do_request

    async def do_request(self: HTTPXRequest, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        async with gates.setdefault(self, asyncio.Semaphore(gate)):
            return await original(self, *args, **kwargs)

    HTTPXRequest.do_request = do_request  # type: ignore[method-assign]


def use_httpx() -> None:
    """Build the bot's Application (bot.app) with PTB's default requests: the builder
    ignores the `AiohttpRequest`s it is given, so PTB makes its HTTPXRequests."""
    import bot.app

    class DefaultRequests(ApplicationBuilder):  # type: ignore[type-arg]
        def request(self: Builder, request: BaseRequest) -> Builder:
            return self

        def get_updates_request(self: Builder, get_updates_request: BaseRequest) -> Builder:
            return self

    bot.app.ApplicationBuilder = DefaultRequests  # type: ignore[attr-defined]


def apply(name: str | None) -> None:
    """Apply one experiment of EXPERIMENTS by name (None: nothing)."""
    if name == "httpx":
        use_httpx()
    elif name == "sniffio":
        use_httpx()
        no_sniffio_probe()
        gate_requests()
    elif name is not None:
        raise ValueError(f"unknown experiment {name!r}; known: {', '.join(EXPERIMENTS)}")
