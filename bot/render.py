"""Outbox payloads → Telegram calls (the only place that builds keyboards).

Texts and edits are posted with `Bot._post`, the call under `send_message` and
`edit_message_text`, which answers Telegram's raw JSON: the sender needs only the new
message's id, and reading the whole answer into a `telegram.Message` (its chat, sender and
keyboard as objects) took about a quarter of the CPU of a send. The request is the one
`send_message` makes (PTB's objects as parameters, its timeouts and errors). The public
`Bot.do_api_request` is the same call but warns on every use for methods PTB has.
"""

from __future__ import annotations

import base64

from telegram import (
    Bot,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    KeyboardButton,
    LinkPreviewOptions,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest

from flows.effects import Keyboard
from flows.keyboard_texts import SHARE_CONTACT_LABEL, SKIP_LABEL
from service.outgoing import Outgoing

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply | None


def markup_of(out: Outgoing) -> Markup:
    """The reply_markup for a payload: inline buttons, the contact keyboard, or a removal."""
    if out.buttons:
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(label, callback_data=data) for label, data in row]
                for row in out.buttons
            ]
        )
    if out.keyboard is Keyboard.CONTACT:
        return ReplyKeyboardMarkup(
            [[KeyboardButton(SHARE_CONTACT_LABEL, request_contact=True)], [SKIP_LABEL]],
            resize_keyboard=True,
            one_time_keyboard=True,
        )
    if out.keyboard is Keyboard.REMOVE:
        return ReplyKeyboardRemove()
    if out.keyboard is Keyboard.FORCE_REPLY:
        return ForceReply()
    return None


async def send(bot: Bot, chat_id: int, out: Outgoing, reply_to: int | None = None) -> int:
    """Send one payload (as a reply to message `reply_to`, if it still exists); returns
    Telegram's message id."""
    markup = markup_of(out)
    replying = (
        None
        if reply_to is None
        else ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
    )
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
    if out.photo:
        message = await bot.send_photo(
            chat_id,
            out.photo,
            caption=out.text or None,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            reply_parameters=replying,
        )
        return message.message_id
    sent_text = await bot._post(
        "sendMessage",
        {
            "chat_id": chat_id,
            "text": out.text,
            "parse_mode": ParseMode.HTML,
            "reply_markup": markup,
            "link_preview_options": NO_PREVIEW,
            "reply_parameters": replying,
        },
    )
    return int(sent_text["message_id"])


async def edit(bot: Bot, chat_id: int, message_id: int, out: Outgoing) -> None:
    """Replace a sent message's text and inline buttons; unchanged content is fine."""
    markup = markup_of(out)
    try:
        await bot._post(
            "editMessageText",
            {
                "chat_id": chat_id,
                "message_id": message_id,
                "text": out.text,
                "parse_mode": ParseMode.HTML,
                "reply_markup": markup if isinstance(markup, InlineKeyboardMarkup) else None,
                "link_preview_options": NO_PREVIEW,
            },
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise
