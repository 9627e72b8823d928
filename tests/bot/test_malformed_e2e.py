"""Malformed and unexpected updates: the bot answers what it should and keeps running."""

from __future__ import annotations

from emulator import BotApiEmulator
from tests.bot.harness import ADMIN_CHAT, Person, RunningBot


async def test_odd_updates_break_nothing(emu: BotApiEmulator, bot: RunningBot) -> None:
    siti = Person(emu, emu.user(1001, "Siti"))
    stranger_group = emu.group(-100555, "Grup arisan RT 03")
    sent = emu.send_text(siti.user, "halo")
    await siti.expect("Buat laporan")
    chat = {"id": 1001, "type": "private", "first_name": "Siti"}
    odd = [
        {"message": {"message_id": 90, "date": 1, "chat": chat, "text": "tanpa from"}},
        {"message": {**sent["message"], "message_id": 91, "brand_new_field": {"x": 1}}},
        {"edited_message": {**sent["message"], "text": "halo (diubah)", "edit_date": 2}},
        {
            "channel_post": {
                "message_id": 1,
                "date": 1,
                "text": "siaran",
                "chat": {"id": -100999, "type": "channel", "title": "Kanal"},
            }
        },
        {
            "callback_query": {
                "id": "cb1",
                "from": sent["message"]["from"],
                "chat_instance": "x",
                "data": "5:self",
            }
        },
        {
            "message": {
                "message_id": 92,
                "date": 1,
                "chat": chat,
                "from": sent["message"]["from"],
                "dice": {"emoji": "🎲", "value": 3},
            }
        },
        {"unknown_update_kind": {"anything": True}},
    ]
    for update in odd:
        emu.enqueue_raw(update)
    emu.send_text(emu.user(7007, "Tetangga"), "/lapor", chat=stranger_group)
    emu.send_text(emu.user(7007, "Tetangga"), "ada yang tahu jadwal posyandu?", chat=stranger_group)
    await siti.expect("pesan yang diubah")
    await siti.expect("dadu")
    await emu.wait_until(lambda: emu.pending_updates() == 0)
    await siti.send("/start", expect="selamat datang")  # still running
    assert emu.sent(stranger_group) == []  # silent in groups it does not serve
    assert emu.sent(ADMIN_CHAT) == []
    assert not bot.task_done()
