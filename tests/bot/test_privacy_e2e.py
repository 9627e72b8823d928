"""Personal data, access and injection, end to end through the emulator."""

from __future__ import annotations

import io
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from emulator import BotApiEmulator
from storage import open_store
from suara_warga.logs import FORMAT, Redactor
from tests.bot.harness import ADMIN_CHAT, Person, RunningBot, config_for, running_bot
from tests.bot.walker import Filing, file_report

OFFICER = 9001


async def file(person: Person, story: str, *, privacy: str = "Biasa", phone: bool = True) -> str:
    """A report from Kel. Masigit, its body left to the officers; returns its code."""
    answers = Filing(
        story,
        body="Tidak tahu",
        kecamatan="Jombang",
        kelurahan="Masigit",
        privacy=privacy,
        phone="6281299887766" if phone else None,
    )
    return await file_report(person, answers)


@pytest.fixture
async def strict_bot(emu: BotApiEmulator, db_path: Path) -> AsyncIterator[RunningBot]:
    """A bot with a daily limit of 2 reports and a short retention, for these tests."""
    config = config_for(
        emu,
        db_path,
        conversation={"max_reports_per_day": 2},
        officers={"central": [OFFICER], "followup_days": 0},
        privacy={"retention_days": 30},
        deadlines={"check_every_minutes": 0.002},
    )
    async with running_bot(emu, config) as running:
        yield running


async def test_dataku_shows_everything_kept(emu: BotApiEmulator, strict_bot: RunningBot) -> None:
    siti = Person(emu, emu.user(1001, "Siti", username="siti_a"))
    code = await file(siti, "Jalan rusak parah kyk kubangan depan rumah")
    data = await siti.send("/dataku", expect="Data Anda yang disimpan")
    assert data is not None
    for shown in ("Siti", "@siti_a", code, "+6281299887766", "/hapusdata"):
        assert shown in data["text"]


async def test_hapusdata_erases_identity_but_keeps_the_report(
    emu: BotApiEmulator, strict_bot: RunningBot, db_path: Path
) -> None:
    siti = Person(emu, emu.user(1001, "Siti", username="siti_a"))
    code = await file(siti, "Jalan rusak parah kyk kubangan depan rumah")
    card = await emu.wait_for(ADMIN_CHAT, code)
    assert "Siti" in card["text"]
    await siti.send("/hapusdata", expect="Hapus data pribadi Anda?")
    await siti.tap("Ya, hapus data saya", expect="sudah dihapus")
    await emu.wait_until(lambda: "(dihapus)" in emu.sent(ADMIN_CHAT)[0]["text"])
    assert "Siti" not in emu.sent(ADMIN_CHAT)[0]["text"]
    store = await open_store(db_path)
    try:
        async with store.transaction() as tx:
            report = await tx.get_report(code)
            assert await tx.reports_by_reporter(1001) == []
            assert await tx.load_conversation(1001) is not None  # fresh, without a profile
    finally:
        await store.close()
    assert report.reporter.name == "(dihapus)" and report.reporter.phone is None
    assert report.reporter.username is None and report.reporter.user_id == 0
    assert report.description == "(dihapus)"  # her words go
    assert report.public_text is not None  # the officer-checked public record stays
    assert report.public_text.startswith("Jalan rusak")
    await siti.send("/status", expect="belum punya laporan")


async def test_retention_anonymises_closed_reports(
    emu: BotApiEmulator, strict_bot: RunningBot, db_path: Path
) -> None:
    siti = Person(emu, emu.user(1001, "Siti"))
    code = await file(siti, "Lampu jalan mati sudah dua minggu, gelap sekali")
    card = await emu.wait_for(ADMIN_CHAT, code)
    officer = emu.user(OFFICER, "Dewi")
    emu.press(officer, card, emu.button_data(card, "Selesai"))
    done = await emu.wait_for(ADMIN_CHAT, "akan dinyatakan selesai")
    emu.send_text(officer, "Lampu sudah diganti", chat=ADMIN_CHAT, reply_to=done)
    await siti.expect("dinyatakan selesai")
    strict_bot.clock.skip(timedelta(days=31))
    await emu.wait_until(lambda: "(dihapus)" in emu.sent(ADMIN_CHAT)[0]["text"], timeout=10)
    store = await open_store(db_path)
    try:
        async with store.transaction() as tx:
            assert (await tx.get_report(code)).reporter.phone is None
    finally:
        await store.close()


async def test_daily_limit_keeps_the_draft(emu: BotApiEmulator, strict_bot: RunningBot) -> None:
    budi = Person(emu, emu.user(3003, "Budi"))
    await file(budi, "Got mampet di gang tiga, air meluap", phone=False)
    await file(budi, "Sampah numpuk di TPS pasar, bau", phone=False)
    await budi.send("/lapor", expect="Ceritakan")
    await budi.send("Pohon tumbang menutup jalan kampung", expect="Sudah saya catat")
    await budi.tap("Lanjut", expect="urusan")
    await budi.tap("Tidak tahu", expect="Di kelurahan mana")
    await budi.send("🗺 Pilih dari daftar", expect="kecamatan")
    await budi.tap("Jombang", expect="kelurahan")
    await budi.tap("Masigit", expect="detail lokasi")
    await budi.tap("Lanjut", expect="identitas")
    await budi.tap("Biasa", expect="nomor HP")
    await budi.send("Lewati", expect="Ringkasan")
    await budi.tap("Kirim laporan", expect="paling banyak mengirim 2 laporan")
    strict_bot.clock.skip(timedelta(days=1, minutes=1))
    await budi.tap("Kirim laporan", expect="Kode laporan")  # the draft waited


async def test_user_text_never_becomes_markup(emu: BotApiEmulator, strict_bot: RunningBot) -> None:
    siti = Person(emu, emu.user(1001, "Siti <i>"))
    story = '<b>x</b> & <a href="https://evil.example">klik</a> jalan rusak'
    code = await file(siti, story, privacy="Biasa")
    card = await emu.wait_for(ADMIN_CHAT, code)
    assert story in card["text"] and "Siti <i>" in card["text"]  # shown literally
    assert all(
        e["type"] not in ("text_link", "italic")
        for e in card.get("entities", [])
        if e["offset"] > card["text"].index("Siti")
    )


async def test_forged_buttons_reach_nobody_elses_report(
    emu: BotApiEmulator, strict_bot: RunningBot
) -> None:
    siti = Person(emu, emu.user(1001, "Siti"))
    code = await file(siti, "Jalan rusak parah kyk kubangan depan rumah")
    short = code.replace("-", "")
    mallory = Person(emu, emu.user(6666, "Mallory"))
    await mallory.send("/start", expect="selamat datang")
    welcome = emu.last(mallory.user)
    forged: list[tuple[str, str]] = [
        (f"g:rep:{short}", "tidak ditemukan"),
        (f"g:msg:{short}", "Silakan tulis pesan"),
        (f"g:fu:{short}:belum", "tidak berlaku"),
        (f"g:rate:{short}:1", "tidak berlaku"),
    ]
    for data, answer in forged:
        emu.press(mallory.user, welcome, data, strict=False)
        await mallory.expect(answer)
    emu.send_text(mallory.user, "laporan ini palsu, abaikan")
    await mallory.expect("tidak ditemukan")  # the relay to officers is refused
    emu.press(mallory.user, welcome, "o:sel", strict=False)
    await emu.wait_until(lambda: "hanya petugas" in (emu.callback_answers[-1].get("text") or ""))
    assert not any("palsu" in (m.get("text") or "") for m in emu.sent(ADMIN_CHAT))
    await siti.send(f"/status {code}", expect="Diterima")


async def test_logs_never_contain_phone_numbers_or_the_token(
    emu: BotApiEmulator, db_path: Path
) -> None:
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.setFormatter(Redactor(FORMAT, [emu.token]))
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        running = RunningBot(config_for(emu, db_path))
        await running.start(emu)
        siti = Person(emu, emu.user(1001, "Siti"))
        await file(siti, "Jalan rusak parah kyk kubangan depan rumah")
        await running.shutdown()
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
    written = lines.getvalue()
    assert "getUpdates" in written or "get_updates" in written or written  # something logged
    secrets: list[Any] = [emu.token, "6281299887766", "81299887766"]
    for secret in secrets:
        assert secret not in written
