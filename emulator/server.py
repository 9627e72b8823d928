"""The HTTP side: an aiohttp server on 127.0.0.1 speaking the Telegram Bot API.

`BotApiEmulator` combines the test-driver API (`Driver`) and the Bot API methods
(`BotApiMethods`) with a real HTTP server that python-telegram-bot uses through
``base_url``/``base_file_url``. `emu.faults` (`faults.Faults`) injects failures around
every method call; `emu.received` logs each call with its arrival time and outcome.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType

from aiohttp import web

from .driver import Driver
from .faults import Fault, Faults, FloodControl
from .methods import BotApiMethods, Params, Upload
from .world import JSON, ApiError, bad_request

DEFAULT_TOKEN = "123456:TEST-TOKEN"
#: Parameters that carry JSON-serialized objects in form-encoded requests.
JSON_PARAMS = frozenset(
    [
        "reply_markup",
        "reply_parameters",
        "commands",
        "scope",
        "media",
        "allowed_updates",
        "entities",
        "caption_entities",
        "link_preview_options",
    ]
)
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


async def read_params(request: web.Request) -> Params:
    """Parameters from the query string and a form, multipart or JSON body."""
    params = Params()
    params.update(request.query)
    if request.content_type == "application/json" and request.can_read_body:
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON encoded request parameters") from None
        if isinstance(body, dict):
            params.update(body)
    elif request.content_type in _FORMS:
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                params.files[key] = Upload(value.filename, value.content_type, value.file.read())
                value.file.close()
            else:
                params[key] = value
    return _decoded(params)


def _decoded(params: Params) -> Params:
    """`params` with nested objects sent as JSON strings decoded."""
    for key in JSON_PARAMS & params.keys():
        if isinstance(params[key], str):
            try:
                params[key] = json.loads(params[key])
            except ValueError:
                raise bad_request(f"can't parse {key.replace('_', ' ')} JSON object") from None
    return params


@dataclass
class Received:
    """One Bot API call as the server saw it: arrival (time.monotonic), method, target chat,
    outcome ("ok", "drop", "lost", or the error status such as "500", "429"), and whether
    it came in a webhook's answer rather than a request of its own."""

    at: float
    method: str
    chat_id: int | None
    outcome: str = "pending"
    in_answer: bool = False


def _chat_id(params: Params) -> int | None:
    raw = params.get("chat_id")
    try:
        return None if raw is None else int(raw)
    except (TypeError, ValueError):
        return None


def _error_response(error: ApiError) -> web.Response:
    body: JSON = {"ok": False, "error_code": error.code, "description": error.description}
    if error.parameters:
        body["parameters"] = error.parameters
    return web.json_response(body, status=error.code)


class BotApiEmulator(Driver, BotApiMethods):
    """A Telegram Bot API server for tests: ``async with BotApiEmulator() as emu: ...``."""

    def __init__(
        self, token: str = DEFAULT_TOKEN, *, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        super().__init__(token)
        self.host = host
        self.port = port  # the actual port once started
        self.faults = Faults()
        self.received: list[Received] = []
        self.on_call: Callable[[str, JSON], None] | None = None  # e.g. a logger
        self._runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    async def start(self) -> None:
        """Start serving; with port 0 a free port is chosen."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(
            app, handler_cancellation=True, access_log=None, shutdown_timeout=1.0
        )
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        self.port = int(self._runner.addresses[0][1])
        self.closing = False

    async def stop(self) -> None:
        """Stop serving; waiting long polls return an empty result first."""
        self.closing = True
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    def fail_next(
        self,
        method: str | None,
        status: int = 500,
        *,
        retry_after: int | None = None,
        times: int = 1,
        description: str | None = None,
        chat_id: int | None = None,
    ) -> Fault:
        """Shortcut for `emu.faults.fail_next`."""
        return self.faults.fail_next(
            method,
            status,
            retry_after=retry_after,
            times=times,
            description=description,
            chat_id=chat_id,
        )

    def set_delay(
        self, seconds: float, methods: list[str] | None = None, *, after: bool = False
    ) -> None:
        """Shortcut for `emu.faults.set_delay`."""
        self.faults.set_delay(seconds, methods, after=after)

    def sends(self, chat_id: int | None = None, outcome: str | None = None) -> list[Received]:
        """The logged calls of sending methods (send*, edit*), optionally to one chat or with
        one outcome, in arrival order."""
        return [
            r
            for r in self.received
            if FloodControl.limits_method(r.method.lower())
            and chat_id in (None, r.chat_id)
            and outcome in (None, r.outcome)
        ]

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _error_response(ApiError(401, "Unauthorized"))
        name, handler = self.method(request.match_info["method"])
        try:
            params = await read_params(request)
        except ApiError as exc:
            self.calls.append((name, {}))
            return _error_response(exc)
        record = self._log_call(name, params)
        try:
            fault = await self.faults.before(name, record.chat_id)
            if fault is not None and fault.drop:
                return self._hang_up(request, record, "drop")
            if fault is not None:
                raise fault.error()
            if handler is None:  # Telegram says 404, which PTB would read as InvalidToken
                raise bad_request("method not found")
            result = await handler(params)
        except ApiError as exc:
            record.outcome = str(exc.code)
            return _error_response(exc)
        if await self.faults.after(name, record.chat_id):
            return self._hang_up(request, record, "lost")
        record.outcome = "ok"
        return web.json_response({"ok": True, "result": result})

    async def call_in_answer(self, body: JSON) -> None:
        """Perform the method call a bot put in its answer to a webhook (Bot API, "Making
        requests when getting updates"), as Telegram does: logged like any call, its
        outcome never told to the bot. No faults are injected into it."""
        name, handler = self.method(str(body.get("method", "")))
        params = Params()
        params.update((key, value) for key, value in body.items() if key != "method")
        try:
            params = _decoded(params)
        except ApiError:
            self.calls.append((name, {}))
            return
        record = self._log_call(name, params, in_answer=True)
        try:
            if handler is None:
                raise bad_request("method not found")
            await handler(params)
        except ApiError as exc:
            record.outcome = str(exc.code)
            return
        record.outcome = "ok"

    def _log_call(self, name: str, params: Params, *, in_answer: bool = False) -> Received:
        """Record a call in `calls` and `received` (and tell `on_call`)."""
        self.calls.append((name, params.logged()))
        record = Received(time.monotonic(), name, _chat_id(params), in_answer=in_answer)
        self.received.append(record)
        if self.on_call is not None:
            self.on_call(name, params.logged())
        return record

    @staticmethod
    def _hang_up(request: web.Request, record: Received, outcome: str) -> web.Response:
        """Close the connection without an answer."""
        record.outcome = outcome
        if request.transport is not None:
            request.transport.abort()
        return web.Response(status=500)  # never reaches the client

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _error_response(ApiError(401, "Unauthorized"))
        for stored in self.files.values():
            if stored.file_path == request.match_info["path"]:
                return web.Response(body=stored.content)
        return _error_response(ApiError(404, "Not Found"))
