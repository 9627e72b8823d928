"""Copying a report's evidence (a voice note, video, video note or file) by file id."""

from __future__ import annotations

from telegram import Bot, Message, ReplyParameters
from telegram.constants import ParseMode

from service.outgoing import Outgoing


async def send_evidence(bot: Bot, chat_id: int, out: Outgoing, reply_to: int | None) -> int:
    """Send `out.media` by its file id with `out.text` as caption (a video note takes
    none: it answers the card instead), as a reply to message `reply_to` if it still
    exists; returns Telegram's message id."""
    assert out.media is not None
    replying = (
        None
        if reply_to is None
        else ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
    )
    kind, file_id = out.media
    caption = out.text or None
    message: Message
    if kind == "voice":
        message = await bot.send_voice(
            chat_id, file_id, caption=caption, parse_mode=ParseMode.HTML, reply_parameters=replying
        )
    elif kind == "video":
        message = await bot.send_video(
            chat_id, file_id, caption=caption, parse_mode=ParseMode.HTML, reply_parameters=replying
        )
    elif kind == "video_note":
        message = await bot.send_video_note(chat_id, file_id, reply_parameters=replying)
    else:
        message = await bot.send_document(
            chat_id, file_id, caption=caption, parse_mode=ParseMode.HTML, reply_parameters=replying
        )
    return message.message_id
