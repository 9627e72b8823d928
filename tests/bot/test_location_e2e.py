"""Location, one tap and checked (issue #14 item 7), end to end through the emulator:
the place step offers Telegram's one-tap location button, impossible pins are refused,
a pin outside Kota Cilegon is asked about and, kept, flagged on the officers' card, and
the reply keyboard is gone once the report is filed."""

from __future__ import annotations

from emulator import BotApiEmulator
from tests.bot.harness import ADMIN_CHAT, Person, RunningBot
from tests.helpers import code_in

STORY = "Jalan rusak parah berlubang besar, bahaya untuk motor"


async def test_a_pin_outside_the_city_is_asked_about_and_flagged_on_the_card(
    emu: BotApiEmulator, bot: RunningBot
) -> None:
    siti = Person(emu, emu.user(1001, "Siti"))
    await siti.send("/lapor", expect="Ceritakan")
    await siti.send(STORY, expect="Sudah saya catat")
    await siti.tap("Lanjut", expect="Sepertinya ini urusan")
    await siti.tap("Ya, benar", expect="Di kelurahan mana")
    keyboard = emu.keyboard(siti.user)
    assert keyboard is not None and keyboard["keyboard"][0][0]["request_location"] is True
    emu.send_location(siti.user, 0.0, 0.0)  # a phone without a fix sends 0,0
    await siti.expect("tidak mungkin benar")
    emu.send_location(siti.user, -6.12, 106.15)  # Kota Serang, next door
    await siti.expect("Lokasi ini di luar Kota Cilegon, tetap kirim?")
    await siti.tap("Ya, tetap kirim", expect="Titik lokasi sudah saya simpan")
    await siti.send("ketileng", expect="(di luar Kota Cilegon)")
    await siti.tap("Ya, benar", expect="identitas pelapor")
    await siti.tap("Biasa", expect="nomor HP")
    await siti.send("Lewati", expect="Ringkasan")
    await siti.tap("Kirim laporan")
    code = code_in(await siti.expect("Kode laporan"))
    card = await emu.wait_for(ADMIN_CHAT, code)
    assert "⚠️ Titik lokasi di luar Kota Cilegon (batas wilayah perkiraan)" in card["text"]
    assert "-6.12000" in card["text"] and "Kel. Ketileng, Kec. Cilegon" in card["text"]
    assert emu.keyboard(siti.user) is None  # no reply keyboard left behind


async def test_a_pin_inside_the_city_carries_no_flag(emu: BotApiEmulator, bot: RunningBot) -> None:
    siti = Person(emu, emu.user(1002, "Siti"))
    await siti.send("/lapor", expect="Ceritakan")
    await siti.send(f"{STORY} di Ketileng", expect="Sudah saya catat")
    await siti.tap("Lanjut", expect="Sepertinya ini urusan")
    await siti.tap("Ya, benar", expect="Kel. Ketileng, Kec. Cilegon")
    emu.send_location(siti.user, -6.0153, 106.0512)
    await siti.expect("Titik lokasi: tersimpan")
    await siti.tap("Ya, benar", expect="identitas pelapor")
    await siti.tap("Biasa", expect="nomor HP")
    await siti.send("Lewati", expect="Ringkasan")
    await siti.tap("Kirim laporan")
    code = code_in(await siti.expect("Kode laporan"))
    card = await emu.wait_for(ADMIN_CHAT, code)
    assert "-6.01530" in card["text"] and "di luar" not in card["text"]
