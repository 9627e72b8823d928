"""End to end on the example city pack: the real bot serves the made-up Kabupaten Contoh.

Places, offices, the city's name, its time zone (WITA) and its Ombudsman office all come
from `flows/data/contoh/`; nothing of Cilegon may show.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from emulator import BotApiEmulator
from tests.bot.harness import ADMIN_CHAT, Person, RunningBot, config_for, running_bot

CODE = re.compile(r"SW-[0-9A-Z]{4}-[0-9A-Z]{4}")
DLH_CHAT = -100555
DLH_OFFICER = 9102
CITY: dict[str, Any] = {"pack": "contoh"}
OFFICERS: dict[str, Any] = {"opd": {"kebersihan": {"chat_id": DLH_CHAT, "officers": [DLH_OFFICER]}}}


@pytest.fixture
async def contoh_bot(emu: BotApiEmulator, db_path: Path) -> AsyncIterator[RunningBot]:
    emu.group(DLH_CHAT, "UP4 DLH Kabupaten Contoh")
    async with running_bot(emu, config_for(emu, db_path, city=CITY, officers=OFFICERS)) as running:
        yield running


async def test_resident_reports_in_the_example_kabupaten(
    emu: BotApiEmulator, contoh_bot: RunningBot
) -> None:
    ayu = Person(emu, emu.user(3003, "Ayu"))
    welcome = await ayu.send("/start", expect="selamat datang")
    assert welcome is not None
    assert "Kabupaten Contoh" in welcome["text"] and "pemerintah kabupaten" in welcome["text"]
    help_text = await ayu.send("/bantuan", expect="Cara melapor")
    assert help_text is not None and "Ombudsman RI Perwakilan Contoh" in help_text["text"]

    await ayu.send("/lapor", expect="Ceritakan")
    await ayu.send("Sampah numpuk di pinggir jalan sudah seminggu, bau", expect="Sudah saya catat")
    await ayu.tap("Lanjut", expect="Dinas Lingkungan Hidup dan Kebersihan Kabupaten Contoh")
    await ayu.tap("Ya, benar", expect="Di kelurahan mana")
    kecamatan = await ayu.send("🗺 Pilih dari daftar", expect="kecamatan")
    assert kecamatan is not None
    assert [label for label, _ in emu.buttons(kecamatan)] == ["Lembah Hijau", "Pesisir Damai"]
    await ayu.send("tanjungsari", expect="detail lokasi")  # a kelurahan's alias
    await ayu.tap("Lanjut", expect="identitas pelapor")
    await ayu.tap("Biasa", expect="nomor HP")
    summary = await ayu.send("Lewati", expect="Ringkasan")
    assert summary is not None and "Kel. Tanjung Sari, Kec. Lembah Hijau" in summary["text"]
    await ayu.tap("Kirim laporan")
    filed = await ayu.expect("Kode laporan")
    assert "WITA" in filed["text"]  # the pack's time zone, not WIB
    code = CODE.search(filed["text"])
    assert code is not None

    card = await emu.wait_for(DLH_CHAT, code.group())  # the example OPD's own chat
    assert "Kel. Tanjung Sari, Kec. Lembah Hijau" in card["text"] and "Ayu" in card["text"]
    assert not any(code.group() in (m.get("text") or "") for m in emu.sent(ADMIN_CHAT))
    everything = "\n".join(m.get("text") or "" for m in emu.sent(ayu.user) + emu.sent(DLH_CHAT))
    assert "Cilegon" not in everything and "WIB" not in everything


async def test_outside_body_names_the_example_kabupaten(
    emu: BotApiEmulator, contoh_bot: RunningBot
) -> None:
    budi = Person(emu, emu.user(3004, "Budi"))
    await budi.send("/lapor", expect="Ceritakan")
    await budi.send("Listrik mati terus tiap malam di rumah kami", expect="Sudah saya catat")
    await budi.tap("Lanjut", expect="PLN")
    outside = await budi.tap("Ya, benar", expect="bukan pemerintah Kabupaten Contoh")
    assert outside is not None and "petugas kabupaten" in outside["text"]


async def test_a_pin_proposes_the_nearest_kelurahan_and_one_outside_is_asked_about(
    emu: BotApiEmulator, contoh_bot: RunningBot
) -> None:
    """The example pack has kelurahan centres: a pin places the report with one tap."""
    ayu = Person(emu, emu.user(3005, "Ayu"))
    await ayu.send("/lapor", expect="Ceritakan")
    await ayu.send("Sampah numpuk di pinggir jalan sudah seminggu, bau", expect="Sudah saya catat")
    await ayu.tap("Lanjut", expect="Dinas Lingkungan Hidup")
    await ayu.tap("Ya, benar", expect="Di kelurahan mana")
    emu.send_location(ayu.user, -6.5, 110.05)  # north of the made-up kabupaten
    await ayu.expect("Lokasi ini di luar Kabupaten Contoh, tetap kirim?")
    await ayu.tap("Kirim lokasi lain", expect="Di kelurahan mana")
    emu.send_location(ayu.user, -7.079, 110.049)
    await ayu.expect("Kel. Karang Baru, Kec. Pesisir Damai")
    await ayu.tap("Ya, benar", expect="identitas pelapor")
    await ayu.tap("Biasa", expect="nomor HP")
    await ayu.send("Lewati", expect="Ringkasan")
    await ayu.tap("Kirim laporan")
    code = CODE.search((await ayu.expect("Kode laporan"))["text"])
    assert code is not None
    card = await emu.wait_for(DLH_CHAT, code.group())
    assert "Kel. Karang Baru, Kec. Pesisir Damai" in card["text"] and "-7.07900" in card["text"]
    assert "di luar" not in card["text"]
