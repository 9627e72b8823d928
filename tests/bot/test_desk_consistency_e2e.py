"""End to end: officers' actions stay consistent, and erasure reaches every copy
(issue #11 items 3 to 10), through the emulator."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest

from emulator import BotApiEmulator
from emulator.world import JSON, User
from tests.bot.harness import ADMIN_CHAT, Person, RunningBot, config_for, running_bot
from tests.bot.test_officers_e2e import (
    CENTRAL_OFFICER,
    DLH_CHAT,
    DLH_OFFICER,
    OFFICERS,
    about_dlh,
    card_in,
    press,
)
from tests.bot.walker import file_report


@pytest.fixture
async def desk_bot(emu: BotApiEmulator, db_path: Path) -> AsyncIterator[RunningBot]:
    emu.group(DLH_CHAT, "UP4 Dinas Lingkungan Hidup")
    config = config_for(
        emu,
        db_path,
        officers=OFFICERS,
        privacy={"retention_days": 30},
        deadlines={"check_every_minutes": 0.002},
        conversation={"max_relays_per_window": 3, "relay_window_minutes": 10},
    )
    async with running_bot(emu, config) as running:
        yield running


async def test_cari_searches_text_when_the_word_only_looks_like_a_code(
    emu: BotApiEmulator, desk_bot: RunningBot
) -> None:
    siti = Person(emu, emu.user(1001, "Siti"))
    code = await file_report(siti, about_dlh("Jembatan gantung retak, bahaya", body="Tidak tahu"))
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
    code = await file_report(
        siti, about_dlh("Sampah numpuk di TPS dekat pasar sudah seminggu, bau")
    )
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
    code = await file_report(
        siti, about_dlh("Sampah numpuk di TPS dekat pasar sudah seminggu, bau")
    )
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
    x = await file_report(siti, about_dlh("Sampah numpuk di TPS dekat pasar sudah seminggu, bau"))
    y = await file_report(siti, about_dlh("Sampah di TPS pasar belum diangkut, baunya parah"))
    budi = Person(emu, emu.user(3003, "Budi"))
    central = await file_report(
        budi, about_dlh("Petugas kelurahan minta uang rokok", body="Tidak tahu")
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


async def route(emu: BotApiEmulator, officer: User, chat: int, code: str, to: str) -> None:
    """Alihkan → `to` (a short name) on the card of `code` in `chat`."""
    await press(emu, officer, chat, code, "Alihkan")
    data = f"o:to:{to.lower()}"
    await emu.wait_until(lambda: (to, data) in emu.buttons(card_in(emu, chat, code)))
    await press(emu, officer, chat, code, to)


def showing(emu: BotApiEmulator, chat: int, code: str) -> list[str]:
    """The texts of every message in `chat` showing the report."""
    return [m["text"] for m in emu.sent(chat) if f"Laporan {code}" in (m.get("text") or "")]


async def test_a_button_on_the_newest_card_updates_that_card_after_rerouting(
    emu: BotApiEmulator, desk_bot: RunningBot
) -> None:
    siti = Person(emu, emu.user(1001, "Siti"))
    code = await file_report(
        siti, about_dlh("Sampah numpuk di TPS dekat pasar sudah seminggu", body="Tidak tahu")
    )
    await emu.wait_for(ADMIN_CHAT, code)
    dewi = emu.user(CENTRAL_OFFICER, "Dewi")
    andi = emu.user(DLH_OFFICER, "Andi")
    await route(emu, dewi, ADMIN_CHAT, code, "DLH")  # central → DLH
    await emu.wait_for(DLH_CHAT, code)
    await emu.wait_until(lambda: "dialihkan" in showing(emu, ADMIN_CHAT, code)[0])
    await route(emu, andi, DLH_CHAT, code, "DPUPR")  # DLH → DPUPR, i.e. back to central
    await emu.wait_until(lambda: len(showing(emu, ADMIN_CHAT, code)) == 2)
    await emu.wait_until(lambda: "dialihkan" in showing(emu, DLH_CHAT, code)[0])

    await press(emu, dewi, ADMIN_CHAT, code, "Proses")  # on the new central card
    await siti.expect("sedang diproses")
    await emu.wait_until(lambda: "Sedang diproses" in showing(emu, ADMIN_CHAT, code)[1])
    old, new = showing(emu, ADMIN_CHAT, code)
    assert "dialihkan ke Dinas Lingkungan Hidup" in old and "Sedang diproses" not in old
    assert "Tujuan: Dinas Pekerjaan Umum" in new
    (moved,) = showing(emu, DLH_CHAT, code)
    assert "dialihkan ke Dinas Pekerjaan Umum" in moved
    assert emu.buttons(emu.sent(ADMIN_CHAT)[0]) == []  # the old card has no buttons
    emu.send_text(andi, "Sudah kami angkut", chat=DLH_CHAT, reply_to=emu.sent(DLH_CHAT)[0])
    await emu.wait_for(DLH_CHAT, "ditangani chat lain")  # a moved card answers nobody there


IDENTITY = ("Siti", "siti_a", "6281377778888", "+62813")


def outbox_payloads(db_path: Path) -> list[str]:
    with closing(sqlite3.connect(db_path)) as conn:
        return [str(row[0]) for row in conn.execute("SELECT payload FROM outbox")]


async def test_erasure_reaches_every_copy_of_the_card_and_the_outbox(
    emu: BotApiEmulator, desk_bot: RunningBot, db_path: Path
) -> None:
    siti = Person(emu, emu.user(1001, "Siti", username="siti_a"))
    code = await file_report(
        siti, about_dlh("Sampah numpuk di TPS dekat pasar sudah seminggu, bau")
    )
    await emu.wait_for(DLH_CHAT, code)
    dewi = emu.user(CENTRAL_OFFICER, "Dewi")
    andi = emu.user(DLH_OFFICER, "Andi")
    emu.send_text(dewi, f"/cari {code}", chat=ADMIN_CHAT)  # a copy in the central chat
    emu.send_text(andi, f"/cari {code}", chat=DLH_CHAT)  # and a second one in DLH's
    await emu.wait_until(
        lambda: len(showing(emu, ADMIN_CHAT, code)) == 1 and len(showing(emu, DLH_CHAT, code)) == 2
    )
    assert all(
        "siti_a" in text for chat in (ADMIN_CHAT, DLH_CHAT) for text in showing(emu, chat, code)
    )
    assert any("siti_a" in payload for payload in outbox_payloads(db_path))

    await siti.send("/hapusdata", expect="Hapus data pribadi Anda?")
    await siti.tap("Ya, hapus data saya", expect="sudah dihapus")

    def erased_everywhere() -> bool:
        texts = showing(emu, ADMIN_CHAT, code) + showing(emu, DLH_CHAT, code)
        return len(texts) == 3 and all("(dihapus)" in text for text in texts)

    await emu.wait_until(erased_everywhere)
    for chat in (ADMIN_CHAT, DLH_CHAT):
        for text in showing(emu, chat, code):
            assert not any(secret in text for secret in IDENTITY), text
    await emu.wait_until(lambda: desk_bot_idle(db_path))
    for payload in outbox_payloads(db_path):
        assert not any(secret in payload for secret in IDENTITY), payload


def desk_bot_idle(db_path: Path) -> bool:
    with closing(sqlite3.connect(db_path)) as conn:
        (pending,) = conn.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()
    return int(pending) == 0


async def test_retention_reaches_the_copy_shown_by_cari(
    emu: BotApiEmulator, desk_bot: RunningBot, db_path: Path
) -> None:
    siti = Person(emu, emu.user(1001, "Siti", username="siti_a"))
    code = await file_report(
        siti, about_dlh("Sampah numpuk di TPS dekat pasar sudah seminggu, bau")
    )
    await emu.wait_for(DLH_CHAT, code)
    dewi = emu.user(CENTRAL_OFFICER, "Dewi")
    emu.send_text(dewi, f"/cari {code}", chat=ADMIN_CHAT)
    await emu.wait_until(lambda: len(showing(emu, ADMIN_CHAT, code)) == 1)
    await press(emu, dewi, ADMIN_CHAT, code, "Selesai")  # on the copy: both copies follow
    done = await emu.wait_for(ADMIN_CHAT, "akan dinyatakan selesai")
    emu.send_text(dewi, "Sampah sudah diangkut", chat=ADMIN_CHAT, reply_to=done)
    await siti.expect("dinyatakan selesai")
    await emu.wait_until(lambda: "Selesai" in showing(emu, DLH_CHAT, code)[0].split("\n")[0])
    desk_bot.clock.skip(timedelta(days=31))

    def anonymised() -> bool:
        texts = showing(emu, ADMIN_CHAT, code) + showing(emu, DLH_CHAT, code)
        return len(texts) == 2 and all("(dihapus)" in text for text in texts)

    await emu.wait_until(anonymised, timeout=15)
    await emu.wait_until(lambda: desk_bot_idle(db_path))
    for payload in outbox_payloads(db_path):
        assert "siti_a" not in payload and "6281377778888" not in payload, payload


async def test_a_chatty_resident_cannot_flood_the_officers_group(
    emu: BotApiEmulator, desk_bot: RunningBot
) -> None:
    siti = Person(emu, emu.user(1001, "Siti"))
    code = await file_report(
        siti, about_dlh("Sampah numpuk di TPS dekat pasar sudah seminggu, bau")
    )
    await emu.wait_for(DLH_CHAT, code)
    receipt = next(m for m in emu.sent(siti.user) if "Kode laporan" in (m.get("text") or ""))
    for n in (1, 2, 3):  # within the limit (3 per 10 minutes here): relayed at once
        emu.send_text(siti.user, f"Tambahan {n}: baunya makin parah", reply_to=receipt)
        await siti.expect("diteruskan ke petugas")
    emu.send_text(siti.user, "Tambahan 4: ada tikus", reply_to=receipt)
    await siti.expect("tetap kami simpan")
    emu.send_text(siti.user, "Tambahan 5: sudah sampai jalan", reply_to=receipt)
    for content in (b"\xff\xd8\xff foto-1", b"\xff\xd8\xff foto-2"):
        emu.send_photo(siti.user, None, content, reply_to=receipt)
    await emu.wait_until(lambda: emu.pending_updates() == 0)
    await flushed(siti)

    def to_officers() -> list[JSON]:
        return [
            m for m in emu.sent(DLH_CHAT) if "pelapor" in (m.get("text") or m.get("caption") or "")
        ]

    assert len(to_officers()) == 3  # the limit, not 7
    said = said_to(emu, siti)
    assert said.count("tetap kami simpan") == 1  # one answer for all that waits
    assert said.count("diteruskan ke petugas") == 3

    desk_bot.clock.skip(timedelta(minutes=11))  # the next window: the rest goes, batched
    await emu.wait_until(lambda: len(to_officers()) == 6, timeout=10)
    batch, *photos = to_officers()[3:]
    assert f"2 pesan pelapor {code}" in batch["text"]
    assert "Tambahan 4: ada tikus" in batch["text"] and "Tambahan 5" in batch["text"]
    assert [("photo" in m, "Foto dari pelapor" in m.get("caption", "")) for m in photos] == [
        (True, True),
        (True, True),
    ]
    texts = " ".join(m.get("text") or "" for m in to_officers())
    assert all(f"Tambahan {n}" in texts for n in range(1, 6))  # nothing lost
    assert "Siti" not in texts


async def test_a_name_with_bidi_controls_is_shown_neutralised_on_the_card(
    emu: BotApiEmulator, desk_bot: RunningBot
) -> None:
    mallory = Person(emu, emu.user(6666, "Siti\u202e\u2066Aminah\u200b", username="siti_a"))
    code = await file_report(
        mallory, about_dlh("Sampah numpuk di TPS dekat pasar sudah seminggu, bau")
    )
    card = await emu.wait_for(DLH_CHAT, code)
    assert "Pelapor: SitiAminah, @siti_a, +6281377778888" in card["text"]
    assert not any(ch in card["text"] for ch in "\u202e\u2066\u200b")
