"""Evidence beyond photos, end to end: a resident's voice note, video, video note and PDF
are kept (limits stated and enforced), copied under the card in the officers' chat,
listed in /dataku, never public, and deleted on erasure and retention."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest

from emulator import JSON, BotApiEmulator
from flows.evidence import MEGABYTE
from storage import open_store
from tests.bot.harness import ADMIN_CHAT, Person, RunningBot, config_for, running_bot
from tests.bot.test_board_served_e2e import board, board_up
from tests.bot.walker import Filing, filing_steps, walk
from tests.helpers import code_in, free_port

OFFICER = 9001
STORY = "Jalan berlubang besar dekat pasar, motor sering jatuh"


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
async def evidence_bot(emu: BotApiEmulator, db_path: Path, port: int) -> AsyncIterator[RunningBot]:
    """A bot keeping at most 4 items of evidence, with a short retention and the board."""
    config = config_for(
        emu,
        db_path,
        evidence={"max_items": 4},
        officers={"central": [OFFICER], "followup_days": 0},
        privacy={"retention_days": 30},
        deadlines={"check_every_minutes": 0.002},
        web=board(port),
    )
    async with running_bot(emu, config) as running:
        yield running


async def tell_the_story_with_evidence(emu: BotApiEmulator, siti: Person) -> dict[str, str]:
    """Start a report, speak before writing, add a video, a PDF and a video note, and
    try what is refused; returns the file ids sent, by kind."""
    await siti.send("/lapor", expect="Ceritakan")
    voice = emu.send_voice(siti.user, b"OggS-cerita", duration=47)
    welcomed = await siti.expect("pesan suara Anda sudah saya simpan")
    assert "tuliskan juga beberapa kata" in welcomed["text"]
    assert "Paling banyak 4 bukti" in welcomed["text"] and "5 menit" in welcomed["text"]
    await siti.send(STORY, expect="Sudah saya catat")
    video = emu.send_video(siti.user, caption="airnya menggenang", duration=31, file_size=3_355_443)
    kept = await siti.expect("video 0:31")
    assert "bukti ke-2 (paling banyak 4)" in kept["text"]
    pdf = emu.send_document(
        siti.user, b"%PDF-1.4 surat", file_name="surat-rt.pdf", file_size=1_200_000
    )
    await siti.expect("berkas PDF")
    emu.send_document(siti.user, b"PK", file_name="arsip.zip", mime_type="application/zip")
    await siti.expect("hanya gambar (foto) atau PDF")
    emu.send_voice(siti.user, duration=400)
    await siti.expect("paling lama 5 menit (yang ini 6:40)")
    emu.send_video(siti.user, file_size=25 * MEGABYTE)
    await siti.expect("paling besar 20 MB (yang ini 25,0 MB)")
    emu.send_animation(siti.user)
    await siti.expect("GIF tidak bisa saya simpan")
    emu.send_sticker(siti.user)
    await siti.expect("stiker tidak bisa saya simpan")
    note = emu.send_video_note(siti.user, duration=12)
    await siti.expect("video bulat 0:12")
    emu.send_document(siti.user, b"\xff\xd8", file_name="lubang.jpg", mime_type="image/jpeg")
    await siti.expect("paling banyak 4 bukti")
    return {
        "voice": voice["message"]["voice"]["file_id"],
        "video": video["message"]["video"]["file_id"],
        "document": pdf["message"]["document"]["file_id"],
        "video_note": note["message"]["video_note"]["file_id"],
    }


async def finish(siti: Person) -> str:
    """The rest of the report, from "Lanjut"; returns its code."""
    steps = filing_steps(Filing(STORY, body="Tidak tahu", kecamatan="Jombang", kelurahan="Masigit"))
    return code_in(await walk(siti, steps[2:]))


def copies_of(emu: BotApiEmulator, card: JSON) -> list[JSON]:
    """The bot's messages in the officers' chat answering `card`."""
    return [
        m
        for m in emu.sent(ADMIN_CHAT)
        if m.get("reply_to_message", {}).get("message_id") == card["message_id"]
    ]


async def test_evidence_is_kept_copied_under_the_card_listed_and_erased(
    emu: BotApiEmulator, evidence_bot: RunningBot, db_path: Path, port: int
) -> None:
    siti = Person(emu, emu.user(1001, "Siti"))
    sent = await tell_the_story_with_evidence(emu, siti)
    code = await finish(siti)
    summary = [m["text"] for m in emu.sent(siti.user) if "Ringkasan" in m.get("text", "")]
    assert "Bukti lain: 4" in summary[-1]

    card = await emu.wait_for(ADMIN_CHAT, code)
    await emu.wait_until(lambda: len(copies_of(emu, card)) == 4)
    copies = copies_of(emu, card)
    assert {kind: next(m[kind]["file_id"] for m in copies if kind in m) for kind in sent} == sent
    captions = [m.get("caption", "") for m in copies]
    assert captions[:3] == [
        f"Bukti 1/4 laporan {code}: pesan suara 0:47",
        f"Bukti 2/4 laporan {code}: video 0:31 3,2 MB",
        f"Bukti 3/4 laporan {code}: berkas PDF 1,1 MB",
    ]
    assert "voice" in copies[0] and "video_note" in copies[3]  # sendVoice ... sendVideoNote

    data = await siti.send("/dataku", expect="Data Anda yang disimpan")
    assert "bukti: pesan suara 0:47; video 0:31 3,2 MB; berkas PDF 1,1 MB; video bulat 0:12" in (
        data or {}
    ).get("text", "")

    base = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as http:
        await board_up(http, base)
        async with http.get(f"{base}/laporan/{code}.json") as page:
            shown = json.dumps(await page.json())
        async with http.get(f"{base}/open311/v2/requests/{code}.json") as page:
            shown += json.dumps(await page.json())
    assert code in shown and not any(file_id in shown for file_id in sent.values())

    await siti.send("/hapusdata", expect="Hapus data pribadi Anda?")
    await siti.tap("Ya, hapus data saya", expect="sudah dihapus")
    store = await open_store(db_path)
    try:
        async with store.transaction() as tx:
            report = await tx.get_report(code)
            assert await tx.evidence_of([report.id]) == {}
    finally:
        await store.close()


async def test_retention_deletes_the_evidence_of_closed_reports(
    emu: BotApiEmulator, evidence_bot: RunningBot, db_path: Path
) -> None:
    siti = Person(emu, emu.user(1001, "Siti"))
    await siti.send("/lapor", expect="Ceritakan")
    emu.send_voice(siti.user, duration=20)
    await siti.expect("pesan suara Anda sudah saya simpan")
    await siti.send(STORY, expect="Sudah saya catat")
    code = await finish(siti)
    card = await emu.wait_for(ADMIN_CHAT, code)
    await emu.wait_until(lambda: len(copies_of(emu, card)) == 1)
    store = await open_store(db_path)
    try:
        async with store.transaction() as tx:
            report = await tx.get_report(code)
            assert len((await tx.evidence_of([report.id]))[report.id]) == 1
    finally:
        await store.close()
    dewi = emu.user(OFFICER, "Dewi")
    emu.press(dewi, card, emu.button_data(card, "Selesai"))
    prompt = await emu.wait_for(ADMIN_CHAT, "akan dinyatakan selesai")
    emu.send_text(dewi, "Lubang sudah ditambal.", chat=ADMIN_CHAT, reply_to=prompt)
    await siti.expect("dinyatakan selesai")
    evidence_bot.clock.skip(timedelta(days=31))
    await emu.wait_until(lambda: "(dihapus)" in emu.sent(ADMIN_CHAT)[0]["text"], timeout=10)
    store = await open_store(db_path)
    try:
        async with store.transaction() as tx:
            assert await tx.evidence_of([report.id]) == {}
    finally:
        await store.close()
