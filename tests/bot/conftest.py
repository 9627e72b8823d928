"""Fixtures: the emulator, and the real bot running against it on a fresh database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from emulator import BotApiEmulator
from suara_warga.config import Config
from tests.bot.harness import ADMIN_CHAT, RunningBot, config_for, running_bot


@pytest.fixture(scope="session", autouse=True)
def routing_model() -> None:
    """The pack's routing model, trained once before any bot starts: the run's cache
    (tests/conftest.py) starts empty, and training (seconds) must not eat into a bot's
    start-up wait."""
    Config().rules()


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
