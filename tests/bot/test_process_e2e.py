"""The installed command, as a separate process: SIGKILL mid-conversation, and the terminal."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from emulator import BotApiEmulator
from tests.bot.harness import ADMIN_CHAT, Person, bot_settings, spawn_bot
from tests.helpers import write_config


def process_config(emu: BotApiEmulator, tmp_path: Path) -> Path:
    """The configuration file of a bot process polling the emulator."""
    settings = bot_settings(
        emu, tmp_path / "sw.sqlite3", telegram={"poll_timeout": 1}, storage={"synchronous": "FULL"}
    )
    return write_config(tmp_path, settings)


@asynccontextmanager
async def bot_process(config: Path) -> AsyncIterator[asyncio.subprocess.Process]:
    """`suara-warga run --config FILE` as a child process; killed if still running at the end."""
    process = await spawn_bot(config)
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_sigkill_mid_conversation_then_continue(emu: BotApiEmulator, tmp_path: Path) -> None:
    emu.group(ADMIN_CHAT, "Petugas")
    config = process_config(emu, tmp_path)
    siti = Person(emu, emu.user(1001, "Siti"))
    async with bot_process(config) as first:
        await siti.send("/lapor", expect="Ceritakan")
        await siti.send(
            "Sampah numpuk di TPS pasar, bau sampai rumah warga", expect="Sudah saya catat"
        )
        first.send_signal(signal.SIGKILL)
        await first.wait()
    emu.send_text(siti.user, "/bantuan")  # while the bot is dead
    async with bot_process(config) as second:
        await siti.expect("Cara melapor", timeout=15)
        await siti.tap("Lanjut", expect="Sepertinya ini urusan")
        await siti.tap("Ya, benar", expect="Di kelurahan mana")
        await siti.send("🗺 Pilih dari daftar", expect="kecamatan")
        await siti.tap("Purwakarta", expect="kelurahan")
        await siti.tap("Pabean", expect="detail lokasi")
        await siti.tap("Lanjut", expect="identitas")
        await siti.tap("Biasa", expect="nomor HP")
        await siti.send("Lewati", expect="Ringkasan")
        await siti.tap("Kirim laporan", expect="Kode laporan")
        card = await emu.wait_for(ADMIN_CHAT, "Sampah numpuk di TPS pasar")
        assert "Kel. Pabean, Kec. Purwakarta" in card["text"]
        second.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(second.wait(), 15) == 0


async def test_terminal_chat_files_a_report(tmp_path: Path) -> None:
    script = (
        "\n".join(
            [
                "/lapor",
                "Jalan berlubang besar di depan masjid, bahaya untuk motor",
                "1",  # Lanjut
                "1",  # Ya, benar (DPUPR)
                "citangkil",  # a kelurahan too: proposed
                "dringo",  # proposed instead
                ":lokasi -6.02 106.04",
                "1",  # Ya, benar (Kel. Dringo)
                "3",
                "2",
                "1",
                "/status",
                ":keluar",
            ]
        )
        + "\n"
    )
    env = {**os.environ, "SUARA_WARGA_STORAGE__PATH": str(tmp_path / "chat.sqlite3")}
    env.pop("SUARA_WARGA_TELEGRAM__TOKEN", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "suara_warga.cli",
        "run",
        cwd=tmp_path,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(script.encode()), 60)
    text = out.decode()
    assert process.returncode == 0, err.decode()
    assert "terminal chat instead" in text
    assert "Kode laporan: SW-" in text
    assert "pesan di chat petugas" in text and "Kel. Dringo, Kec. Citangkil" in text
    assert "Privasi: Rahasia" in text and "Laporan Anda" in text
