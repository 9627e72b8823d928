"""The emulator's media beyond photos: residents' voice notes, videos, video notes, GIFs
and large files arrive as Telegram shapes them; the bot re-sends them by file id."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.error import BadRequest

from emulator import BotApiEmulator


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB warns when reading durations without it (filterwarnings=error).
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator() as emulator:
        yield emulator


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url) as b:
        yield b


async def test_residents_media_arrive_as_telegram_shapes_them(
    emu: BotApiEmulator, bot: Bot
) -> None:
    siti = emu.user(1001, "Siti")
    emu.send_video_note(siti, b"bulat", duration=9)
    emu.send_animation(siti)
    emu.send_video(siti, duration=31, file_size=25_000_000)
    emu.send_document(siti, b"%PDF", file_size=21_000_000)
    emu.send_voice(siti, duration=7, caption="dengar ya")
    note, gif, video, document, voice = (u.message for u in await bot.get_updates())
    assert note is not None and note.video_note is not None and note.video_note.length == 240
    assert note.video_note.duration.total_seconds() == 9  # type: ignore[union-attr]
    assert gif is not None and gif.animation is not None and gif.document is not None
    assert video is not None and video.video is not None and video.video.file_size == 25_000_000
    assert document is not None and document.document is not None
    assert document.document.file_size == 21_000_000
    assert voice is not None and voice.caption == "dengar ya"


async def test_the_bot_resends_media_by_file_id(emu: BotApiEmulator, bot: Bot) -> None:
    siti, officers = emu.user(1001, "Siti"), emu.group(-100200, "Petugas")
    ids = {
        "voice": emu.send_voice(siti)["message"]["voice"]["file_id"],
        "video": emu.send_video(siti)["message"]["video"]["file_id"],
        "video_note": emu.send_video_note(siti)["message"]["video_note"]["file_id"],
        "document": emu.send_document(siti)["message"]["document"]["file_id"],
    }
    card = await bot.send_message(officers.id, "kartu")
    await bot.send_voice(officers.id, ids["voice"], caption="Bukti 1/4")
    await bot.send_video(officers.id, ids["video"], caption="Bukti 2/4")
    await bot.send_video_note(officers.id, ids["video_note"], reply_to_message_id=card.message_id)
    await bot.send_document(officers.id, ids["document"], caption="Bukti 4/4")
    voice, video, note, document = emu.sent(officers)[1:]
    assert voice["voice"]["file_id"] == ids["voice"] and voice["caption"] == "Bukti 1/4"
    assert video["video"]["file_id"] == ids["video"]
    assert note["video_note"]["file_id"] == ids["video_note"]
    assert note["reply_to_message"]["message_id"] == card.message_id
    assert document["document"]["file_id"] == ids["document"]
    with pytest.raises(BadRequest, match=r"(?i)type of file mismatch"):
        await bot.send_voice(officers.id, ids["video"])
