"""The terminal chat plays both sides: a report's whole life without Telegram.

The real engine, desk, housekeeping and a real SQLite file; the script reads the
terminal's own output to find which number presses which button, as a person would.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from suara_warga.cli import chat
from suara_warga.config import Config
from tests.helpers import free_port

CODE = re.compile(r"SW-[0-9A-Z]{4}-[0-9A-Z]{4}")
NUMBERED = re.compile(r"\[(\d+)\] ([^\[\n]+)")


@dataclass(frozen=True)
class Tap:
    """Press the newest button whose label contains this text."""

    label: str


FILE_AND_VERIFY: list[str | Tap] = [
        "/lapor",
        "Jalan berlubang besar di depan masjid Dringo, bahaya untuk motor",
        Tap("Lanjut"),
        Tap("Ya, benar"),  # the OPD the bot names
        Tap("Ya, benar"),  # the place the story names (Kel. Dringo)
        Tap("Biasa"),
        Tap("Lewati"),
        Tap("Kirim laporan"),
        ":petugas",
        Tap("Verifikasi"),
]
"""The resident files a report; then, as the central officer, verifies it."""


def script(out: io.StringIO, steps: list[str | Tap]) -> Callable[[], str]:
    """A `read_line` that types each step; a Tap becomes the number its button shows."""
    queue = list(steps)

    def read_line() -> str:
        if not queue:
            return ""
        step = queue.pop(0)
        if isinstance(step, str):
            return step + "\n"
        shown: list[tuple[str, str]] = NUMBERED.findall(out.getvalue())
        for number, label in reversed(shown):
            if step.label in label:
                return number + "\n"
        raise AssertionError(f"no button {step.label!r} on the screen:\n{out.getvalue()}")

    return read_line


def config_for(tmp_path: Path, **web: object) -> Config:
    """The terminal on a fresh database; the public board alongside only with `web`."""
    board = {"enabled": bool(web), **web}
    return Config(storage={"path": str(tmp_path / "terminal.sqlite3")}, web=board)



async def test_a_report_from_filing_to_the_reporters_confirmation(tmp_path: Path) -> None:
    out = io.StringIO()
    steps: list[str | Tap] = [
        *FILE_AND_VERIFY,
        "Tim kami akan cek lokasi besok pagi.",
        Tap("Proses"),
        Tap("Selesai"),
        "Sampah sudah diangkut",  # what was done: replies to the prompt
        ":maju 3",
        ":warga",
        Tap("Ya, sudah"),
        Tap("5"),
        "/status",
        ":keluar",
    ]
    code = await asyncio.wait_for(chat(config_for(tmp_path), script(out, steps), out), 60)
    text = out.getvalue()
    assert code == 0
    filed = CODE.search(text)
    assert filed is not None
    assert "┌─ pesan di chat petugas ─" in text and "Anda sekarang petugas pusat" in text
    assert "sudah diperiksa dan diverifikasi" in text  # the resident heard of it
    assert "Tim kami akan cek lokasi besok pagi." in text.split("Anda sekarang petugas")[1]
    assert "sudah dikirim ke pelapor" in text  # the officer was told it was delivered
    assert "apa yang sudah dikerjakan" in text and "Sampah sudah diangkut" in text
    assert "┌─ kartu diperbarui ─" in text and "Sedang diproses" in text
    assert "3 hari berlalu" in text and "benar-benar beres" in text
    assert "nilai 5" in text


async def test_officer_lines_without_anything_to_answer_get_a_hint(tmp_path: Path) -> None:
    out = io.StringIO()
    steps: list[str | Tap] = [":petugas", "halo", ":maju dua", "/antrian", ":keluar"]
    assert await chat(config_for(tmp_path), script(out, steps), out) == 0
    text = out.getvalue()
    assert "Belum ada pesan di chat petugas untuk dibalas." in text
    assert "Contoh: :maju 3" in text
    assert "Tidak ada laporan terbuka" in text  # /antrian answered in the officers' chat


async def test_what_is_filed_and_verified_here_shows_on_the_board(tmp_path: Path) -> None:
    """The issue's walk: file in the terminal, verify as the officer, see it on the board
    the terminal chat serves alongside; the resident's news links to its page."""
    port = free_port()
    config = config_for(tmp_path, port=port, public_url="https://lapor.example.go.id")
    out = io.StringIO()
    steps: list[str | Tap] = [
        *FILE_AND_VERIFY,
    ]
    typed = script(out, steps)
    shown: dict[str, object] = {}

    def read_line() -> str:  # runs in a thread: the board answers meanwhile
        line = typed()
        if line:
            return line
        found = CODE.search(out.getvalue())
        assert found is not None
        page = f"http://127.0.0.1:{port}/laporan/{found.group()}.json"
        with urllib.request.urlopen(page, timeout=10) as answer:
            shown.update(json.load(answer)["report"])
        return ":keluar\n"

    assert await asyncio.wait_for(chat(config, read_line, out), 60) == 0
    text = out.getvalue()
    assert shown["verified"] is True and shown["status"] == "diverifikasi"
    assert "Jalan berlubang besar" in str(shown["text"]) and shown["kelurahan"] == "Dringo"
    assert f"https://lapor.example.go.id/laporan/{shown['code']}" in text


async def test_the_officer_hands_a_report_over_to_pln_and_adds_a_note(tmp_path: Path) -> None:
    out = io.StringIO()
    steps: list[str | Tap] = [
        *FILE_AND_VERIFY,
        Tap("Alihkan"),
        Tap("PLN"),
        "Nomor pengaduan PLN: 4455",  # a reply to the desk's question after the handover
        ":keluar",
    ]
    code = await asyncio.wait_for(chat(config_for(tmp_path), script(out, steps), out), 60)
    text = out.getvalue()
    assert code == 0
    assert "bukan kewenangan" in text and "Hubungi PLN di nomor 123" in text  # the resident
    assert "catatan singkat untuk pelapor" in text  # the desk asked the officer
    assert "Nomor pengaduan PLN: 4455" in text.split("catatan singkat untuk pelapor")[1]
    assert "Catatan pelimpahan" in text and "Diteruskan ke instansi berwenang" in text


async def test_the_resident_withdraws_her_report_from_status(tmp_path: Path) -> None:
    out = io.StringIO()
    steps: list[str | Tap] = [
        *FILE_AND_VERIFY,
        ":warga",
        "/status",
        Tap("SW-"),
        Tap("Cabut laporan ini"),
        "Sudah diperbaiki warga sendiri",
        ":keluar",
    ]
    code = await asyncio.wait_for(chat(config_for(tmp_path), script(out, steps), out), 60)
    text = out.getvalue()
    assert code == 0
    assert "sudah dicabut atas permintaan pelapor" in text  # the resident's news
    assert "Pelapor mencabut" in text and "Sudah diperbaiki warga sendiri" in text  # officers
    assert "Dicabut pelapor" in text.split("Cabut laporan ini")[-1]  # the card, updated
