"""Outbox payloads → Telegram calls (the only place that builds keyboards).

Texts, photos by file id and edits are posted with `Bot._post`, the call under
`send_message`, `send_photo` and `edit_message_text`, with their parameters as the Bot
API's JSON and Telegram's raw answer back: the sender needs only the new message's id.
Building each keyboard as `telegram` objects only to turn them into that JSON again, and
reading every answer into a `telegram.Message`, took about a third of the CPU of a send
(the profile in docs/benchmarks.md). The request is otherwise the one PTB's methods make
(its timeouts and errors). The public `Bot.do_api_request` is the same call but warns on
every use for methods PTB has. Uploads go through PTB's own methods.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import replace
from typing import Any

from telegram import Bot, InputFile
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.render_evidence import send_evidence
from flows.effects import Keyboard
from flows.keyboard_texts import (
    PICK_PLACE_LABEL,
    SHARE_CONTACT_LABEL,
    SHARE_LOCATION_LABEL,
    SKIP_LABEL,
)
from service.outgoing import Outgoing

log = logging.getLogger(__name__)

JSON = dict[str, Any]
NO_PREVIEW: JSON = {"is_disabled": True}
CONTACT_KEYBOARD: JSON = {
    "keyboard": [[{"text": SHARE_CONTACT_LABEL, "request_contact": True}], [{"text": SKIP_LABEL}]],
    "resize_keyboard": True,
    "one_time_keyboard": True,
}
LOCATION_KEYBOARD: JSON = {
    "keyboard": [
        [{"text": SHARE_LOCATION_LABEL, "request_location": True}],
        [{"text": PICK_PLACE_LABEL}],
    ],
    "resize_keyboard": True,
    "one_time_keyboard": True,
}


def markup_of(out: Outgoing) -> JSON | None:
    """The reply_markup for a payload, as the Bot API's JSON: inline buttons, the contact
    keyboard, or a removal."""
    if out.buttons:
        return {
            "inline_keyboard": [
                [{"text": label, "callback_data": data} for label, data in row]
                for row in out.buttons
            ]
        }
    if out.keyboard is Keyboard.CONTACT:
        return CONTACT_KEYBOARD
    if out.keyboard is Keyboard.LOCATION:
        return LOCATION_KEYBOARD
    if out.keyboard is Keyboard.REMOVE:
        return {"remove_keyboard": True}
    if out.keyboard is Keyboard.FORCE_REPLY:
        return {"force_reply": True}
    return None


async def send(bot: Bot, chat_id: int, out: Outgoing, reply_to: int | None = None) -> int:
    """Send one payload (as a reply to message `reply_to`, if it still exists); returns
    Telegram's message id."""
    if out.upload:
        name, encoded = out.upload
        data = InputFile(base64.b64decode(encoded), filename=name)
        caption = out.text or None
        if name.endswith(".png"):
            sent = await bot.send_photo(chat_id, data, caption=caption, parse_mode=ParseMode.HTML)
        else:
            sent = await bot.send_document(
                chat_id, data, caption=caption, parse_mode=ParseMode.HTML
            )
        return sent.message_id
    if out.media:
        return await send_evidence(bot, chat_id, out, reply_to)
    replying = (
        None if reply_to is None else {"message_id": reply_to, "allow_sending_without_reply": True}
    )
    common = {
        "chat_id": chat_id,
        "parse_mode": ParseMode.HTML,
        "reply_markup": markup_of(out),
        "reply_parameters": replying,
    }
    if out.photo:
        photo = {"photo": out.photo, "caption": out.text or None}
        sent_photo = await bot._post("sendPhoto", {**common, **photo})
        return int(sent_photo["message_id"])
    text = {"text": out.text, "link_preview_options": NO_PREVIEW}
    sent_text = await bot._post("sendMessage", {**common, **text})
    return int(sent_text["message_id"])


async def edit(bot: Bot, chat_id: int, message_id: int, out: Outgoing) -> None:
    """Replace a sent message's text and inline buttons; unchanged content is fine."""
    try:
        await bot._post(
            "editMessageText",
            {
                "chat_id": chat_id,
                "message_id": message_id,
                "text": out.text,
                "parse_mode": ParseMode.HTML,
                "reply_markup": markup_of(out) if out.buttons else None,
                "link_preview_options": NO_PREVIEW,
            },
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def show_in_pressed(
    bot: Bot, chat_id: int, out: Outgoing, reply_to: int | None = None
) -> int:
    """Show the answer to a button press in the pressed message (`out.replace`), as an
    edit; if that message cannot be edited any more (deleted, too old), send it anew.
    Returns the id of the message that shows it."""
    assert out.replace is not None
    try:
        await edit(bot, chat_id, out.replace, out)
    except BadRequest as exc:
        log.info("answer not shown in the pressed message (%s): sent anew", exc)
        return await send(bot, chat_id, replace(out, replace=None), reply_to)
    return out.replace
