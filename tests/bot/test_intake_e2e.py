"""End to end: the real bot, over HTTP, against the Telegram Bot API emulator."""

from __future__ import annotations

import asyncio
from pathlib import Path

from emulator import BotApiEmulator
from storage import open_store
from tests.bot.harness import ADMIN_CHAT, Person, RunningBot, config_for
from tests.bot.walker import Filing, file_report
from tests.helpers import CODE


async def test_start_registers_commands_and_greets(emu: BotApiEmulator, bot: RunningBot) -> None:
    names = {c["command"]: c["description"] for c in emu.commands}
    assert names == {
        "lapor": "Buat laporan baru",
        "status": "Lihat laporan saya",
        "tarik": "Cabut laporan saya yang belum diputuskan",
        "batal": "Batalkan laporan yang sedang dibuat",
        "bantuan": "Bantuan dan cara melapor",
        "dataku": "Lihat data saya yang disimpan",
        "hapusdata": "Hapus data pribadi saya",
        "berkas": "Berkas laporan untuk mengadu ke Ombudsman",
    }
    siti = Person(emu, emu.user(1001, "Siti"))
    welcome = await siti.send("/start", expect="selamat datang")
    assert welcome is not None and "/lapor" in welcome["text"]
    assert emu.buttons(welcome) == [("📝 Buat laporan", "g:lapor")]


async def test_resident_files_report_with_photo_and_location(
    emu: BotApiEmulator, bot: RunningBot
) -> None:
    siti = Person(emu, emu.user(1001, "Siti", username="siti_a"))
    await siti.send("/lapor", expect="Ceritakan")
    emu.send_photo(siti.user, caption="Lubang besar di depan SDN 2, sudah 3 bulan")  # unsure
    await siti.expect("1 foto")
    emu.send_photo(siti.user)
    await siti.expect("2 foto")
    await siti.tap("Lanjut", expect="belum yakin")
    await siti.tap("DPUPR", expect="Di kelurahan mana")
    keyboard = emu.keyboard(siti.user)  # the one-tap location button
    assert keyboard is not None and keyboard["keyboard"][0][0] == {
        "text": "📍 Kirim lokasi saya",
        "request_location": True,
    }
    emu.send_location(siti.user, -6.0153, 106.0512)
    await siti.expect("Titik lokasi sudah saya simpan")
    await siti.send("rawa arum", expect="Kel. Rawa Arum, Kec. Grogol")
    await siti.send("depan SDN 2 Rawa Arum", expect="Alamat/patokan: depan SDN 2")
    await siti.tap("Ya, benar", expect="identitas pelapor")
    await siti.tap("Biasa", expect="Bagikan nomor saya")
    assert emu.keyboard(siti.user) is not None  # the share-contact keyboard
    emu.send_contact(siti.user, "6281234567890")
    summary = await siti.expect("Ringkasan")
    assert "Foto: 2" in summary["text"] and "+6281234567890" in summary["text"]
    await siti.tap("Kirim laporan")
    filed = await siti.expect("Kode laporan")
    code = CODE.search(filed["text"])
    assert code is not None

    card = await emu.wait_for(ADMIN_CHAT, code.group())
    assert "Kel. Rawa Arum, Kec. Grogol" in card["text"] and "Siti" in card["text"]
    assert "depan SDN 2" in card["text"] and "-6.01530" in card["text"]
    assert "di luar" not in card["text"]  # the pin lies inside the city
    photos = [
        await emu.wait_for(ADMIN_CHAT, "Foto 1/2"),
        await emu.wait_for(ADMIN_CHAT, "Foto 2/2"),
    ]
    assert all("photo" in p for p in photos)

    listing = await siti.send("/status", expect="Laporan Anda")
    assert listing is not None and code.group() in listing["text"]
    await siti.tap(code.group(), expect="Riwayat")


async def test_kader_files_for_two_neighbours(emu: BotApiEmulator, bot: RunningBot) -> None:
    rina = Person(emu, emu.user(2002, "Rina"))
    codes: list[str] = []
    for neighbour, story in (
        ("Pak Darto", "Bansos PKH tidak cair sudah 4 bulan"),
        ("Mak Iyah", "Lampu PJU di gang mati, gelap gulita"),
    ):
        await rina.send("/lapor", expect="Ceritakan")
        if not codes:
            await rina.tap("Saya kader", expect="nama lengkap")
            await rina.send("Rina Marlina", expect="Bagikan nomor saya")
            emu.send_contact(rina.user, "+6281299990000")
            await rina.expect("nama warga")
        else:  # her profile is remembered
            await rina.tap("Saya kader", expect="nama warga")
        await rina.send(neighbour, expect="boleh dikosongkan")
        await rina.tap("Lewati", expect="sudah setuju")
        await rina.tap("Sudah setuju", expect="Ceritakan")
        await rina.send(story, expect="Sudah saya catat")
        await rina.tap("Lanjut", expect="Sepertinya ini urusan")
        await rina.tap("Ya, benar", expect="Di kelurahan mana")
        await rina.send("🗺 Pilih dari daftar", expect="kecamatan")
        await rina.tap("Jombang", expect="kelurahan")
        await rina.tap("Masigit", expect="detail lokasi")
        await rina.tap("Lanjut", expect="identitas pelapor")
        summary = await rina.tap("Anonim", expect="Ringkasan")
        assert summary is not None
        assert f"Kader Rina Marlina untuk {neighbour}" in summary["text"]
        await rina.tap("Kirim laporan")
        found = CODE.search((await rina.expect("Kode laporan"))["text"])
        assert found
        codes.append(found.group())
    listing = await rina.send("/status", expect="Laporan Anda")
    assert listing is not None
    assert "untuk Pak Darto" in listing["text"] and "untuk Mak Iyah" in listing["text"]
    assert listing["text"].index(codes[1]) < listing["text"].index(codes[0])  # newest first
    cards = [m["text"] for m in emu.sent(ADMIN_CHAT) if "Laporan SW-" in m.get("text", "")]
    assert len(cards) == 2 and all("disembunyikan" in c and "Rina" not in c for c in cards)
    assert not any(name in c for c in cards for name in ("Darto", "Iyah", "2002", "99990000"))


async def test_bad_input_gets_a_polite_answer_and_loses_nothing(
    emu: BotApiEmulator, bot: RunningBot
) -> None:
    siti = Person(emu, emu.user(1001, "Siti"))
    await siti.send("/lapor", expect="Ceritakan")
    role = siti.with_button("Saya kader")
    emu.send_sticker(siti.user)
    await siti.expect("stiker")
    emu.send_voice(siti.user)
    await siti.expect("pesan suara")
    await siti.send("x" * 100_000, expect="terlalu panjang")
    await siti.send("/foo", expect="tidak saya kenal")
    await siti.send("Sampah numpuk di pinggir jalan sudah seminggu", expect="Sudah saya catat")
    await siti.send("/status", expect="belum punya laporan")
    await siti.expect("Sudah saya catat")  # the open question again
    # A double tap, then a button from an old message: toasts, no second step.
    next_button = siti.with_button("Lanjut")
    before = dict(next_button)
    data = emu.button_data(next_button, "Lanjut")
    emu.press(siti.user, next_button, data)
    emu.press(siti.user, next_button, data, strict=False)  # before the edit reached her
    await siti.answer(before, "Sepertinya ini urusan")
    emu.press(siti.user, role, emu.button_data(role, "Saya kader"), strict=False)
    await emu.wait_until(lambda: len(emu.callback_answers) >= 3)  # every press is answered
    stale = [a.get("text") for a in emu.callback_answers if a.get("text")]
    assert stale.count("Tombol ini sudah tidak berlaku. Silakan pakai pesan terbaru.") == 2
    await siti.send("/lapor", expect="Buang draf")
    await siti.tap("Lanjutkan draf", expect="Sepertinya ini urusan")
    await siti.send("/batal", expect="dibatalkan")
    await siti.send("/batal", expect="Tidak ada laporan")


async def test_same_update_twice_creates_one_report(
    emu: BotApiEmulator, bot: RunningBot, db_path: Path
) -> None:
    siti = Person(emu, emu.user(1001, "Siti"))
    await siti.send("/lapor", expect="Ceritakan")
    await siti.send("Air PDAM mati sejak kemarin pagi", expect="Sudah saya catat")
    await siti.tap("Lanjut", expect="urusan")
    await siti.tap("Ya, benar", expect="Di kelurahan mana")
    await siti.send("ketileng", expect="Kel. Ketileng, Kec. Cilegon")
    await siti.tap("Ya, benar", expect="identitas")
    await siti.tap("Rahasia", expect="nomor HP")
    await siti.send("Lewati", expect="Ringkasan")
    summary = siti.with_button("Kirim laporan")
    send = emu.press(siti.user, summary, emu.button_data(summary, "Kirim laporan"))
    await siti.expect("Kode laporan")
    emu.enqueue_raw(send)  # Telegram delivers the same update again
    await emu.wait_until(lambda: emu.pending_updates() == 0)
    await siti.send("/status", expect="Laporan Anda")
    store = await open_store(db_path)
    try:
        async with store.transaction() as tx:
            assert len(await tx.reports_by_reporter(1001)) == 1
    finally:
        await store.close()
    assert sum("Kode laporan" in m.get("text", "") for m in emu.sent(siti.user)) == 1


async def test_conversation_resumes_after_a_crash(emu: BotApiEmulator, bot: RunningBot) -> None:
    siti = Person(emu, emu.user(1001, "Siti"))
    await siti.send("/lapor", expect="Ceritakan")
    await siti.send("Got mampet, air meluap ke jalan tiap hujan", expect="Sudah saya catat")
    await bot.crash()
    emu.send_text(siti.user, "ciwandan")  # arrives while the bot is down
    await bot.start(emu)
    # "ciwandan", sent while the bot was down, is taken once it is back (as more story).
    await siti.expect("Sudah saya catat")
    await siti.tap("Lanjut", expect="Sepertinya ini urusan")
    await siti.tap("Ya, benar", expect="Di kelurahan mana")
    await siti.send("🗺 Pilih dari daftar", expect="kecamatan")
    await siti.tap("Ciwandan", expect="kelurahan")
    await siti.tap("Kepuh", expect="detail lokasi")


async def test_abandoned_draft_expires_politely(emu: BotApiEmulator, db_path: Path) -> None:
    config = config_for(emu, db_path, conversation={"draft_ttl_hours": 0.0003})  # ~1 s
    running = RunningBot(config)
    await running.start(emu)
    try:
        siti = Person(emu, emu.user(1001, "Siti"))
        await siti.send("/lapor", expect="Ceritakan")
        await asyncio.sleep(1.5)
        await siti.tap("Saya kader", expect="sudah kami hapus")
        await siti.send("/lapor", expect="Ceritakan")
    finally:
        await running.shutdown()


async def test_similar_open_report_can_be_supported(emu: BotApiEmulator, bot: RunningBot) -> None:
    budi = Person(emu, emu.user(3003, "Budi"))
    code = await file_report(budi, Filing("Lampu jalan mati sudah dua minggu, gelap sekali"))
    card = await emu.wait_for(ADMIN_CHAT, code)
    siti = Person(emu, emu.user(1001, "Siti"))
    await siti.send("/lapor", expect="Ceritakan")
    await siti.send("lampu jalan mati dua minggu, gelap banget", expect="Sudah saya catat")
    await siti.tap("Lanjut", expect="Sepertinya ini urusan")
    await siti.tap("Ya, benar", expect="Di kelurahan mana")
    await siti.send("🗺 Pilih dari daftar", expect="kecamatan")
    await siti.tap("Cilegon", expect="kelurahan")
    await siti.tap("Ketileng", expect="detail lokasi")
    await siti.tap("Lanjut", expect="identitas")
    await siti.tap("Biasa", expect="nomor HP")
    await siti.send("Lewati", expect="Ringkasan")
    await siti.tap("Kirim laporan", expect="laporan serupa")
    await siti.tap(f"Dukung {code}", expect="Anda kini mendukung")
    await emu.wait_until(lambda: "Didukung 1 warga lain" in emu.sent(ADMIN_CHAT)[0]["text"])
    assert emu.sent(ADMIN_CHAT)[0]["message_id"] == card["message_id"]  # edited in place
    listing = await siti.send("/status", expect="belum punya laporan")
    assert listing is not None
