"""End to end: reports that end handed over to an outside body (dilimpahkan) or withdrawn
by their reporter (dicabut), through the emulator; residents, a kader and officers each
in their own chat."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from emulator import BotApiEmulator
from flows.keyboard_texts import PICK_PLACE_LABEL
from tests.bot.harness import ADMIN_CHAT, Person, RunningBot
from tests.bot.test_officers_e2e import (
    CENTRAL_OFFICER,
    DLH_CHAT,
    DLH_OFFICER,
    about_dlh,
    card_in,
    office_bot,
    press,
)
from tests.bot.walker import Step, file_report, walk
from tests.helpers import code_in

__all__ = ["office_bot"]  # the fixture, shared with the officers' tests

PLN_STORY = "Listrik padam sudah tiga hari di gang kami, tiang listrik miring"
PLN_CONTACT = "Hubungi PLN di nomor 123"


def pln_filing() -> list[Step]:
    """A report the classifier routes to PLN; the resident records it anyway."""
    return [
        ("send", "/lapor", "Ceritakan"),
        ("send", PLN_STORY, "Sudah saya catat"),
        ("tap", "Lanjut", "Sepertinya ini urusan"),
        ("tap", "Ya, benar", "biasanya kewenangan"),
        ("tap", "Tetap catat laporan", "Di kelurahan mana"),
        ("send", PICK_PLACE_LABEL, "Di kecamatan mana"),
        ("tap", "Cilegon", "kelurahan"),
        ("tap", "Bagendung", "detail lokasi"),
        ("tap", "Lanjut", "identitas pelapor"),
        ("tap", "Biasa", "nomor HP"),
        ("send", "Lewati", "dilewati|Ringkasan"),
        ("tap", "Kirim laporan", "Kode laporan"),
    ]


def this_month() -> str:
    return f"{datetime.now(UTC).astimezone(ZoneInfo('Asia/Jakarta')):%Y-%m}"


async def test_rerouting_to_pln_ends_the_report_and_its_deadlines(
    emu: BotApiEmulator, office_bot: RunningBot
) -> None:
    siti = Person(emu, emu.user(1001, "Siti"))
    month = this_month()
    code = await file_report(siti, about_dlh("Sampah numpuk di TPS dekat pasar, bau sekali"))
    await emu.wait_for(DLH_CHAT, code)
    andi = emu.user(DLH_OFFICER, "Andi")

    await press(emu, andi, DLH_CHAT, code, "Alihkan")
    await emu.wait_until(lambda: ("PLN", "o:to:pln") in emu.buttons(card_in(emu, DLH_CHAT, code)))
    await press(emu, andi, DLH_CHAT, code, "PLN")
    news = await siti.expect("bukan kewenangan")
    assert code in news["text"] and PLN_CONTACT in news["text"]
    central_card = await emu.wait_for(
        ADMIN_CHAT, lambda m: code in m["text"] and "Diteruskan ke instansi berwenang" in m["text"]
    )
    assert PLN_CONTACT in central_card["text"] and "Batas" not in central_card["text"]
    assert [label for label, _ in emu.buttons(central_card)] == [
        "📝 Catatan",
        "🔐 Privasi & publikasi",
        "🏷 Ubah jenis",
    ]

    # The OPD that handed it over may add a short note, by replying to the desk's question.
    question = await emu.wait_for(DLH_CHAT, "catatan singkat untuk pelapor")
    emu.send_text(andi, "Nomor pengaduan PLN: 4455", chat=DLH_CHAT, reply_to=question)
    note = await siti.expect("Nomor pengaduan PLN: 4455")
    assert "PT PLN" in note["text"] and "Andi" not in note["text"]
    await emu.wait_for(DLH_CHAT, "Catatan pelimpahan")
    await emu.wait_until(lambda: "4455" in card_in(emu, ADMIN_CHAT, code)["text"])
    detail = await siti.send(f"/status {code}", expect="Riwayat")
    assert detail is not None and PLN_CONTACT in detail["text"]

    # Day 70: an open report of the same day escalates; the handed-over one never does.
    control = await file_report(siti, about_dlh("Sampah di got depan sekolah sudah lama"))
    office_bot.clock.skip(timedelta(days=70))
    await emu.wait_for(ADMIN_CHAT, lambda m: "TERLAMBAT" in m["text"] and control in m["text"])
    late = [m["text"] for m in emu.sent(ADMIN_CHAT) if "TERLAMBAT" in (m.get("text") or "")]
    late += [m["text"] for m in emu.sent(DLH_CHAT) if "Pengingat" in (m.get("text") or "")]
    assert not any(code in text for text in late)

    # The monthly figures count it apart: neither open nor solved.
    dewi = emu.user(CENTRAL_OFFICER, "Dewi")
    emu.send_text(dewi, f"/laporan {month}", chat=ADMIN_CHAT)
    summary = await emu.wait_for(ADMIN_CHAT, "Ringkasan laporan")
    assert "Diteruskan ke instansi berwenang (bukan kewenangan): 1" in summary["text"]
    assert "• Diteruskan ke instansi berwenang: 1" in summary["text"]
    assert "• Selesai" not in summary["text"]


async def test_a_report_filed_for_pln_is_handed_over_with_one_tap(
    emu: BotApiEmulator, office_bot: RunningBot
) -> None:
    siti = Person(emu, emu.user(1001, "Siti"))
    code = code_in(await walk(siti, pln_filing()))
    card = await emu.wait_for(ADMIN_CHAT, code)  # PLN has no chat: the central one sees it
    assert "Bukan kewenangan" in card["text"] and PLN_CONTACT in card["text"]
    dewi = emu.user(CENTRAL_OFFICER, "Dewi")
    await press(emu, dewi, ADMIN_CHAT, code, "Limpahkan ke PLN")
    news = await siti.expect("bukan kewenangan")
    assert PLN_CONTACT in news["text"]
    await emu.wait_until(
        lambda: "Diteruskan ke instansi berwenang" in card_in(emu, ADMIN_CHAT, code)["text"]
    )
    # A second tap on the old button changes nothing.
    before = len(emu.sent(siti.user))
    emu.press(dewi, card_in(emu, ADMIN_CHAT, code), "o:lim", strict=False)
    await emu.wait_until(lambda: "Tidak bisa" in (emu.callback_answers[-1].get("text") or ""))
    assert len(emu.sent(siti.user)) == before


async def test_a_resident_withdraws_with_a_reason(
    emu: BotApiEmulator, office_bot: RunningBot
) -> None:
    siti = Person(emu, emu.user(1001, "Siti"))
    budi = Person(emu, emu.user(3003, "Budi"))
    code = await file_report(siti, about_dlh("Sampah numpuk di TPS dekat pasar, bau sekali"))
    await emu.wait_for(DLH_CHAT, code)

    await budi.send(f"/tarik {code}", expect="tidak ditemukan")  # not hers: as if unknown
    await siti.send(f"/tarik {code}", expect="alasannya")
    await siti.send("Sudah dibersihkan warga kerja bakti", expect="sudah dicabut")
    told = await emu.wait_for(DLH_CHAT, "Pelapor mencabut")
    assert "kerja bakti" in told["text"] and code in told["text"]
    await emu.wait_until(lambda: "Dicabut pelapor" in card_in(emu, DLH_CHAT, code)["text"])
    card = card_in(emu, DLH_CHAT, code)
    assert "kerja bakti" in card["text"]
    assert "Selesai" not in " ".join(label for label, _ in emu.buttons(card))

    # Officers' old buttons and a second withdrawal change nothing.
    andi = emu.user(DLH_OFFICER, "Andi")
    emu.press(andi, card, "o:sel", strict=False)
    await emu.wait_until(lambda: "Tidak bisa" in (emu.callback_answers[-1].get("text") or ""))
    await siti.send(f"/tarik {code}", expect="sudah Anda cabut")
    listing = await siti.send("/status", expect="Laporan Anda")
    assert listing is not None and "Dicabut pelapor" in listing["text"]


async def test_a_kader_withdraws_from_the_status_button_without_a_reason(
    emu: BotApiEmulator, office_bot: RunningBot
) -> None:
    rina = Person(emu, emu.user(2002, "Rina"))
    await rina.send("/lapor", expect="Ceritakan")
    await rina.tap("Saya kader", expect="nama lengkap")
    await rina.send("Rina Marlina", expect="Bagikan nomor saya")
    emu.send_contact(rina.user, "+6281299990000")
    await rina.expect("nama warga")
    await rina.send("Pak Darto", expect="boleh dikosongkan")
    await rina.tap("Lewati", expect="sudah setuju")
    await rina.tap("Sudah setuju", expect="Ceritakan")
    await rina.send("Sampah numpuk di TPS dekat pasar, bau sekali", expect="Sudah saya catat")
    await rina.tap("Lanjut", expect="Sepertinya ini urusan")
    await rina.tap("Ya, benar", expect="Di kelurahan mana")
    await rina.send(PICK_PLACE_LABEL, expect="Di kecamatan mana")
    await rina.tap("Cilegon", expect="kelurahan")
    await rina.tap("Bagendung", expect="detail lokasi")
    await rina.tap("Lanjut", expect="identitas pelapor")
    await rina.tap("Biasa", expect="Ringkasan")
    await rina.tap("Kirim laporan")
    code = code_in(await rina.expect("Kode laporan"))
    await emu.wait_for(DLH_CHAT, code)

    await rina.send(f"/status {code}", expect="Riwayat")
    await rina.tap("Cabut laporan ini", expect="alasannya")
    asked = rina.with_button("Cabut tanpa alasan")
    data = emu.button_data(asked, "Cabut tanpa alasan")
    emu.press(rina.user, asked, data)
    await rina.expect("sudah dicabut")
    emu.press(rina.user, asked, data)  # a double tap
    await rina.expect("sudah Anda cabut")
    told = await emu.wait_for(DLH_CHAT, "Pelapor mencabut")
    assert "tanpa alasan" in told["text"]
    assert sum("Pelapor mencabut" in (m.get("text") or "") for m in emu.sent(DLH_CHAT)) == 1

    month = this_month()
    andi = emu.user(DLH_OFFICER, "Andi")
    emu.send_text(andi, f"/laporan {month}", chat=DLH_CHAT)
    summary = await emu.wait_for(DLH_CHAT, "Ringkasan laporan")
    assert "Dicabut pelapor: 1" in summary["text"] and "Sudah diputuskan: 0" in summary["text"]
