"""End to end: officers' actions stay consistent, and erasure reaches every copy
(issue #11 items 3 to 10), through the emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.bot.harness import ADMIN_CHAT, Person, RunningBot, config_for
from tests.bot.test_officers_e2e import (
    CENTRAL_OFFICER,
    DLH_CHAT,
    DLH_OFFICER,
    OFFICERS,
    card_in,
    file_report,
    press,
)
from tests.emulator import BotApiEmulator
from tests.emulator.world import User


@pytest.fixture
async def desk_bot(emu: BotApiEmulator, db_path: Path) -> AsyncIterator[RunningBot]:
    emu.group(DLH_CHAT, "UP4 Dinas Lingkungan Hidup")
    config = config_for(emu, db_path, officers=OFFICERS, privacy={"retention_days": 30})
    running = RunningBot(config)
    await running.start(emu)
    yield running
    await running.shutdown()


async def test_cari_searches_text_when_the_word_only_looks_like_a_code(
    emu: BotApiEmulator, desk_bot: RunningBot
) -> None:
    siti = Person(emu, emu.user(1001, "Siti"))
    code = await file_report(siti, "Jembatan gantung retak, bahaya", body_button="Tidak tahu")
    await emu.wait_for(ADMIN_CHAT, code)
    central_officer = emu.user(CENTRAL_OFFICER, "Dewi")
    dlh_officer = emu.user(DLH_OFFICER, "Andi")

    emu.send_text(central_officer, "/cari jembatan", chat=ADMIN_CHAT)  # SW-JEMB-ATAN?
    found = await emu.wait_for(ADMIN_CHAT, "Hasil pencarian")
    assert code in found["text"] and "tidak ditemukan" not in found["text"]
    emu.send_text(dlh_officer, "/cari jembatan", chat=DLH_CHAT)  # not DLH's report
    answer = await emu.wait_for(DLH_CHAT, "jembatan")
    assert "Tidak ada laporan" in answer["text"] and code not in answer["text"]
    emu.send_text(central_officer, "/cari SW-JEMB-ATAN", chat=ADMIN_CHAT)  # typed as a code
    await emu.wait_for(ADMIN_CHAT, "Laporan SW-JEMB-ATAN tidak ditemukan")
    emu.send_text(central_officer, f"/cari {code.lower()}", chat=ADMIN_CHAT)
    await emu.wait_until(lambda: len([m for m in emu.sent(ADMIN_CHAT) if code in m["text"]]) > 2)
    assert "Jembatan gantung" in card_in(emu, ADMIN_CHAT, code)["text"]


async def open_menu(emu: BotApiEmulator, officer: User, chat: int, code: str, menu: str) -> None:
    """Press a card button that opens a menu, and wait for the menu to show."""
    await press(emu, officer, chat, code, menu)
    await emu.wait_until(
        lambda: any("Kembali" in t for t, _ in emu.buttons(card_in(emu, chat, code)))
    )


async def mark_duplicate(emu: BotApiEmulator, officer: User, chat: int, code: str, of: str) -> None:
    """Tolak → Duplikat on the card of `code`, then answer the prompt with `of`."""
    if any("Tolak" in label for label, _ in emu.buttons(card_in(emu, chat, code))):
        await open_menu(emu, officer, chat, code, "Tolak")
    await press(emu, officer, chat, code, "Duplikat")
    prompt = await emu.wait_for(
        chat, lambda m: "kode laporan yang sama" in m["text"] and code in m["text"]
    )
    emu.mark(chat)
    emu.send_text(officer, of, chat=chat, reply_to=prompt)


async def flushed(person: Person) -> None:
    """Everything queued for `person` so far has arrived (her chat is sent in order)."""
    await person.send("/status", expect="Laporan Anda")


def said_to(emu: BotApiEmulator, person: Person) -> str:
    return "\n".join(m.get("text") or m.get("caption") or "" for m in emu.sent(person.user))


async def test_a_closed_report_sends_nothing_more_to_its_reporter(
    emu: BotApiEmulator, desk_bot: RunningBot
) -> None:
    siti = Person(emu, emu.user(1001, "Siti"))
    code = await file_report(siti, "Sampah numpuk di TPS dekat pasar sudah seminggu, bau")
    await emu.wait_for(DLH_CHAT, code)
    andi = emu.user(DLH_OFFICER, "Andi")
    await open_menu(emu, andi, DLH_CHAT, code, "Jawaban templat")
    card = card_in(emu, DLH_CHAT, code)
    template = next(data for _, data in emu.buttons(card) if data.startswith("o:tp:"))
    await press(emu, andi, DLH_CHAT, code, "Kembali")  # another officer rejects it
    await emu.wait_until(
        lambda: any("Tolak" in t for t, _ in emu.buttons(card_in(emu, DLH_CHAT, code)))
    )
    await open_menu(emu, andi, DLH_CHAT, code, "Tolak")
    await press(emu, andi, DLH_CHAT, code, "Tidak lengkap")
    await siti.expect("tidak dapat ditindaklanjuti")

    before = len(emu.callback_answers)
    emu.press(andi, card, template, strict=False)  # the stale template menu
    await emu.wait_until(lambda: len(emu.callback_answers) > before)
    assert "tidak dikirim ke pelapor" in emu.callback_answers[-1]["text"]
    emu.send_text(andi, "Mohon kirim foto lokasinya", chat=DLH_CHAT, reply_to=card)
    refusal = await emu.wait_for(DLH_CHAT, "tidak dikirim ke pelapor")
    assert code in refusal["text"]
    await flushed(siti)
    assert "Mohon kirim foto" not in said_to(emu, siti)
    assert "menjawab laporan" not in said_to(emu, siti)  # no template answer either


async def test_an_erased_reporter_is_said_to_be_unreachable(
    emu: BotApiEmulator, desk_bot: RunningBot
) -> None:
    siti = Person(emu, emu.user(1001, "Siti"))
    code = await file_report(siti, "Sampah numpuk di TPS dekat pasar sudah seminggu, bau")
    await emu.wait_for(DLH_CHAT, code)
    await siti.send("/hapusdata", expect="Hapus data pribadi Anda?")
    await siti.tap("Ya, hapus data saya", expect="sudah dihapus")
    await emu.wait_until(lambda: "(dihapus)" in card_in(emu, DLH_CHAT, code)["text"])
    andi = emu.user(DLH_OFFICER, "Andi")
    emu.send_text(andi, "Tim kami cek besok", chat=DLH_CHAT, reply_to=card_in(emu, DLH_CHAT, code))
    honest = await emu.wait_for(DLH_CHAT, "tidak terkirim")
    assert code in honest["text"] and "tidak dapat dihubungi" in honest["text"]
    await open_menu(emu, andi, DLH_CHAT, code, "Jawaban templat")
    before = len(emu.callback_answers)
    card = card_in(emu, DLH_CHAT, code)
    emu.press(andi, card, next(d for _, d in emu.buttons(card) if d.startswith("o:tp:")))
    await emu.wait_until(lambda: len(emu.callback_answers) > before)
    assert "tidak terkirim" in emu.callback_answers[-1]["text"]
    await press(emu, andi, DLH_CHAT, code, "Kembali")
    await emu.wait_until(
        lambda: any("Proses" in t for t, _ in emu.buttons(card_in(emu, DLH_CHAT, code)))
    )
    await press(emu, andi, DLH_CHAT, code, "Proses")  # news for nobody
    await emu.wait_until(lambda: "Sedang diproses" in card_in(emu, DLH_CHAT, code)["text"])
    said = " ".join(m.get("text") or "" for m in emu.sent(DLH_CHAT))
    assert "sudah dikirim ke pelapor" not in said
    assert emu.sends(0) == []  # nothing went to "chat 0"


async def test_duplicates_only_of_visible_reports_and_never_in_a_circle(
    emu: BotApiEmulator, desk_bot: RunningBot
) -> None:
    siti = Person(emu, emu.user(1001, "Siti"))
    x = await file_report(siti, "Sampah numpuk di TPS dekat pasar sudah seminggu, bau")
    y = await file_report(siti, "Sampah di TPS pasar belum diangkut, baunya parah")
    budi = Person(emu, emu.user(3003, "Budi"))
    central = await file_report(
        budi, "Petugas kelurahan minta uang rokok", body_button="Tidak tahu"
    )
    await emu.wait_for(ADMIN_CHAT, central)
    andi = emu.user(DLH_OFFICER, "Andi")

    await mark_duplicate(emu, andi, DLH_CHAT, x, central)  # not DLH's report
    await emu.wait_for(DLH_CHAT, "tidak ditemukan di antrean chat ini")
    await mark_duplicate(emu, andi, DLH_CHAT, x, y)  # X → Y
    await siti.expect(f"digabung dengan laporan {y}")
    await emu.wait_until(lambda: "Duplikat" in card_in(emu, DLH_CHAT, x)["text"])
    await mark_duplicate(emu, andi, DLH_CHAT, y, x)  # then Y → X
    circle = await emu.wait_for(DLH_CHAT, "sudah ditutup")
    assert f"{x} sendiri sudah ditutup sebagai duplikat dari {y}" in circle["text"]
    await siti.send(f"/status {y}", expect="Riwayat")
    assert "Duplikat" not in card_in(emu, DLH_CHAT, y)["text"].split("\n")[0]
    assert said_to(emu, siti).count("digabung dengan laporan") == 1
    assert "Duplikat" not in said_to(emu, budi)
