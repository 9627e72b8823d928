"""The Bot API methods: parameters validated like Telegram does, then applied to the World.

Each method is an ``api_<methodName>`` coroutine taking `Params` and returning the JSON
``result``; it raises `ApiError` for Telegram's error answers. Subclasses may add methods
the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from .html_check import inline_markup, parse_text
from .world import JSON, ApiError, Chat, World, bad_request, shown_text

Handler = Callable[["Params"], Awaitable[Any]]
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
CHAT_ACTIONS = frozenset(
    [
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    ]
)
#: Methods accepted and answered with True, without any effect.
TRIVIAL_METHODS = (
    "setMyDescription",
    "setMyShortDescription",
    "setMyName",
    "setChatMenuButton",
    "setMyDefaultAdministratorRights",
    "close",
    "logOut",
)
FILE_KINDS = ("photo", "document", "video", "voice", "sticker", "video_note", "animation")


@dataclass
class Upload:
    """A file part of a multipart request."""

    filename: str
    content_type: str
    content: bytes


def _number(value: Any, name: str) -> float | None:
    try:
        return None if value is None or value == "" else float(value)
    except (TypeError, ValueError):
        raise bad_request(f"invalid {name} specified") from None


class Params(dict[str, Any]):
    """Request parameters (strings, or decoded JSON for nested objects) plus uploaded files."""

    def __init__(self) -> None:
        super().__init__()
        self.files: dict[str, Upload] = {}

    def text(self, name: str) -> str | None:
        value = self.get(name)
        return None if value is None else str(value)

    def number(self, name: str) -> float | None:
        return _number(self.get(name), name)

    def integer(self, name: str, default: int = 0) -> int:
        value = self.number(name)
        return default if value is None else int(value)

    def flag(self, name: str) -> bool:
        return str(self.get(name, "")).lower() in ("true", "1")

    def logged(self) -> JSON:
        """The parameters as recorded in `emu.calls` (uploads summarised)."""
        files = {
            key: f"<upload {upload.filename!r}, {len(upload.content)} bytes>"
            for key, upload in self.files.items()
        }
        return {**copy.deepcopy(dict(self)), **files}


class BotApiMethods(World):
    """A World that answers Bot API method calls (see `method`)."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.webhook_url = ""
        self.closing = False  # set while stopping: long polls return at once
        self._poll_generation = 0
        self._methods: dict[str, tuple[str, Handler]] = {
            attr[4:].lower(): (attr[4:], getattr(self, attr))
            for attr in dir(self)
            if attr.startswith("api_")
        }
        for name in TRIVIAL_METHODS:
            self._methods[name.lower()] = (name, self._trivial)
        for kind in FILE_KINDS:
            name = "send" + kind.title().replace("_", "")  # video_note: sendVideoNote
            self._methods[name.lower()] = (name, self._file_sender(kind))

    def method(self, name: str) -> tuple[str, Handler | None]:
        """The canonical name and handler of a method (case-insensitive), None if unknown."""
        return self._methods.get(name.lower(), (name, None))

    # -- helpers -------------------------------------------------------------------------
    def _target(self, p: Params, key: str = "chat_id", *, sending: bool = True) -> Chat:
        raw = p.text(key)
        if not raw:
            raise bad_request(f"{key} is empty")
        chat = self.chats.get(int(raw)) if re.fullmatch(r"-?\d+", raw) else None
        if chat is None:
            raise bad_request("chat not found")
        if sending and chat.blocked:
            why = "blocked by the user" if chat.user else "kicked from the group chat"
            raise ApiError(403, f"Forbidden: bot was {why}")
        return chat

    def _message(self, chat: Chat, p: Params, action: str) -> JSON:
        message_id = p.integer("message_id")
        if message_id not in chat.messages or message_id in chat.deleted:
            raise bad_request(f"message to {action} not found")
        return chat.messages[message_id]

    def _reply_id(self, chat: Chat, p: Params) -> int | None:
        reply = p.get("reply_parameters") or {}
        if not isinstance(reply, dict):
            raise bad_request("can't parse reply parameters JSON object")
        message_id = _number(reply.get("message_id", p.get("reply_to_message_id")), "message_id")
        if message_id is None:
            return None
        if int(message_id) in chat.messages:
            return int(message_id)
        if reply.get("allow_sending_without_reply") or p.flag("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")

    def _deliver(self, chat: Chat, p: Params, content: JSON) -> JSON:
        """Validate reply_markup and the replied message, then store the bot's message."""
        markup = p.get("reply_markup")
        inline = inline_markup(markup)
        if inline is not None:
            content["reply_markup"] = inline
        sender = {k: self.bot_user[k] for k in ("id", "is_bot", "first_name", "username")}
        message = self.new_message(chat, sender, content, self._reply_id(chat, p))
        if isinstance(markup, dict) and "keyboard" in markup:
            chat.keyboard = markup
        elif isinstance(markup, dict) and markup.get("remove_keyboard"):
            chat.keyboard = None
        return message

    @staticmethod
    def _caption(source: dict[str, Any]) -> JSON:
        parsed = parse_text(source.get("caption"), source.get("parse_mode"), caption=True)
        names = {"text": "caption", "entities": "caption_entities"}
        return {names[key]: value for key, value in parsed.items()}

    def _media_content(self, kind: str, ref: str | Upload | None) -> JSON:
        """The Message field for a file given by file_id or as an upload."""
        if not ref:
            raise bad_request(f"there is no {kind} in the request")
        if isinstance(ref, Upload):
            if kind == "photo":
                return {"photo": self.photo_sizes(ref.content)}
            meta = {"file_name": ref.filename} if kind == "document" else {}
            stored = self.add_file(kind, ref.content, mime_type=ref.content_type, **meta)
        elif (known := self.files.get(ref)) is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        elif known.kind != kind:
            raise bad_request("type of file mismatch")
        else:
            stored = known
        return {kind: [stored.as_media()] if kind == "photo" else stored.as_media()}

    def _file_sender(self, kind: str) -> Handler:
        async def send(p: Params) -> JSON:
            chat = self._target(p)
            content = self._media_content(kind, p.files.get(kind) or p.text(kind))
            return self._deliver(chat, p, {**content, **self._caption(p)})

        return send

    async def _trivial(self, p: Params) -> bool:
        return True

    def _edit(self, p: Params, field: str) -> JSON:
        """editMessageText/Caption/ReplyMarkup; no reply_markup removes the inline keyboard."""
        chat = self._target(p)
        message = self._message(chat, p, "edit")
        if message["from"]["id"] != self.bot_user["id"]:
            raise bad_request("message can't be edited")
        new: JSON = {"reply_markup": inline_markup(p.get("reply_markup"))}
        if field == "text":
            if "text" not in message:
                raise bad_request("there is no text in the message to edit")
            new.update({"entities": None, **parse_text(p.text("text"), p.text("parse_mode"))})
        elif field == "caption":
            if "text" in message:
                raise bad_request("there is no caption in the message to edit")
            new.update({"caption": None, "caption_entities": None, **self._caption(p)})
        if all(message.get(key) == value for key, value in new.items()):
            raise bad_request(NOT_MODIFIED)
        for key, value in new.items():
            if value is None:
                message.pop(key, None)
            else:
                message[key] = value
        message["edit_date"] = self.now()
        chat.shown.append((message["message_id"], shown_text(message)))
        self._notify()
        return message

    def _commands_key(self, p: Params) -> tuple[str, str]:
        scope = p.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), p.text("language_code") or ""

    # -- the methods ---------------------------------------------------------------------
    async def api_getMe(self, p: Params) -> JSON:
        return dict(self.bot_user)

    async def api_getUpdates(self, p: Params) -> list[JSON]:
        """Confirm below `offset`, then answer at once or long-poll up to `timeout` seconds.
        A newer getUpdates ends a waiting one with 409, as Telegram does."""
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        limit = min(max(p.integer("limit", 100), 1), 100)
        timeout = max(p.number("timeout") or 0.0, 0.0)
        if isinstance(p.get("allowed_updates"), list):
            self.allowed_updates = [str(kind) for kind in p["allowed_updates"]]
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # wakes an older poll, which then answers 409
        self.confirm(p.integer("offset"))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            updates = self.take_updates(limit)
            remaining = deadline - loop.time()
            if updates or self.closing or remaining <= 0:
                return updates
            event = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    async def api_setWebhook(self, p: Params) -> bool:
        self.webhook_url = p.text("url") or ""
        if self.webhook_url and isinstance(p.get("allowed_updates"), list):
            self.allowed_updates = [str(kind) for kind in p["allowed_updates"]]  # as Telegram
        if p.flag("drop_pending_updates"):
            self.drop_pending()
        return True

    async def api_deleteWebhook(self, p: Params) -> bool:
        p.pop("url", None)
        return await self.api_setWebhook(p)

    async def api_getWebhookInfo(self, p: Params) -> JSON:
        pending = self.pending_updates()
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": pending,
        }

    async def api_setMyCommands(self, p: Params) -> bool:
        commands = p.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON object")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.my_commands[self._commands_key(p)] = commands
        return True

    async def api_getMyCommands(self, p: Params) -> list[JSON]:
        return self.my_commands.get(self._commands_key(p), [])

    async def api_deleteMyCommands(self, p: Params) -> bool:
        self.my_commands.pop(self._commands_key(p), None)
        return True

    async def api_sendMessage(self, p: Params) -> JSON:
        chat = self._target(p)
        return self._deliver(chat, p, parse_text(p.text("text"), p.text("parse_mode")))

    async def api_sendMediaGroup(self, p: Params) -> list[JSON]:
        chat = self._target(p)
        items = p.get("media")
        if not isinstance(items, list) or not items:
            raise bad_request('parameter "media" is required')
        contents = []
        for item in items:
            ref = str(item.get("media", ""))
            media = p.files.get(ref[9:]) if ref.startswith("attach://") else ref
            content = self._media_content(str(item.get("type", "photo")), media)
            contents.append({**content, **self._caption(item)})
        group_id = str(10**17 + len(self.calls))
        return [self._deliver(chat, p, {**c, "media_group_id": group_id}) for c in contents]

    async def api_sendLocation(self, p: Params) -> JSON:
        chat = self._target(p)
        location = {"latitude": p.number("latitude"), "longitude": p.number("longitude")}
        if None in location.values():
            raise bad_request("wrong latitude or longitude specified")
        return self._deliver(chat, p, {"location": location})

    async def api_editMessageText(self, p: Params) -> JSON:
        return self._edit(p, "text")

    async def api_editMessageCaption(self, p: Params) -> JSON:
        return self._edit(p, "caption")

    async def api_editMessageReplyMarkup(self, p: Params) -> JSON:
        return self._edit(p, "reply_markup")

    async def api_deleteMessage(self, p: Params) -> bool:
        chat = self._target(p, sending=False)
        chat.deleted.add(self._message(chat, p, "delete")["message_id"])
        self._notify()
        return True

    async def api_answerCallbackQuery(self, p: Params) -> bool:
        if self.open_callbacks.pop(p.text("callback_query_id") or "", None) is None:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        self.callback_answers.append(p.logged())
        self._notify()
        return True

    async def api_sendChatAction(self, p: Params) -> bool:
        self._target(p)
        if p.text("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    async def api_getFile(self, p: Params) -> JSON:
        stored = self.files.get(p.text("file_id") or "")
        if stored is None:
            raise bad_request("invalid file_id")
        info = {key: stored.as_media()[key] for key in ("file_id", "file_unique_id", "file_size")}
        return {**info, "file_path": stored.file_path}

    async def api_getChat(self, p: Params) -> JSON:
        gift_kinds = "unlimited_gifts limited_gifts unique_gifts premium_subscription"
        gifts = dict.fromkeys([*gift_kinds.split(), "gifts_from_channels"], True)
        chat = self._target(p, sending=False).to_dict()
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": gifts,
        }
