"""End to end: officers' actions stay consistent, and erasure reaches every copy
(issue #11 items 3 to 10), through the emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.bot.harness import ADMIN_CHAT, Person, RunningBot, config_for
from tests.bot.test_officers_e2e import (
    CENTRAL_OFFICER,
    DLH_CHAT,
    DLH_OFFICER,
    OFFICERS,
    card_in,
    file_report,
    press,
)
from tests.emulator import BotApiEmulator


@pytest.fixture
async def desk_bot(emu: BotApiEmulator, db_path: Path) -> AsyncIterator[RunningBot]:
    emu.group(DLH_CHAT, "UP4 Dinas Lingkungan Hidup")
    config = config_for(emu, db_path, officers=OFFICERS, privacy={"retention_days": 30})
    running = RunningBot(config)
    await running.start(emu)
    yield running
    await running.shutdown()


async def test_cari_searches_text_when_the_word_only_looks_like_a_code(
    emu: BotApiEmulator, desk_bot: RunningBot
) -> None:
    siti = Person(emu, emu.user(1001, "Siti"))
    code = await file_report(siti, "Jembatan gantung retak, bahaya", body_button="Tidak tahu")
    await emu.wait_for(ADMIN_CHAT, code)
    central_officer = emu.user(CENTRAL_OFFICER, "Dewi")
    dlh_officer = emu.user(DLH_OFFICER, "Andi")

    emu.send_text(central_officer, "/cari jembatan", chat=ADMIN_CHAT)  # SW-JEMB-ATAN?
    found = await emu.wait_for(ADMIN_CHAT, "Hasil pencarian")
    assert code in found["text"] and "tidak ditemukan" not in found["text"]
    emu.send_text(dlh_officer, "/cari jembatan", chat=DLH_CHAT)  # not DLH's report
    answer = await emu.wait_for(DLH_CHAT, "jembatan")
    assert "Tidak ada laporan" in answer["text"] and code not in answer["text"]
    emu.send_text(central_officer, "/cari SW-JEMB-ATAN", chat=ADMIN_CHAT)  # typed as a code
    await emu.wait_for(ADMIN_CHAT, "Laporan SW-JEMB-ATAN tidak ditemukan")
    emu.send_text(central_officer, f"/cari {code.lower()}", chat=ADMIN_CHAT)
    await emu.wait_until(lambda: len([m for m in emu.sent(ADMIN_CHAT) if code in m["text"]]) > 2)
    assert "Jembatan gantung" in card_in(emu, ADMIN_CHAT, code)["text"]


_ = press  # used by the tests below
