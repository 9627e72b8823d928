"""Malformed and unexpected updates: the bot answers what it should and keeps running."""

from __future__ import annotations

from emulator import BotApiEmulator
from tests.bot.harness import ADMIN_CHAT, Person, RunningBot
from tests.factories import make_chat, make_message, make_update


async def test_odd_updates_break_nothing(emu: BotApiEmulator, bot: RunningBot) -> None:
    siti = Person(emu, emu.user(1001, "Siti"))
    stranger_group = emu.group(-100555, "Grup arisan RT 03")
    sent = emu.send_text(siti.user, "halo")
    await siti.expect("Buat laporan")
    chat = make_chat(1001, first_name="Siti")
    odd = [
        make_update(make_message(chat, "tanpa from", message_id=90, date=1)),
        {"message": {**sent["message"], "message_id": 91, "brand_new_field": {"x": 1}}},
        {"edited_message": {**sent["message"], "text": "halo (diubah)", "edit_date": 2}},
        make_update(
            make_message(make_chat(-100999, "channel", title="Kanal"), "siaran", date=1),
            kind="channel_post",
        ),
        {
            "callback_query": {
                "id": "cb1",
                "from": sent["message"]["from"],
                "chat_instance": "x",
                "data": "5:self",
            }
        },
        make_update(
            make_message(
                chat,
                message_id=92,
                date=1,
                dice={"emoji": "🎲", "value": 3},
                **{"from": sent["message"]["from"]},
            )
        ),
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
