"""A press's update read lean (`bot.pressed`): what the handlers read is all there."""

from __future__ import annotations

import copy
from typing import Any

from telegram import Bot, InaccessibleMessage, Message, Update

from bot.convert import event_of, sender_of
from bot.pressed import lean_press
from flows.events import Press

USER = {"id": 1001, "is_bot": False, "first_name": "Siti", "last_name": "A", "username": "siti"}
CHAT = {"id": 1001, "type": "private", "first_name": "Siti"}
PRESSED = {
    "message_id": 55,
    "from": {"id": 42, "is_bot": True, "first_name": "Suara Warga"},
    "chat": CHAT,
    "date": 1765000000,
    "text": "Apakah benar untuk DPUPR?",
    "entities": [{"type": "bold", "offset": 0, "length": 7}],
    "reply_markup": {"inline_keyboard": [[{"text": "Ya, benar", "callback_data": "c:ya"}]]},
}


def press(message: dict[str, Any]) -> dict[str, Any]:
    query = {"id": "7", "from": USER, "message": message, "chat_instance": "c", "data": "c:ya"}
    return {"update_id": 9, "callback_query": query}


def test_a_lean_press_keeps_what_the_handlers_read() -> None:
    data = press(PRESSED)
    before = copy.deepcopy(data)
    update = Update.de_json(lean_press(data), Bot("1:x"))
    assert data == before  # the raw update is left as it was (dead letters read it)
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    assert query.message.reply_markup is None and query.message.text is None
    assert (query.message.message_id, query.message.chat.type) == (55, "private")
    assert event_of(update) == Press("c:ya", 55)
    who = sender_of(update)
    assert who is not None and (who.user_id, who.chat_id, who.name) == (1001, 1001, "Siti A")


def test_an_inaccessible_pressed_message_is_read_as_the_whole_one() -> None:
    gone = {**PRESSED, "date": 0}  # Telegram's mark of a message the bot cannot access
    full = Update.de_json(press(gone), Bot("1:x")).callback_query
    lean = Update.de_json(lean_press(press(gone)), Bot("1:x")).callback_query
    assert full is not None and lean is not None
    assert type(lean.message) is type(full.message)
    assert isinstance(lean.message, Message | InaccessibleMessage)
    assert lean.message.message_id == 55 and lean.message.chat.id == 1001


def test_other_updates_are_read_as_they_came() -> None:
    message = {"update_id": 3, "message": {**PRESSED, "from": USER}}
    assert lean_press(message) is message
    odd = {"update_id": 4, "callback_query": {"id": "8", "from": USER, "message": "halo"}}
    assert lean_press(odd) is odd  # still unreadable, as before (given up on at once)
