"""Fixtures: the emulator, and the real bot running against it on a fresh database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from emulator import BotApiEmulator
from tests.bot.harness import ADMIN_CHAT, RunningBot, config_for, running_bot


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator() as emulator:
        emulator.group(ADMIN_CHAT, "Petugas Pengaduan Kota Cilegon")
        yield emulator


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "suara-warga.sqlite3"


@pytest.fixture
async def bot(emu: BotApiEmulator, db_path: Path) -> AsyncIterator[RunningBot]:
    async with running_bot(emu, config_for(emu, db_path)) as running:
        yield running
