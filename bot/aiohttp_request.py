"""python-telegram-bot's Bot API requests over aiohttp: `AiohttpRequest`.

PTB's default `HTTPXRequest` (httpx, httpcore, anyio) took about three quarters of the
bot's event-loop time in our benchmark (docs/benchmarks.md); the same calls over
aiohttp, already a dependency, cost less than half the CPU per update.

It mirrors `HTTPXRequest` of PTB 22 (``telegram/request/_httpxrequest.py``):

* the same parameters and defaults: 5 s to connect, read and write, 20 s to write an
  upload, 1 s to wait for a free connection. A timeout passed to `do_request` wins over
  the default; None means no limit. `Bot.get_updates` adds its long-poll `timeout` to
  `read_timeout` itself;
* the same parameters in the body, but as one JSON object (``application/json``, which
  the Bot API takes as it takes forms): ``json.dumps`` in C where form-encoding quoted
  every character in Python (about a sixth of the bot's CPU in a profile of the intake
  walk, docs/benchmarks.md §17). With files, multipart/form-data laid out as httpx does;
  the same User-Agent; redirects are not followed;
* the same errors: any timeout is `TimedOut` (waiting for a free connection: a TimedOut
  saying the request was not sent), any other failure of the network `NetworkError`
  named after the aiohttp error. HTTP statuses go back to PTB, which maps them.

How the timeouts fit aiohttp: connect is ``ClientTimeout.connect``; read is
``sock_read``, for every read, started once the body is sent (as httpcore does); pool is
the wait for one of `connection_pool_size` slots (so aiohttp's connector never waits,
which it would count as connecting). aiohttp has no write timeout: a body over `CHUNK`
bytes (an upload) is sent in pieces of that size, each given the write timeout; a
smaller one goes into the transport's buffer at once, so writing it never waits.
Proxies from the environment (httpx's ``trust_env``) are not used: aiohttp would read
``~/.netrc`` in a thread for every request.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from collections.abc import AsyncIterator, Mapping
from typing import IO

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

CHUNK = 64 * 1024  # aiohttp's write buffer; httpx reads files in such pieces too
JSON = "application/json"
POOL_TIMEOUT_MESSAGE = (  # PTB's words
    "Pool timeout: All connections in the connection pool are occupied. Request was *not* "
    "sent to Telegram. Consider adjusting the connection pool size or the pool timeout."
)
# httpx (after HTML5) escapes these in the name and filename of a multipart part.
_FORM_ESCAPES = {'"': "%22", "\\": "\\\\"} | {chr(c): f"%{c:02X}" for c in range(0x20) if c != 0x1B}
_FORM_ESCAPE = re.compile("|".join(re.escape(c) for c in _FORM_ESCAPES))
Files = Mapping[str, tuple[str, bytes | IO[bytes], str]]  # name: (filename, content, mime)


class AiohttpRequest(BaseRequest):
    """A `telegram.request.BaseRequest` over one aiohttp session, opened by `initialize`
    and closed by `shutdown` (both idempotent); see the module docstring."""

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._slots = asyncio.Semaphore(connection_pool_size)

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout (seconds; None: none)."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (nothing if it is open)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
                cookie_jar=aiohttp.DummyCookieJar(),
            )
            self._slots = asyncio.Semaphore(self._pool_size)  # bound to this loop

    async def shutdown(self) -> None:
        """Close the session and its connections (nothing if it is closed)."""
        session, self._session = self._session, None
        if session is not None:
            await session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """One HTTP request: (status, body); see `BaseRequest.do_request`."""
        session, slots = self._session, self._slots
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data and request_data.contains_files else {}
        limits = aiohttp.ClientTimeout(
            connect=_chosen(connect_timeout, self._connect_timeout),
            sock_read=_chosen(read_timeout, self._read_timeout),
        )
        write = _chosen(write_timeout, self._media_write_timeout if files else self._write_timeout)
        await _take(slots, _chosen(pool_timeout, self._pool_timeout))
        try:
            if request_data is not None and files:
                body, kind = _multipart(request_data.json_parameters, files)
                return await _send(session, method, url, limits, body, kind, write)
            params = request_data.parameters if request_data is not None else {}
            if params:
                body = json.dumps(params).encode()
                return await _send(session, method, url, limits, body, JSON, write)
            return await _exchange(session, method, url, limits)
        except TimeoutError as exc:  # aiohttp's timeouts are TimeoutErrors too
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc
        finally:
            slots.release()


async def _take(slots: asyncio.Semaphore, seconds: float | None) -> None:
    """Wait for a free connection, as httpcore's pool does (TimedOut after `seconds`)."""
    if not slots.locked():  # one is free: no waiting, no timer
        await slots.acquire()
        return
    try:
        async with asyncio.timeout(seconds):
            await slots.acquire()
    except TimeoutError as exc:
        raise TimedOut(POOL_TIMEOUT_MESSAGE) from exc


async def _send(
    session: aiohttp.ClientSession,
    method: str,
    url: str,
    limits: aiohttp.ClientTimeout,
    body: bytes,
    kind: str,
    write: float | None,
) -> tuple[int, bytes]:
    """`_exchange` with a body of content type `kind`, every `CHUNK` of it written within
    `write` seconds."""
    headers = {"Content-Type": kind}
    if len(body) <= CHUNK:  # the transport takes it at once: writing never waits
        return await _exchange(session, method, url, limits, body, headers)
    headers["Content-Length"] = str(len(body))
    async with asyncio.timeout(None) as deadline:
        pieces = _written_in_time(body, deadline, write)
        return await _exchange(session, method, url, limits, pieces, headers)


async def _exchange(
    session: aiohttp.ClientSession,
    method: str,
    url: str,
    limits: aiohttp.ClientTimeout,
    data: bytes | AsyncIterator[bytes] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes]:
    """Send the request and read the whole answer."""
    async with session.request(
        method, url, data=data, headers=headers, timeout=limits, allow_redirects=False
    ) as response:
        return response.status, await response.read()


def _chosen(value: ODVInput[float], default: float | None) -> float | None:
    """The timeout to use: `default` unless one was passed (None: no limit)."""
    return default if isinstance(value, DefaultValue) else value


async def _written_in_time(
    body: bytes, deadline: asyncio.Timeout, seconds: float | None
) -> AsyncIterator[bytes]:
    """`body` in pieces of `CHUNK` bytes, each to be written within `seconds` (aiohttp
    asks for the next piece once the last one is written); after the last, no limit
    (the read timeout starts)."""
    loop = asyncio.get_running_loop()
    for start in range(0, len(body), CHUNK):
        deadline.reschedule(None if seconds is None else loop.time() + seconds)
        yield body[start : start + CHUNK]
    deadline.reschedule(None)


def _multipart(fields: Mapping[str, str], files: Files) -> tuple[bytes, str]:
    """A multipart/form-data body and its content type, laid out as httpx does: the
    fields, then the files with their filename and mime type."""
    boundary = os.urandom(16).hex()
    parts: list[bytes] = []
    for name, value in fields.items():
        head = f"--{boundary}\r\nContent-Disposition: form-data; {_param('name', name)}"
        parts += [f"{head}\r\n\r\n".encode(), value.encode(), b"\r\n"]
    for name, (filename, content, mime) in files.items():
        head = (
            f"--{boundary}\r\nContent-Disposition: form-data; {_param('name', name)}; "
            f"{_param('filename', filename)}\r\nContent-Type: {mime}"
        )
        parts += [f"{head}\r\n\r\n".encode(), _read(content), b"\r\n"]
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _param(key: str, value: str) -> str:
    """``key="value"`` for a part's header, the value escaped as httpx does."""
    escaped = _FORM_ESCAPE.sub(lambda match: _FORM_ESCAPES[match.group()], value)
    return f'{key}="{escaped}"'


def _read(content: bytes | IO[bytes]) -> bytes:
    """A file's bytes; a file object is read from its start (a retry sends it again)."""
    if isinstance(content, bytes):
        return content
    if content.seekable():
        content.seek(0)
    return content.read()
