"""A button press's update, read lean: the pressed message without its text and keyboard.

Telegram sends the whole pressed message with each callback query: its text, entities
and inline keyboard, which python-telegram-bot turns into objects (a press cost twice
the reading of a text message). The handlers read of it only its id, its chat and
whether it is accessible (`date` 0 means not: PTB then makes an
`InaccessibleMessage`), so that is all that is kept (`lean_press`).
"""

from __future__ import annotations

from typing import Any

PRESSED_KEPT = ("message_id", "chat", "date")
"""What the handlers (`bot.handlers`, `bot.convert`) read of a pressed message."""


def lean_press(data: dict[str, Any]) -> dict[str, Any]:
    """`data` itself unless it is a callback query with a pressed message; then a copy
    whose message holds only `PRESSED_KEPT` (`data` is left as it was)."""
    query = data.get("callback_query")
    if not isinstance(query, dict) or not isinstance(message := query.get("message"), dict):
        return data
    kept = {key: message[key] for key in PRESSED_KEPT if key in message}
    return {**data, "callback_query": {**query, "message": kept}}
