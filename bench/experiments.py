"""Experiments for the profile's findings, applied to a bot process by ``--experiment``.

Not part of the bot: they show, before and after, what a change outside bench/ would
gain. Both are about the HTTP client under python-telegram-bot, which the profile
shows taking most of the bot's CPU (httpx, httpcore, anyio):

* ``sniffio``: httpcore asks ``import sniffio`` for every lock it sets up; sniffio is
  not installed (anyio 4 no longer needs it), so each request pays for failed imports
  through sys.path. Marking it absent in `sys.modules` makes that instant, as
  installing sniffio would. Also, at most `GATE` requests at a time per PTB request
  object: httpcore's pool re-scans every queued request and connection on each change
  (O(n^2) in concurrent requests).
* ``aiohttp``: PTB's requests made with aiohttp (already a dependency) instead of httpx,
  through `AiohttpRequest`, a minimal `telegram.request.BaseRequest`.
"""

from __future__ import annotations

import asyncio
import importlib.util
import sys
import weakref
from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.ext import ApplicationBuilder
from telegram.request import BaseRequest, HTTPXRequest, RequestData

EXPERIMENTS = ("sniffio", "aiohttp")
GATE = 4
DEFAULT_TIMEOUT = 5.0


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


class AiohttpRequest(BaseRequest):
    """PTB's requests over one aiohttp session (timeouts and errors mapped as PTB's own)."""

    def __init__(self, connections: int = 64) -> None:
        self._connections = connections
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return DEFAULT_TIMEOUT

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._connections)
            self._session = aiohttp.ClientSession(connector=connector)

    async def shutdown(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None:
            raise RuntimeError("AiohttpRequest is not initialized")
        default = isinstance(read_timeout, type(self.DEFAULT_NONE))
        read = DEFAULT_TIMEOUT if default else read_timeout
        timeout = aiohttp.ClientTimeout(sock_connect=DEFAULT_TIMEOUT, sock_read=read)
        data: Any = None
        if request_data is not None and request_data.contains_files:
            form = aiohttp.FormData(request_data.json_parameters)
            for name, (filename, content, mime) in request_data.multipart_data.items():
                form.add_field(name, content, filename=filename, content_type=mime)
            data = form
        elif request_data is not None:
            data = request_data.json_parameters
        try:
            async with self._session.request(method, url, data=data, timeout=timeout) as res:
                return res.status, await res.read()
        except TimeoutError as exc:
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc


def use_aiohttp() -> None:
    """Build the bot's Application (bot.app) with `AiohttpRequest` for every request."""
    import bot.app

    class Builder(ApplicationBuilder):  # type: ignore[type-arg]
        def __init__(self) -> None:
            super().__init__()
            self.request(AiohttpRequest())
            self.get_updates_request(AiohttpRequest(connections=1))

    bot.app.ApplicationBuilder = Builder  # type: ignore[attr-defined]


def apply(name: str | None) -> None:
    """Apply one experiment of EXPERIMENTS by name (None: nothing)."""
    if name == "sniffio":
        no_sniffio_probe()
        gate_requests()
    elif name == "aiohttp":
        use_aiohttp()
    elif name is not None:
        raise ValueError(f"unknown experiment {name!r}; known: {', '.join(EXPERIMENTS)}")
