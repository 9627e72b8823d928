"""End to end: closing with evidence (the officer's note and after photo reach the
reporter, the central check holds an OPD's Selesai until confirmed or sent back) and
the Ombudsman route (a missed deadline or a second "belum" tells the reporter of her
right; her dossier comes as a document, to her alone). Resident and officers' chats are
separate chats of the emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from emulator import BotApiEmulator
from emulator.world import JSON
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

STORY = "Sampah numpuk di TPS dekat pasar sudah seminggu, bau sekali"


async def bot_with(emu: BotApiEmulator, db_path: Path, **sections: Any) -> Any:
    emu.group(DLH_CHAT, "UP4 Dinas Lingkungan Hidup")
    deadlines = {"check_every_minutes": 0.002}
    return running_bot(
        emu, config_for(emu, db_path, officers=OFFICERS, deadlines=deadlines, **sections)
    )


@pytest.fixture
async def plain_bot(emu: BotApiEmulator, db_path: Path) -> AsyncIterator[RunningBot]:
    async with await bot_with(emu, db_path) as running:
        yield running


@pytest.fixture
async def checked_bot(emu: BotApiEmulator, db_path: Path) -> AsyncIterator[RunningBot]:
    async with await bot_with(emu, db_path, closing={"central_check": True}) as running:
        yield running


async def close_with_note(
    emu: BotApiEmulator, officer: Any, chat: int, code: str, note: str, photo: bool = False
) -> None:
    """Selesai on the card, then the note (as a photo's caption) replying to the prompt."""
    await press(emu, officer, chat, code, "Selesai")
    prompt = await emu.wait_for(chat, "akan dinyatakan selesai")
    if photo:
        emu.send_photo(officer, note, b"\xff\xd8\xff after", chat=chat, reply_to=prompt)
    else:
        emu.send_text(officer, note, chat=chat, reply_to=prompt)


async def test_selesai_sends_the_note_and_after_photo_with_the_follow_up(
    emu: BotApiEmulator, plain_bot: RunningBot
) -> None:
    siti = Person(emu, emu.user(1001, "Siti", username="siti_a"))
    andi = emu.user(DLH_OFFICER, "Andi")
    code = await file_report(siti, about_dlh(STORY))
    await emu.wait_for(DLH_CHAT, code)

    # A photo without a caption is not a note: asked again, nothing closes.
    await press(emu, andi, DLH_CHAT, code, "Selesai")
    prompt = await emu.wait_for(DLH_CHAT, "akan dinyatakan selesai")
    emu.send_photo(andi, None, chat=DLH_CHAT, reply_to=prompt)
    await emu.wait_for(DLH_CHAT, "belum ada")
    emu.send_photo(andi, "Sampah sudah diangkut truk DLH", b"after", chat=DLH_CHAT, reply_to=prompt)

    await siti.expect("dinyatakan selesai")
    after = await emu.wait_for(siti.user, lambda m: "photo" in m)
    note = await siti.expect("Sampah sudah diangkut truk DLH")
    assert "Dinas Lingkungan Hidup" in note["text"] and "Andi" not in note["text"]
    assert after["message_id"] < note["message_id"]
    await emu.wait_until(lambda: "Selesai" in card_in(emu, DLH_CHAT, code)["text"])

    plain_bot.clock.skip(timedelta(days=2, hours=1))
    question = await siti.expect("benar-benar beres", timeout=10)
    assert "Sampah sudah diangkut truk DLH" in question["text"]
    photos = [m for m in emu.sent(siti.user) if "photo" in m]
    assert len(photos) == 2  # the after photo again, just before the question
    assert photos[-1]["photo"][-1]["file_unique_id"] == after["photo"][-1]["file_unique_id"]


async def test_the_central_check_holds_an_opd_selesai_until_confirmed(
    emu: BotApiEmulator, checked_bot: RunningBot
) -> None:
    siti = Person(emu, emu.user(1001, "Siti", username="siti_a"))
    andi = emu.user(DLH_OFFICER, "Andi")
    dewi = emu.user(CENTRAL_OFFICER, "Dewi")
    code = await file_report(siti, about_dlh(STORY))
    await emu.wait_for(DLH_CHAT, code)

    await close_with_note(emu, andi, DLH_CHAT, code, "Sudah diangkut")
    await emu.wait_for(DLH_CHAT, "menunggu validasi")
    request = await emu.wait_for(ADMIN_CHAT, "Validasi penyelesaian")
    assert code in request["text"] and "Sudah diangkut" in request["text"]
    await emu.wait_until(lambda: "Menunggu validasi" in card_in(emu, DLH_CHAT, code)["text"])
    # The OPD's part is done: no deadline runs on the card while the check waits.
    assert "Batas" not in card_in(emu, DLH_CHAT, code)["text"]
    # The OPD cannot say Selesai twice, nor validate its own closing.
    await press(emu, andi, DLH_CHAT, code, "Selesai")
    assert "menunggu validasi" in emu.callback_answers[-1]["text"]
    emu.press(andi, request, "o:vok", strict=False)
    await emu.wait_until(lambda: "hanya petugas" in (emu.callback_answers[-1].get("text") or ""))

    # Sent back with a reason: the OPD's chat reads it; the reporter heard nothing.
    emu.press(dewi, request, emu.button_data(request, "Kembalikan"))
    why = await emu.wait_for(ADMIN_CHAT, "akan dikembalikan")
    emu.send_text(dewi, "Foto belum menunjukkan TPS bersih", chat=ADMIN_CHAT, reply_to=why)
    back = await emu.wait_for(DLH_CHAT, "dikembalikan")
    assert "Foto belum menunjukkan TPS bersih" in back["text"]
    await emu.wait_until(lambda: "dikembalikan" in now_shown(emu, request)["text"])
    assert emu.buttons(now_shown(emu, request)) == []
    assert not any("selesai" in (m.get("text") or "") for m in emu.sent(siti.user))

    # Done again, now confirmed: the reporter is told, with the note.
    await emu.wait_until(lambda: "Menunggu" not in card_in(emu, DLH_CHAT, code)["text"])
    await close_with_note(emu, andi, DLH_CHAT, code, "TPS sudah bersih, foto terlampir", True)
    second = await emu.wait_for(ADMIN_CHAT, "Validasi penyelesaian")
    emu.press(dewi, second, emu.button_data(second, "Setujui"))
    await siti.expect("dinyatakan selesai")
    await siti.expect("TPS sudah bersih")
    await emu.wait_for(DLH_CHAT, "memvalidasi")
    await emu.wait_until(lambda: "Selesai" in card_in(emu, DLH_CHAT, code)["text"])
    assert not any("Sudah diangkut" in (m.get("text") or "") for m in emu.sent(siti.user))


def now_shown(emu: BotApiEmulator, message: JSON) -> JSON:
    """The message as the chat shows it now (after edits)."""
    chat = message["chat"]["id"]
    return next(m for m in emu.sent(chat) if m["message_id"] == message["message_id"])


def document_text(emu: BotApiEmulator, message: JSON) -> str:
    return emu.files[message["document"]["file_id"]].content.decode("utf-8")


async def test_a_missed_answer_deadline_opens_the_ombudsman_route(
    emu: BotApiEmulator, plain_bot: RunningBot
) -> None:
    siti = Person(emu, emu.user(1001, "Siti", username="siti_a"))
    tono = Person(emu, emu.user(1002, "Tono"))
    code = await file_report(siti, about_dlh(STORY))
    await emu.wait_for(DLH_CHAT, code)

    plain_bot.clock.skip(timedelta(days=15))
    told = await siti.expect("Ombudsman RI Perwakilan Banten", timeout=10)
    assert code in told["text"] and "137" in told["text"] and "14 hari" in told["text"]
    await emu.wait_for(ADMIN_CHAT, "TERLAMBAT")  # the officers' escalation, as before

    await siti.tap("Minta berkas")
    dossier = await emu.wait_for(siti.user, lambda m: "document" in m)
    assert dossier["document"]["file_name"] == f"berkas-{code}.html"
    page = document_text(emu, dossier)
    assert code in page and "TERLAMBAT" in page and "Penundaan berlarut" in page
    for private in ("Siti", "siti_a", "6281377778888", "1001", "Andi", "Dewi"):
        assert private not in page, private

    # Only she gets it: another resident's /berkas looks like an unknown code.
    await tono.send(f"/berkas {code}", expect="tidak ditemukan")
    assert not any("document" in m for m in emu.sent(tono.user))
    await siti.send(f"/berkas {code}")
    await emu.wait_for(siti.user, lambda m: "document" in m)

    # Once per report: the decision deadline passing later tells her nothing new.
    plain_bot.clock.skip(timedelta(days=50))
    await emu.wait_for(ADMIN_CHAT, lambda m: "keputusan" in (m.get("text") or ""), timeout=10)
    assert sum("Ombudsman RI" in (m.get("text") or "") for m in emu.sent(siti.user)) == 1


async def test_a_second_belum_opens_the_ombudsman_route(
    emu: BotApiEmulator, plain_bot: RunningBot
) -> None:
    siti = Person(emu, emu.user(1001, "Siti", username="siti_a"))
    andi = emu.user(DLH_OFFICER, "Andi")
    code = await file_report(siti, about_dlh(STORY))
    await emu.wait_for(DLH_CHAT, code)

    for round_, note in enumerate(("Sudah diangkut", "Sudah diangkut lagi, TPS dipindah")):
        await close_with_note(emu, andi, DLH_CHAT, code, note)
        await siti.expect(note)
        plain_bot.clock.skip(timedelta(days=2, hours=1))
        question = await siti.expect("benar-benar beres", timeout=10)
        assert note in question["text"]
        await siti.tap("Belum", expect="Laporan kami buka kembali")
        await emu.wait_for(DLH_CHAT, "BELUM selesai")
        if round_ == 0:
            assert not any("Ombudsman RI" in (m.get("text") or "") for m in emu.sent(siti.user))
            await emu.wait_until(lambda: "Sedang diproses" in card_in(emu, DLH_CHAT, code)["text"])
    told = await siti.expect("Ombudsman RI Perwakilan Banten")
    assert "dua kali" in told["text"]
    await siti.tap("Minta berkas")
    page = document_text(emu, await emu.wait_for(siti.user, lambda m: "document" in m))
    assert "Konfirmasi pelapor: belum" in page and "Sudah diangkut lagi" in page
    assert "dinyatakan selesai, tetapi menurut pelapor belum beres" in page
