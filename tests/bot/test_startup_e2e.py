"""Start-up against a Telegram that is down for a while: the bot waits and comes up; a
wrong token is still an immediate, readable error; a stop while waiting is clean."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from telegram.error import InvalidToken

from emulator import BotApiEmulator
from suara_warga.launch import run_bot
from tests.bot.harness import Person, RunningBot, config_for
from tests.bot.test_workers_e2e import SECRET
from tests.helpers import free_port


async def test_bot_waits_for_telegram_to_come_back(emu: BotApiEmulator, db_path: Path) -> None:
    emu.fail_next("getMe", 502, times=2)
    emu.faults.drop_next("setMyCommands")
    emu.fail_next("deleteWebhook", 429, retry_after=1)
    bot = RunningBot(config_for(emu, db_path))
    task = asyncio.create_task(run_bot(bot.config, bot.stop, bot.clock))
    try:
        siti = Person(emu, emu.user(1001, "Siti"))
        await siti.send("/start")
        await siti.expect("selamat datang", timeout=15)
        tries = [method for method, _ in emu.calls]
        assert tries.count("getMe") == 3
        assert tries.count("deleteWebhook") == 2
        assert tries.count("setMyCommands") == 2
        assert not task.done()
    finally:
        bot.stop.set()
        await asyncio.wait_for(task, 10)


async def test_webhook_is_registered_once_telegram_answers(
    emu: BotApiEmulator, db_path: Path
) -> None:
    port = free_port()
    hook = {"port": port, "public_url": f"http://127.0.0.1:{port}", "secret_token": SECRET}
    emu.fail_next("setWebhook", 500, times=2)
    stop = asyncio.Event()
    task = asyncio.create_task(run_bot(config_for(emu, db_path, webhook=hook), stop, webhook=True))
    try:
        await emu.wait_until(lambda: bool(emu.webhook_url) or task.done(), timeout=10)
        assert emu.webhook_url == f"http://127.0.0.1:{port}/telegram/webhook"
        assert [method for method, _ in emu.calls].count("setWebhook") == 3
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)


async def test_wrong_token_fails_at_once(emu: BotApiEmulator, db_path: Path) -> None:
    config = config_for(emu, db_path, telegram={"token": "123456:not-the-token"})
    with pytest.raises(InvalidToken):
        await asyncio.wait_for(run_bot(config, asyncio.Event()), 10)


async def test_stop_while_telegram_is_down_is_clean(emu: BotApiEmulator, db_path: Path) -> None:
    emu.fail_next("getMe", 500, times=1000)
    stop = asyncio.Event()
    task = asyncio.create_task(run_bot(config_for(emu, db_path), stop))
    await emu.wait_until(lambda: [m for m, _ in emu.calls].count("getMe") >= 2, timeout=10)
    stop.set()
    await asyncio.wait_for(task, 5)  # returns, without an error
    assert not any(method == "getUpdates" for method, _ in emu.calls)
