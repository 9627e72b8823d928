"""`AiohttpRequest`, the bot's transport: PTB's calls over aiohttp send the parameters
PTB's own HTTPXRequest sends (as JSON where httpx sends a form), honour the same
timeouts and fail with the same errors.

Against the emulator; where it cannot misbehave the way a test needs (hold a request,
stop reading an upload, cut an answer short), against a small server of the test's own.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import timedelta

import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import BaseRequest, HTTPXRequest

from bot.aiohttp_request import CHUNK, POOL_TIMEOUT_MESSAGE, AiohttpRequest
from emulator import DEFAULT_TOKEN, JSON, BotApiEmulator, Upload
from emulator.server import read_params
from tests.factories import make_message

SITI = 1001
MARKUP = InlineKeyboardMarkup([[InlineKeyboardButton("Lanjut ➡️", callback_data="2:next")]])
BOT_USER = {"id": 42, "is_bot": True, "first_name": "Suara Warga", "username": "suarawarga_bot"}
MESSAGE = make_message(SITI, "ok")
CSV = "kode,status\r\nSW-7K3M-Q9XA,baru\r\n".encode("utf-8-sig")
TRANSPORTS = [pytest.param(AiohttpRequest, id="aiohttp"), pytest.param(HTTPXRequest, id="httpx")]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@asynccontextmanager
async def bot_on(
    base_url: str,
    request: BaseRequest | None = None,
    polls: BaseRequest | None = None,
    *,
    initialize: bool = True,
) -> AsyncIterator[Bot]:
    """A Bot over `AiohttpRequest`s (or the given requests) at `base_url` (".../bot")."""
    bot = Bot(
        DEFAULT_TOKEN,
        base_url=base_url,
        base_file_url=base_url.replace("/bot", "/file/bot"),
        request=request or AiohttpRequest(),
        get_updates_request=polls or AiohttpRequest(connection_pool_size=1),
    )
    if initialize:
        async with bot:
            yield bot
        return
    async with bot.request:  # the calls only: no getMe
        yield bot


@asynccontextmanager
async def serve(handler: Handler) -> AsyncIterator[str]:
    """A server on 127.0.0.1 answering every Bot API method with `handler`; its base_url."""
    app = web.Application()
    app.router.add_route("*", "/bot{token}/{method}", handler)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/bot"
    finally:
        await runner.cleanup()


@asynccontextmanager
async def raw_server(
    handle: Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]],
) -> AsyncIterator[str]:
    """A TCP server on 127.0.0.1 doing whatever `handle` does with each connection."""
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/bot"
    finally:
        server.close()
        await server.wait_closed()


@dataclass
class Seen:
    """One request as the server read it."""

    http_method: str
    method: str
    content_type: str
    user_agent: str
    params: JSON
    files: dict[str, Upload]


async def record(request: BaseRequest, calls: Callable[[Bot], Awaitable[None]]) -> list[Seen]:
    """What a server saw of getMe and `calls` made over `request`."""
    seen: list[Seen] = []

    async def answer(http: web.Request) -> web.StreamResponse:
        params = await read_params(http)
        method = http.match_info["method"]
        agent = http.headers.get("User-Agent", "")
        seen.append(Seen(http.method, method, http.content_type, agent, dict(params), params.files))
        if method == "getMe":
            return web.json_response({"ok": True, "result": BOT_USER})
        return web.json_response({"ok": True, "result": MESSAGE})

    async with serve(answer) as base_url, bot_on(base_url, request) as bot:
        await calls(bot)
    return seen


def as_form(seen: Seen) -> Seen:
    """What `seen` would be as a form: a JSON body's numbers as strings."""
    if seen.content_type != "application/json":
        return seen
    params = {key: str(v) if isinstance(v, int) else v for key, v in seen.params.items()}
    return replace(seen, content_type="application/x-www-form-urlencoded", params=params)


async def test_requests_are_those_of_ptbs_own_httpx_request() -> None:
    async def calls(bot: Bot) -> None:
        await bot.send_message(SITI, "Jalan <b>rusak</b> & berlubang 🙂", reply_markup=MARKUP)
        await bot.send_document(
            SITI, InputFile(CSV, filename='laporan "Oktober".csv'), caption="Oktober 🙂"
        )
        await bot.send_photo(SITI, InputFile(b"\x89PNG\r\n\x1a\n", filename="grafik.png"))

    over_aiohttp = await record(AiohttpRequest(), calls)
    over_httpx = await record(HTTPXRequest(), calls)
    # A body without files goes as JSON (httpx: a form), so its numbers stay numbers.
    assert [as_form(seen) for seen in over_aiohttp] == over_httpx
    get_me, message, document, photo = over_aiohttp
    assert [s.method for s in over_aiohttp] == ["getMe", "sendMessage", "sendDocument", "sendPhoto"]
    assert get_me.http_method == "POST" and get_me.params == {}
    assert message.content_type == "application/json"
    assert message.params["chat_id"] == SITI
    assert message.params["text"] == "Jalan <b>rusak</b> & berlubang 🙂"
    assert message.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "2:next"
    assert message.user_agent == BaseRequest.USER_AGENT
    assert document.content_type == "multipart/form-data"
    assert document.params == {"chat_id": str(SITI), "caption": "Oktober 🙂"}
    # a quote in a file name is escaped as in HTML5 forms (and httpx)
    assert document.files == {"document": Upload("laporan %22Oktober%22.csv", "text/csv", CSV)}
    assert photo.files["photo"].content_type == "image/png"


async def test_a_call_is_answered(emu: BotApiEmulator) -> None:
    siti = emu.user(SITI, "Siti")
    async with bot_on(emu.base_url) as bot:
        assert bot.username == emu.bot_user["username"]  # getMe, on initialize
        message = await bot.send_message(SITI, "<b>Halo</b> &amp; selamat datang", "HTML")
        await bot.send_message(SITI, "Pilih:", reply_markup=MARKUP)
    assert message.chat_id == SITI and message.text == "Halo & selamat datang"
    assert emu.buttons(emu.sent(siti)[-1]) == [("Lanjut ➡️", "2:next")]


async def test_an_upload_arrives_intact_and_downloads_back(emu: BotApiEmulator) -> None:
    emu.user(SITI, "Siti")
    content = bytes(range(256)) * (5 * CHUNK // 256 + 7)  # several pieces, the last short
    upload = InputFile(content, filename="laporan-2026-10.xlsx")
    async with bot_on(emu.base_url) as bot:
        message = await bot.send_document(SITI, upload, caption="Laporan Oktober")
        assert message.document is not None
        downloaded = await (await bot.get_file(message.document.file_id)).download_as_bytearray()
    assert message.document.file_name == "laporan-2026-10.xlsx"
    assert message.document.mime_type == upload.mimetype
    assert message.caption == "Laporan Oktober"
    assert bytes(downloaded) == content


@pytest.mark.parametrize(
    ("status", "error", "description"),
    [
        pytest.param(429, RetryAfter, "Flood control exceeded. Retry in 0:00:03", id="429"),
        pytest.param(403, Forbidden, "Forbidden: bot was blocked by the user", id="403"),
        pytest.param(400, BadRequest, "Message is too long", id="400"),
        pytest.param(500, NetworkError, "Internal Server Error", id="500"),
        pytest.param(502, NetworkError, "Bad Gateway", id="502"),
    ],
)
@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_error_answers_reach_ptbs_error_mapping(
    emu: BotApiEmulator,
    transport: type[BaseRequest],
    status: int,
    error: type[Exception],
    description: str,
) -> None:
    emu.user(SITI, "Siti")
    async with bot_on(emu.base_url, transport()) as bot:
        retry = 3 if status == 429 else None
        text = {403: description, 400: "Bad Request: message is too long"}.get(status)
        emu.fail_next("sendMessage", status, retry_after=retry, description=text)
        with pytest.raises(error) as raised:
            await bot.send_message(SITI, "Laporan diterima")
        await bot.send_message(SITI, "Laporan diterima")  # the next call goes through
    assert type(raised.value) is error
    assert str(raised.value) == description
    if isinstance(raised.value, RetryAfter):
        assert raised.value.retry_after == timedelta(seconds=3)


@pytest.mark.parametrize("fault", ["drop", "lose"])
@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_connection_closed_without_an_answer_is_a_network_error(
    emu: BotApiEmulator, transport: type[BaseRequest], fault: str
) -> None:
    siti = emu.user(SITI, "Siti")
    async with bot_on(emu.base_url, transport()) as bot:
        if fault == "drop":
            emu.faults.drop_next("sendMessage")
        else:
            emu.faults.lose_next("sendMessage")
        with pytest.raises(NetworkError) as raised:
            await bot.send_message(SITI, "Laporan diterima")
        assert not isinstance(raised.value, TimedOut)
        await bot.send_message(SITI, "Laporan diterima")
    assert len(emu.sent(siti)) == (2 if fault == "lose" else 1)  # a lost answer: sent anyway


async def test_an_answer_cut_short_is_a_network_error() -> None:
    async def half_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 99\r\n")
        writer.write(b'\r\n{"ok": true, "res')
        await writer.drain()
        writer.close()

    async with raw_server(half_answer) as base_url, bot_on(base_url, initialize=False) as bot:
        with pytest.raises(NetworkError, match=r"^aiohttp\.ClientPayloadError: ") as raised:
            await bot.get_me()
    assert not isinstance(raised.value, TimedOut)


async def test_a_refused_connection_is_a_network_error() -> None:
    with socket.socket() as sock:  # a port nothing listens on once it is closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with bot_on(f"http://127.0.0.1:{port}/bot", initialize=False) as bot:
        with pytest.raises(NetworkError, match=r"^aiohttp\.ClientConnectorError: ") as raised:
            await bot.get_me()
    assert not isinstance(raised.value, TimedOut)


async def test_an_answer_slower_than_the_read_timeout_times_out(emu: BotApiEmulator) -> None:
    async with bot_on(emu.base_url, AiohttpRequest(read_timeout=0.1)) as bot:
        emu.set_delay(0.5, ["setMyDescription"], after=True)
        with pytest.raises(TimedOut) as raised:
            await bot.set_my_description("Pengaduan warga Kota Cilegon")
        assert str(raised.value) == "Timed out"
        # None: no limit at all
        assert await bot.set_my_description("Pengaduan warga", read_timeout=None)
    # the first was still waiting to be answered when the bot hung up
    assert [r.outcome for r in emu.received if r.method == "setMyDescription"] == ["pending", "ok"]


async def test_a_long_poll_may_last_its_timeout_beyond_the_read_timeout(
    emu: BotApiEmulator,
) -> None:
    polls = AiohttpRequest(connection_pool_size=1, read_timeout=1.0)
    async with bot_on(emu.base_url, polls=polls) as bot:
        assert await bot.get_updates(timeout=2) == ()  # held 2 s by the emulator
        emu.send_text(emu.user(SITI, "Siti"), "halo")
        (update,) = await bot.get_updates(timeout=2)
    assert update.message is not None and update.message.text == "halo"


async def test_a_full_pool_times_out_without_sending() -> None:
    arrived, release = asyncio.Event(), asyncio.Event()
    calls = 0

    async def hold(request: web.Request) -> web.StreamResponse:
        nonlocal calls
        calls += 1
        arrived.set()
        await release.wait()
        return web.json_response({"ok": True, "result": BOT_USER})

    request = AiohttpRequest(connection_pool_size=1, pool_timeout=0.1)
    async with serve(hold) as base_url, bot_on(base_url, request, initialize=False) as bot:
        first = asyncio.create_task(bot.get_me())
        await arrived.wait()
        with pytest.raises(TimedOut) as raised:
            await bot.get_me()
        release.set()
        assert (await first).id == BOT_USER["id"]
        assert (await bot.get_me()).id == BOT_USER["id"]  # the connection is free again
    assert str(raised.value) == POOL_TIMEOUT_MESSAGE
    assert calls == 2  # the one that timed out never reached the server


async def test_an_upload_the_server_stops_reading_times_out() -> None:
    connected = asyncio.Event()
    hang_up = asyncio.Event()

    async def never_read(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connected.set()
        await hang_up.wait()
        writer.close()

    big = b"x" * (16 * 1024 * 1024)  # more than the kernel's socket buffers hold
    uploads = AiohttpRequest(media_write_timeout=0.2)
    async with (
        raw_server(never_read) as base_url,
        bot_on(base_url, uploads, initialize=False) as bot,
    ):
        with pytest.raises(TimedOut):
            async with asyncio.timeout(30):  # without a write timeout: a hang, made a failure
                await bot.send_document(SITI, InputFile(big, filename="arsip.zip"))
        hang_up.set()
    assert connected.is_set()


async def test_it_can_be_shut_down_and_initialized_again(emu: BotApiEmulator) -> None:
    request = AiohttpRequest()
    url = f"{emu.base_url}{emu.token}/getMe"
    await request.initialize()
    await request.initialize()  # nothing: already open
    assert await request.post(url) == emu.bot_user
    await request.shutdown()
    await request.shutdown()  # nothing: already closed
    with pytest.raises(NetworkError, match="not initialized"):
        await request.post(url)
    async with request:
        assert await request.post(url) == emu.bot_user
