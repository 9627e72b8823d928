"""Outbox payloads → Telegram calls (the only place that builds keyboards)."""

from __future__ import annotations

import base64
import logging
from dataclasses import replace

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
from flows.keyboard_texts import (
    PICK_PLACE_LABEL,
    SHARE_CONTACT_LABEL,
    SHARE_LOCATION_LABEL,
    SKIP_LABEL,
)
from service.outgoing import Outgoing

log = logging.getLogger(__name__)

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
    if out.keyboard is Keyboard.LOCATION:
        return ReplyKeyboardMarkup(
            [[KeyboardButton(SHARE_LOCATION_LABEL, request_location=True)], [PICK_PLACE_LABEL]],
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
    else:
        message = await bot.send_message(
            chat_id,
            out.text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
            reply_parameters=replying,
        )
    return message.message_id


async def edit(bot: Bot, chat_id: int, message_id: int, out: Outgoing) -> None:
    """Replace a sent message's text and inline buttons; unchanged content is fine."""
    markup = markup_of(out)
    try:
        await bot.edit_message_text(
            out.text,
            chat_id=chat_id,
            message_id=message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=markup if isinstance(markup, InlineKeyboardMarkup) else None,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
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
