"""Telegram updates → flow events. The table reads top to bottom, first match wins."""

from __future__ import annotations

from telegram import Message, Update

from flows.events import (
    Command,
    Contact,
    Event,
    Location,
    Media,
    Photo,
    Press,
    Text,
    Unsupported,
)
from flows.evidence import Evidence, EvidenceKind
from service.engine import Sender

_UNSUPPORTED_KINDS = (
    "sticker",
    "voice",
    "audio",
    "video",
    "video_note",
    "animation",
    "document",
    "poll",
    "dice",
    "game",
    "venue",
    "story",
)


def sender_of(update: Update) -> Sender | None:
    """Who wrote, in which chat; None for updates without a person (channel posts)."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return None
    return Sender(user_id=user.id, chat_id=chat.id, name=user.full_name, username=user.username)


def event_of(update: Update) -> Event | None:
    """The flow event an update means, or None for updates residents' chats ignore."""
    if (query := update.callback_query) is not None:
        pressed = query.message.message_id if query.message is not None else None
        return Press(query.data or "", pressed)
    if update.edited_message is not None:
        return Unsupported("edited")
    message = update.message
    return None if message is None else message_event(message)


def message_event(message: Message) -> Event:
    """The event of a new message."""
    replied = message.reply_to_message
    reply_to = replied.message_id if replied is not None else None
    if message.text is not None:
        return command_of(message.text) or Text(message.text, reply_to)
    if message.photo:
        return Photo(message.photo[-1].file_id, message.caption or "", reply_to)
    if message.animation is None and (item := evidence_of(message)) is not None:
        return Media(item, message.caption or "")
    if message.location is not None:
        return Location(message.location.latitude, message.location.longitude)
    if message.contact is not None:
        contact = message.contact
        own = message.from_user is not None and contact.user_id == message.from_user.id
        return Contact(contact.phone_number, is_own=own)
    kind = next((k for k in _UNSUPPORTED_KINDS if getattr(message, k, None)), "other")
    return Unsupported(kind)


def evidence_of(message: Message) -> Evidence | None:
    """A voice note, video, video note or file as evidence (a GIF also carries a
    `document`: the caller leaves animations out). Read from the Bot API fields, as
    PTB's `duration` attribute warns while it changes type."""
    for kind in EvidenceKind:
        attached = getattr(message, kind.value, None)
        if attached is not None:
            fields = attached.to_dict()
            duration = fields.get("duration")
            return Evidence(
                kind=kind,
                file_id=attached.file_id,
                size=attached.file_size,
                duration=None if duration is None else int(duration),
                mime_type=fields.get("mime_type"),
            )
    return None


def command_of(text: str) -> Command | None:
    """`/status@SuaraWargaBot SW-1234-ABCD` → Command("status", "SW-1234-ABCD")."""
    if not text.startswith("/") or len(text) < 2:
        return None
    head, _, arg = text[1:].partition(" ")
    name = head.split("@", 1)[0]
    if not name or len(name) > 32 or not name.replace("_", "").isalnum():
        return None
    return Command(name.lower(), arg.strip())
