"""Every officer command, with any argument, through the emulator: a polite answer.

The arguments are drawn by Hypothesis (any text, digit strings of any length, dates),
plus the two that used to fail every time and pin the poll loop (`/laporan 9999-12`:
year 10000; `/kader_aktif 99999999999999999999`: beyond 64 bits). One bot serves all
examples; each must answer in Indonesian and nothing may be given up on.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from emulator import BotApiEmulator
from emulator.world import JSON
from storage import open_store
from tests.bot.harness import ADMIN_CHAT, RunningBot, config_for, running_bot

DLH_CHAT = -100888
OFFICER_OF = {ADMIN_CHAT: 9001, DLH_CHAT: 9002}
OFFICERS: dict[str, Any] = {
    "central": [OFFICER_OF[ADMIN_CHAT]],
    "opd": {"dlh": {"chat_id": DLH_CHAT, "officers": [OFFICER_OF[DLH_CHAT]]}},
}
COMMANDS = (
    "antrian",
    "cari",
    "laporan",
    "undang_kader",
    "kader",
    "kader_nonaktif",
    "kader_aktif",
    "bantuan",
    "start",
)
ARGUMENTS = st.one_of(
    st.text(max_size=60),
    st.from_regex(r"\A[0-9]{1,30}\Z"),
    st.from_regex(r"\A-?[0-9]{1,6}[-/ ][0-9]{1,6}\Z"),
    st.sampled_from(["november 2026", "Siti Ketileng", "SW-7K3M-Q9XA", "²", "0", "-1"]),
)
GIVEN_UP = "tidak dapat diproses"


@pytest.fixture
async def office_bot(emu: BotApiEmulator, db_path: Path) -> AsyncIterator[RunningBot]:
    emu.group(DLH_CHAT, "UP4 Dinas Lingkungan Hidup")
    async with running_bot(emu, config_for(emu, db_path, officers=OFFICERS)) as running:
        yield running


def texts_after(emu: BotApiEmulator, chat: int, count: int) -> list[JSON]:
    """The bot's text messages in `chat` after its first `count` messages there."""
    return [m for m in emu.sent(chat)[count:] if "text" in m]


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    command=st.sampled_from(COMMANDS),
    argument=ARGUMENTS,
    chat=st.sampled_from(sorted(OFFICER_OF)),
)
@example(command="laporan", argument="9999-12", chat=ADMIN_CHAT)
@example(command="kader_aktif", argument="99999999999999999999", chat=ADMIN_CHAT)
@example(command="kader_nonaktif", argument="²", chat=ADMIN_CHAT)
async def test_every_officer_command_answers_any_argument(
    emu: BotApiEmulator, office_bot: RunningBot, command: str, argument: str, chat: int
) -> None:
    officer = emu.user(OFFICER_OF[chat], "Petugas")
    # Earlier answers (a monthly report's files) may still be on their way: count texts.
    await emu.wait_until(lambda: emu.pending_updates() == 0, timeout=20)
    before = len(emu.sent(chat))
    emu.send_text(officer, f"/{command} {argument}", chat=chat)
    await emu.wait_until(
        lambda: bool(texts_after(emu, chat, before)),
        timeout=20,
        message=f"/{command} {argument!r} got no answer in {chat}",
    )
    answer = texts_after(emu, chat, before)[0]["text"]
    assert answer.strip() and GIVEN_UP not in answer, answer
    assert not office_bot.task_done()


async def test_no_officer_command_was_given_up_on(
    emu: BotApiEmulator, office_bot: RunningBot, db_path: Path
) -> None:
    """The drawn arguments above leave no dead letter; here the two historic ones."""
    officer = emu.user(OFFICER_OF[ADMIN_CHAT], "Petugas")
    for text in ("/laporan 9999-12", "/kader_aktif 99999999999999999999"):
        emu.send_text(officer, text, chat=ADMIN_CHAT)
    await emu.wait_until(lambda: emu.pending_updates() == 0, timeout=20)
    store = await open_store(db_path)
    try:
        async with store.transaction() as tx:
            assert await tx.dead_letters() == []
    finally:
        await store.close()
    await emu.wait_until(lambda: len(texts_after(emu, ADMIN_CHAT, 0)) >= 2)
    answers = [m["text"] for m in texts_after(emu, ADMIN_CHAT, 0)]
    assert any("Tahun yang bisa dipilih" in text for text in answers), answers
    assert any("Cara pakai: /kader_aktif ID" in text for text in answers), answers
