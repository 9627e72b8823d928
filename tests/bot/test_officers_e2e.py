"""End to end: officers work reports from their chats, through the emulator."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from emulator import BotApiEmulator
from emulator.world import JSON
from flows.codes import format_code
from flows.deadlines import DIGEST_OVER
from flows.report import Place, Reporter, Status
from storage import open_store
from tests.bot.harness import ADMIN_CHAT, Person, RunningBot, config_for, running_bot
from tests.bot.walker import Filing, file_report
from tests.factories import make_report
from tests.helpers import CODE

DLH_CHAT = -100888
CENTRAL_OFFICER = 9001
DLH_OFFICER = 9002
STRANGER = 9666
OFFICERS: dict[str, Any] = {
    "central": [CENTRAL_OFFICER],
    "opd": {"dlh": {"chat_id": DLH_CHAT, "officers": [DLH_OFFICER]}},
    "followup_days": 2,
}


@pytest.fixture
async def office_bot(emu: BotApiEmulator, db_path: Path) -> AsyncIterator[RunningBot]:
    emu.group(DLH_CHAT, "UP4 Dinas Lingkungan Hidup")
    config = config_for(emu, db_path, officers=OFFICERS, deadlines={"check_every_minutes": 0.002})
    async with running_bot(emu, config) as running:
        yield running


def about_dlh(story: str, **answers: Any) -> Filing:
    """A report about DLH's business in Kel. Bagendung, with the reporter's phone."""
    return Filing(story, kelurahan="Bagendung", phone="6281377778888", **answers)


def card_in(emu: BotApiEmulator, chat: int, code: str) -> JSON:
    cards = [m for m in emu.sent(chat) if f"Laporan {code}" in (m.get("text") or "")]
    assert cards, emu.dump(chat)
    return cards[-1]


async def press(emu: BotApiEmulator, officer: Any, chat: int, code: str, label: str) -> None:
    card = card_in(emu, chat, code)
    before = len(emu.callback_answers)
    emu.press(officer, card, emu.button_data(card, label))
    await emu.wait_until(lambda: len(emu.callback_answers) > before)


async def test_report_lifecycle_from_officer_chats(
    emu: BotApiEmulator, office_bot: RunningBot
) -> None:
    siti = Person(emu, emu.user(1001, "Siti", username="siti_a"))
    dlh_officer = emu.user(DLH_OFFICER, "Andi")
    central_officer = emu.user(CENTRAL_OFFICER, "Dewi")
    code = await file_report(
        siti, about_dlh("Sampah numpuk di TPS dekat pasar sudah seminggu, bau")
    )

    card = await emu.wait_for(DLH_CHAT, code)  # the OPD's own chat, not the central one
    assert "Dinas Lingkungan Hidup" in card["text"] and "Siti" in card["text"]
    assert "Batas verifikasi" in card["text"]
    assert not any(code in (m.get("text") or "") for m in emu.sent(ADMIN_CHAT))

    await press(emu, dlh_officer, DLH_CHAT, code, "Verifikasi")
    news = await siti.expect("diverifikasi")
    assert code in news["text"]
    await emu.wait_until(lambda: "Diverifikasi" in card_in(emu, DLH_CHAT, code)["text"])

    # Re-route to DPUPR (no chat of its own): the card moves to the central chat.
    await press(emu, dlh_officer, DLH_CHAT, code, "Alihkan")
    await emu.wait_until(
        lambda: ("DPUPR", "o:to:dpupr") in emu.buttons(card_in(emu, DLH_CHAT, code))
    )
    await press(emu, dlh_officer, DLH_CHAT, code, "DPUPR")
    moved = await siti.expect("diteruskan ke Dinas Pekerjaan Umum")
    assert code in moved["text"]
    central_card = await emu.wait_for(ADMIN_CHAT, code)
    await emu.wait_until(lambda: "dialihkan" in emu.sent(DLH_CHAT)[0]["text"])
    assert emu.buttons(emu.sent(DLH_CHAT)[0]) == []

    # The officer replies to the card; the reporter answers back by replying.
    emu.send_text(
        central_officer,
        "Tim kami akan cek lokasi besok pagi.",
        chat=ADMIN_CHAT,
        reply_to=central_card,
    )
    answer = await siti.expect("Tim kami akan cek lokasi")
    assert "Petugas Pengaduan Kota Cilegon" in answer["text"] and code in answer["text"]
    assert "Dewi" not in answer["text"]  # officers answer as the unit
    await emu.wait_for(ADMIN_CHAT, "sudah dikirim ke pelapor")
    emu.send_text(siti.user, "Baik pak, saya tunggu. Lokasinya di belakang pasar.", reply_to=answer)
    relay = await emu.wait_for(ADMIN_CHAT, "Lokasinya di belakang pasar")
    assert code in relay["text"] and "Siti" not in relay["text"]
    assert relay["reply_to_message"]["message_id"] == central_card["message_id"]  # on the card
    await siti.expect("diteruskan ke petugas")

    await press(emu, central_officer, ADMIN_CHAT, code, "Proses")
    await siti.expect("sedang diproses")
    await press(emu, central_officer, ADMIN_CHAT, code, "Selesai")
    done = await emu.wait_for(ADMIN_CHAT, "akan dinyatakan selesai")
    emu.send_text(central_officer, "Sampah sudah diangkut", chat=ADMIN_CHAT, reply_to=done)
    await siti.expect("dinyatakan selesai")

    # Two days later (simulated) the reporter is asked; "belum" reopens the report.
    office_bot.clock.skip(timedelta(days=2, hours=1))
    await siti.expect("benar-benar beres", timeout=10)
    await siti.tap("Belum", expect="Laporan kami buka kembali")
    await emu.wait_for(ADMIN_CHAT, "BELUM selesai")
    await emu.wait_until(lambda: "Sedang diproses" in card_in(emu, ADMIN_CHAT, code)["text"])
    await siti.tap("4", expect="nilai 4")

    detail = await siti.send(f"/status {code}", expect="Riwayat")
    assert detail is not None
    for seen in (
        "Diverifikasi",
        "Tim kami akan cek lokasi",
        "Pesan Anda",
        "Konfirmasi Anda: belum",
    ):
        assert seen in detail["text"], detail["text"]


async def test_anonim_never_shows_the_reporter_to_officers(
    emu: BotApiEmulator, office_bot: RunningBot
) -> None:
    """Anonim (here with rahasia) hides who reported from the handling officers too."""
    siti = Person(emu, emu.user(1001, "Siti", username="siti_a", last_name="Rahayu"))
    code = await file_report(
        siti,
        about_dlh(
            "Petugas kelurahan minta uang rokok 50 ribu buat surat",
            privacy="Anonim + Rahasia",
            body="Tidak tahu",
        ),
    )
    card = await emu.wait_for(ADMIN_CHAT, code)
    central_officer = emu.user(CENTRAL_OFFICER, "Dewi")
    emu.send_text(central_officer, "Mohon sebutkan nama kantornya.", chat=ADMIN_CHAT, reply_to=card)
    question = await siti.expect("Mohon sebutkan")
    emu.send_text(siti.user, "Kantor kelurahan Bagendung", reply_to=question)
    await emu.wait_for(ADMIN_CHAT, "Kantor kelurahan Bagendung")
    for chat in (ADMIN_CHAT, DLH_CHAT):
        for message in emu.sent(chat):
            shown = (message.get("text") or "") + (message.get("caption") or "")
            for secret in ("Siti", "Rahayu", "siti_a", "6281377778888", "+62813"):
                assert secret not in shown, shown


async def test_non_officers_cannot_act(emu: BotApiEmulator, office_bot: RunningBot) -> None:
    siti = Person(emu, emu.user(1001, "Siti"))
    code = await file_report(
        siti, about_dlh("Sampah numpuk di TPS dekat pasar sudah seminggu, bau")
    )
    card = await emu.wait_for(DLH_CHAT, code)
    stranger = emu.user(STRANGER, "Penyusup")
    central_officer = emu.user(CENTRAL_OFFICER, "Dewi")
    for who in (stranger, central_officer):
        before = len(emu.callback_answers)
        emu.press(who, card, emu.button_data(card, "Verifikasi"))
        await emu.wait_until(partial(answered_more, emu, before))
        assert "hanya petugas" in emu.callback_answers[-1]["text"]
    emu.send_text(stranger, "Sudah beres kok", chat=DLH_CHAT, reply_to=card)
    await emu.wait_for(DLH_CHAT, "hanya petugas")
    emu.press(stranger, card, "o:sel", strict=False)
    await emu.wait_until(lambda: "hanya petugas" in (emu.callback_answers[-1].get("text") or ""))
    await siti.send("/status", expect="Diterima")
    assert not any("Sudah beres" in (m.get("text") or "") for m in emu.sent(siti.user))


async def test_correction_teaches_the_classifier(
    emu: BotApiEmulator, office_bot: RunningBot
) -> None:
    story = "Saluran air di gang kami mampet total, baunya ke mana-mana"
    budi = Person(emu, emu.user(3003, "Budi"))
    first = await file_report(budi, about_dlh(story, body="Tidak tahu"))
    await emu.wait_for(ADMIN_CHAT, first)
    central_officer = emu.user(CENTRAL_OFFICER, "Dewi")
    await press(emu, central_officer, ADMIN_CHAT, first, "Alihkan")
    await emu.wait_until(
        lambda: ("DPUPR", "o:to:dpupr") in emu.buttons(card_in(emu, ADMIN_CHAT, first))
    )
    await press(emu, central_officer, ADMIN_CHAT, first, "DPUPR")
    await budi.expect("diteruskan")
    siti = Person(emu, emu.user(1001, "Siti"))
    await siti.send("/lapor", expect="Ceritakan")
    await siti.send("saluran air di gang kami mampet total, bau kemana mana", expect="catat")
    await siti.tap("Lanjut", expect="Sepertinya ini urusan <b>Dinas Pekerjaan Umum"[:21])
    proposal = siti.with_button("Ya, benar")
    assert "Dinas Pekerjaan Umum" in proposal["text"]


async def test_reminder_and_escalation_fire_on_time_also_after_restart(
    emu: BotApiEmulator, office_bot: RunningBot
) -> None:
    siti = Person(emu, emu.user(1001, "Siti"))
    code = await file_report(
        siti, about_dlh("Sampah numpuk di TPS dekat pasar sudah seminggu, bau")
    )
    await emu.wait_for(DLH_CHAT, code)
    office_bot.clock.skip(timedelta(days=13, hours=2))  # the 14-day answer is due tomorrow
    reminder = await emu.wait_for(DLH_CHAT, "Pengingat", timeout=10)
    assert code in reminder["text"]
    await office_bot.shutdown()
    office_bot.clock.skip(timedelta(days=1))  # missed while the bot was down
    await office_bot.start(emu)
    escalation = await emu.wait_for(
        ADMIN_CHAT, lambda m: "TERLAMBAT" in m["text"] and "Batas jawaban" in m["text"], timeout=10
    )
    assert code in escalation["text"]
    await emu.wait_until(lambda: emu.pending_updates() == 0)
    reminders = [m for m in emu.sent(DLH_CHAT) if "Pengingat" in (m.get("text") or "")]
    assert len([m for m in reminders if "jawaban" in m["text"]]) == 1  # never repeated


async def test_a_backlog_of_missed_deadlines_comes_as_one_digest(
    emu: BotApiEmulator, office_bot: RunningBot, db_path: Path
) -> None:
    backlog = DIGEST_OVER + 2  # e.g. the first start after a long outage
    codes = [format_code(number) for number in range(backlog)]
    siti = emu.user(1001, "Siti")
    store = await open_store(db_path)
    try:
        async with store.transaction() as tx:
            for code in codes:  # verification and answer both late: 2 escalations each
                await tx.insert_report(
                    make_report(
                        code,
                        filed_at=office_bot.clock() - timedelta(days=20),
                        body="dlh",
                        description=f"Sampah menumpuk, laporan {code}",
                        reporter=Reporter(user_id=siti.id, chat_id=siti.id, name="Siti"),
                        place=Place(kecamatan="Cilegon", kelurahan="Bagendung"),
                        photos=(),
                    )
                )
    finally:
        await store.close()

    digest = await emu.wait_for(ADMIN_CHAT, f"{backlog} laporan melewati batas waktu")

    text = digest["text"]
    assert [code for code in codes if code in text] == codes
    assert f"Melewati batas verifikasi ({backlog})" in text
    assert f"{codes[0]} · DLH · terlambat" in text
    await emu.wait_until(lambda: emu.pending_updates() == 0)
    assert not [m for m in emu.sent(ADMIN_CHAT) if "TERLAMBAT" in (m.get("text") or "")]
    central_officer = emu.user(CENTRAL_OFFICER, "Dewi")
    emu.send_text(central_officer, "Sudah kami cek semua", chat=ADMIN_CHAT, reply_to=digest)
    emu.send_text(central_officer, f"/cari {codes[-1]}", chat=ADMIN_CHAT)
    card = await emu.wait_for(ADMIN_CHAT, f"Laporan {codes[-1]}")
    assert "Sampah menumpuk" in card["text"]
    said = " ".join(m.get("text") or "" for m in emu.sent(ADMIN_CHAT))
    assert "dikirim ke pelapor" not in said
    # Replying to the digest answered nobody; she hears only of her right to go to the
    # Ombudsman, the answer deadlines of her reports being missed.
    assert all("Ombudsman RI" in (m.get("text") or "") for m in emu.sent(siti))
    assert not any("Sudah kami cek" in (m.get("text") or "") for m in emu.sent(siti))


async def test_officer_commands_and_kader_registry(
    emu: BotApiEmulator, office_bot: RunningBot
) -> None:
    central_officer = emu.user(CENTRAL_OFFICER, "Dewi")
    emu.send_text(central_officer, "/undang_kader Rina Marlina Bagendung", chat=ADMIN_CHAT)
    invite = await emu.wait_for(ADMIN_CHAT, "Tautan undangan")
    token = re.search(r"start=([\w-]+)", invite["text"])
    assert token is not None and "Kel. Bagendung" in invite["text"]
    rina = Person(emu, emu.user(2002, "Rina"))
    await rina.send(f"/start {token.group(1)}", expect="terdaftar sebagai kader")
    await rina.send(f"/start {token.group(1)}", expect="tidak berlaku")  # one-time
    await rina.send("/lapor", expect="Ceritakan")
    await rina.tap("Saya kader", expect="nama warga")  # her name is known already
    await rina.send("Pak Darto", expect="boleh dikosongkan")
    await rina.tap("Lewati", expect="sudah setuju")
    await rina.tap("Sudah setuju", expect="Ceritakan")
    await rina.send("Bansos PKH Pak Darto di Bagendung tidak cair sudah 4 bulan", expect="catat")
    await rina.tap("Lanjut", expect="urusan")
    await rina.tap("Ya, benar", expect="Kel. Bagendung, Kec. Cilegon")  # named in the story
    await rina.tap("Ya, benar", expect="identitas")
    await rina.tap("Biasa", expect="Ringkasan")
    await rina.tap("Kirim laporan")
    code = CODE.search((await rina.expect("Kode laporan"))["text"])
    assert code is not None
    card = await emu.wait_for(ADMIN_CHAT, code.group())
    assert "kader (terverifikasi) Rina Marlina" in card["text"]

    emu.send_text(central_officer, "/kader", chat=ADMIN_CHAT)
    listing = await emu.wait_for(ADMIN_CHAT, "Kader terverifikasi")
    assert "Rina Marlina – 1 laporan – ID 2002" in listing["text"]
    emu.send_text(central_officer, "/antrian", chat=ADMIN_CHAT)
    queue = await emu.wait_for(ADMIN_CHAT, "Antrean laporan terbuka")
    assert code.group() in queue["text"]
    emu.send_text(central_officer, "/cari pkh", chat=ADMIN_CHAT)
    found = await emu.wait_for(ADMIN_CHAT, "Hasil pencarian")
    assert code.group() in found["text"]
    emu.send_text(central_officer, "/kader_nonaktif 2002", chat=ADMIN_CHAT)
    await emu.wait_for(ADMIN_CHAT, "kini nonaktif")
    dlh_officer = emu.user(DLH_OFFICER, "Andi")
    emu.send_text(dlh_officer, "/undang_kader Ani Ketileng", chat=DLH_CHAT)
    await emu.wait_for(DLH_CHAT, "hanya untuk chat pengaduan pusat")
    emu.send_text(dlh_officer, "/antrian", chat=DLH_CHAT)
    dlh_queue = await emu.wait_for(DLH_CHAT, "laporan terbuka")
    assert code.group() not in dlh_queue["text"]  # PKH belongs to Dinsos, not DLH


def answered_more(emu: BotApiEmulator, before: int) -> bool:
    return len(emu.callback_answers) > before


async def test_monthly_report_figures_on_a_known_data_set(
    emu: BotApiEmulator, office_bot: RunningBot, db_path: Path
) -> None:
    wib = ZoneInfo("Asia/Jakarta")

    def at(day: int, hour: int = 10, month: int = 10) -> datetime:
        return datetime(2026, month, day, hour, tzinfo=wib)

    # (code, body, kelurahan, filed, first answer, decided, status)
    known = [
        ("SW-AAAA-0001", "dlh", "Ketileng", at(2), at(4), at(12), Status.SELESAI),
        ("SW-AAAA-0002", "dlh", "Ketileng", at(5), at(25), None, Status.DIPROSES),
        ("SW-AAAA-0003", "dpupr", "Gerem", at(10), None, None, Status.DITERIMA),
        ("SW-AAAA-0004", "dinsos", "Gerem", at(30), None, at(31), Status.DITOLAK),
        ("SW-AAAA-0005", "dlh", "Gerem", at(1, 1, month=11), None, None, Status.DITERIMA),
    ]
    store = await open_store(db_path)
    try:
        async with store.transaction() as tx:
            for code, body, kelurahan, filed, answered, decided, status in known:
                report = await tx.insert_report(
                    make_report(
                        code,
                        filed_at=filed,
                        body=body,
                        description=f"Laporan {code}",
                        reporter=Reporter(user_id=1, chat_id=1, name="Warga"),
                        place=Place(kecamatan="Grogol", kelurahan=kelurahan),
                        photos=(),
                    )
                )
                await tx.stamp(report.id, "first_answer_at", answered)
                await tx.stamp(report.id, "decided_at", decided)
                if status is not Status.DITERIMA:
                    await tx.set_status(report.id, status, actor="petugas:1", at=filed)
    finally:
        await store.close()
    central_officer = emu.user(CENTRAL_OFFICER, "Dewi")
    emu.send_text(central_officer, "/laporan 2026-10", chat=ADMIN_CHAT)
    summary = await emu.wait_for(ADMIN_CHAT, "Ringkasan laporan Oktober 2026")
    text = summary["text"]
    # Four reports in October (WIB); SW-AAAA-0005 was filed at 01:00 on 1 November WIB,
    # which is still 31 October in UTC.
    assert "Laporan masuk: 4" in text
    assert "Sudah dijawab: 3" in text and "median 2 hari" in text  # answers after 2, 20, 1 days
    assert "Sudah diputuskan: 2" in text and "median 5,5 hari" in text  # after 10 and 1 days
    assert "Dijawab ≤ 14 hari: 2 dari 4" in text  # 0002 late, 0003 unanswered by 24 Oct
    await emu.wait_for(ADMIN_CHAT, lambda m: "photo" in m)  # the chart
    csv_message = await emu.wait_for(ADMIN_CHAT, lambda m: "document" in m)
    xlsx_message = await emu.wait_for(ADMIN_CHAT, lambda m: "document" in m)
    assert csv_message["document"]["file_name"] == "laporan-2026-10.csv"
    assert xlsx_message["document"]["file_name"] == "laporan-2026-10.xlsx"
    rows = list(
        csv.reader(
            io.StringIO(emu.files[csv_message["document"]["file_id"]].content.decode("utf-8-sig"))
        )
    )
    assert [row[0] for row in rows[1:]] == [c for c, *_ in known[:4]]
