"""Updates that cannot be handled are given up on and passed; nothing waits behind them.

The emulator serves its corpus of malformed updates (missing fields, wrong types,
unknown kinds), in polling and in webhook mode. Unreadable ones are given up on at once,
readable ones that keep failing after `max_update_attempts`; either way they land in
the dead-letter table, without personal data, and later updates are served.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from emulator import BotApiEmulator
from emulator.webhook import WebhookDelivery
from storage import open_store
from storage.base import DeadLetter
from suara_warga.launch import run_bot
from tests.bot.harness import ADMIN_CHAT, Person, RunningBot, config_for, running_bot
from tests.bot.test_workers_e2e import SECRET
from tests.factories import make_update
from tests.helpers import free_port

OFFICERS: dict[str, Any] = {"central": [9001]}
GIVEN_UP = "tidak dapat kami proses"
NOTICE = "gagal diproses 3 kali"
# Read by PTB but failing in our handlers: retried, then given up on.
FAILING = ("text-is-a-number",)
# PTB cannot read these at all: given up on at once.
UNREADABLE = ("missing-message-id", "missing-chat", "from-is-a-string", "message-is-a-string")
PERSONAL = ("Nurhaliza", "siti_nur")


async def dead_letters(db_path: Path) -> list[DeadLetter]:
    store = await open_store(db_path)
    try:
        async with store.transaction() as tx:
            return await tx.dead_letters(limit=100)
    finally:
        await store.close()


def logged(caplog: pytest.LogCaptureFixture) -> str:
    """Everything logged, tracebacks included, as the log file would hold it."""
    formatter = logging.Formatter()
    return "\n".join(formatter.format(record) for record in caplog.records)


async def check_corpus_passed(emu: BotApiEmulator, db_path: Path, queued: dict[str, Any]) -> None:
    """The corpus is settled, recorded without personal data, and answered politely."""
    await emu.wait_until(lambda: emu.pending_updates() == 0, timeout=30)
    letters = {letter.update_id: letter for letter in await dead_letters(db_path)}
    for name in (*FAILING, *UNREADABLE):
        letter = letters.get(queued[name]["update_id"])
        assert letter is not None, f"{name} is not in the dead-letter table: {letters}"
        assert letter.chat_id is None  # a private chat: its id is the person's
        assert letter.kind == "message"
        assert not any(word in letter.error for word in (*PERSONAL, "Siti", "halo"))
    failing = letters[queued["text-is-a-number"]["update_id"]]
    assert failing.attempts == 3 and failing.error.startswith("AttributeError in bot/")
    unreadable = letters[queued["missing-message-id"]["update_id"]]
    assert unreadable.attempts == 1 and unreadable.error.startswith("TypeError")
    notices = [m for m in emu.sent(ADMIN_CHAT) if NOTICE in (m.get("text") or "")]
    assert len(notices) == 1  # once an hour, however many
    assert "dalam 30 hari terakhir: <b>" not in notices[0]["text"]  # HTML was parsed


@pytest.fixture
async def office_bot(emu: BotApiEmulator, db_path: Path) -> AsyncIterator[RunningBot]:
    async with running_bot(emu, config_for(emu, db_path, officers=OFFICERS)) as running:
        yield running


async def test_polling_passes_malformed_updates_and_serves_the_rest(
    emu: BotApiEmulator, office_bot: RunningBot, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    siti = Person(emu, emu.user(1001, "Siti", last_name="Nurhaliza", username="siti_nur"))
    budi = Person(emu, emu.user(1002, "Budi"))
    await siti.send("/start", expect="selamat datang")
    queued = emu.send_malformed(siti.user)
    await budi.send("/start", expect="selamat datang")  # another chat: served meanwhile
    await siti.send("/bantuan", expect="Cara melapor")  # her own: served after them
    await check_corpus_passed(emu, db_path, queued)
    given_up = [m for m in emu.sent(siti.user) if GIVEN_UP in m["text"]]
    # Answered where a chat could be found, at most once per update given up on.
    assert len(FAILING) <= len(given_up) <= len(await dead_letters(db_path))
    assert not office_bot.task_done()
    text = logged(caplog)
    assert "given up on" in text  # logged, by id
    assert not any(word in text for word in PERSONAL), text
    assert not [r for r in caplog.records if r.levelno >= logging.CRITICAL]


async def test_webhook_passes_malformed_updates_counts_them_and_serves_the_rest(
    emu: BotApiEmulator, db_path: Path
) -> None:
    port = free_port()
    hook = {"port": port, "public_url": f"http://127.0.0.1:{port}", "secret_token": SECRET}
    config = config_for(emu, db_path, officers=OFFICERS, webhook=hook)
    stop = asyncio.Event()
    task = asyncio.create_task(run_bot(config, stop, webhook=True))
    try:
        await emu.wait_until(lambda: bool(emu.webhook_url) or task.done(), timeout=10)
        async with WebhookDelivery(emu, [emu.webhook_url], SECRET):
            siti = Person(emu, emu.user(1001, "Siti", last_name="Nurhaliza"))
            budi = Person(emu, emu.user(1002, "Budi"))
            queued = emu.send_malformed(siti.user)
            await budi.send("/start", expect="selamat datang")
            await siti.send("/bantuan", expect="Cara melapor")
            await check_corpus_passed(emu, db_path, queued)
            assert [m for m in emu.sent(siti.user) if GIVEN_UP in m["text"]]
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"http://127.0.0.1:{port}/metrics") as page,
        ):
            metrics = await page.text()
        buried = len(FAILING) + len(UNREADABLE)
        counted = next(
            float(line.split()[-1])
            for line in metrics.splitlines()
            if line.startswith("suara_warga_dead_letters_total ")
        )
        assert counted >= buried
        assert not task.done()
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)


async def test_an_officers_failing_command_is_answered_in_the_group_and_passed(
    emu: BotApiEmulator, office_bot: RunningBot, db_path: Path
) -> None:
    officer = emu.user(9001, "Petugas")
    good = emu.send_text(officer, "/antrian", chat=ADMIN_CHAT)
    broken = make_update({**good["message"], "message_id": 999, "text": 404})
    queued = emu.enqueue_raw(broken)  # a number where the command's text should be
    emu.send_text(officer, "/kader", chat=ADMIN_CHAT)
    await emu.wait_for(ADMIN_CHAT, "Tidak ada laporan terbuka")
    await emu.wait_for(ADMIN_CHAT, "tidak dapat diproses", timeout=20)
    await emu.wait_for(ADMIN_CHAT, "Belum ada kader", timeout=20)  # served after it
    [letter] = await dead_letters(db_path)
    assert (letter.update_id, letter.chat_id, letter.attempts) == (
        queued["update_id"],
        ADMIN_CHAT,  # a group's id is kept: it names no person
        3,
    )
