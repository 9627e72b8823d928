"""In-memory model of Telegram as one bot sees it: users, chats, messages, updates and files.

`World` holds the state: chats and their messages (plain dicts shaped like Bot API Message
objects), the update queue of getUpdates and stored files. `driver.Driver` adds the test-driver
API on top, `methods.BotApiMethods` the bot's side.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]

#: Update types Telegram leaves out while allowed_updates is empty (its default).
DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
#: Metadata of each file kind, as in the Bot API objects (PhotoSize is built separately).
FILE_META: dict[str, JSON] = {
    "document": {"file_name": "dokumen.pdf", "mime_type": "application/pdf"},
    "video": {"width": 640, "height": 360, "duration": 5, "mime_type": "video/mp4"},
    "voice": {"duration": 3, "mime_type": "audio/ogg"},
    "video_note": {"length": 240, "duration": 4},
    "animation": {
        "width": 320,
        "height": 240,
        "duration": 2,
        "file_name": "lucu.gif.mp4",
        "mime_type": "video/mp4",
    },
    "sticker": {
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": "👍",
    },
}
_FILE_PREFIX = {
    "photo": "AgAC",
    "document": "BQAC",
    "video": "BAAC",
    "voice": "AwAC",
    "video_note": "DQAC",
    "animation": "CgAC",
}
_EXTENSION = {
    "photo": "jpg",
    "document": "pdf",
    "video": "mp4",
    "voice": "oga",
    "sticker": "webp",
    "video_note": "mp4",
    "animation": "mp4",
}


class ApiError(Exception):
    """A Bot API error, answered as ``{"ok": false, ...}`` with HTTP status `code`."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


def bad_request(detail: str) -> ApiError:
    """A 400 error with Telegram's "Bad Request: " prefix."""
    return ApiError(400, f"Bad Request: {detail}")


@dataclass(frozen=True)
class User:
    """A human user; their private chat with the bot has chat id == user id."""

    id: int
    first_name: str
    username: str | None = None
    last_name: str | None = None
    language_code: str | None = "id"

    def to_dict(self) -> JSON:
        data: JSON = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data


@dataclass
class Chat:
    """A chat of the bot: private (with `user`), group or supergroup, and its messages."""

    id: int
    type: str
    title: str | None = None
    user: User | None = None
    members: set[int] = field(default_factory=set)
    blocked: bool = False
    messages: dict[int, JSON] = field(default_factory=dict)  # every message, by id
    bot_sent: list[int] = field(default_factory=list)  # ids the bot sent, in order
    # Every text the bot showed, in order: each message sent, and each edit of one.
    shown: list[tuple[int, str]] = field(default_factory=list)
    deleted: set[int] = field(default_factory=set)
    keyboard: JSON | None = None  # reply keyboard currently shown
    cursor: int = 0  # wait_for's position in bot_sent
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def to_dict(self) -> JSON:
        if self.user is None:
            return {"id": self.id, "type": self.type, "title": self.title or str(self.id)}
        names = {
            k: v
            for k, v in self.user.to_dict().items()
            if k in ("first_name", "last_name", "username")
        }
        return {"id": self.id, "type": "private", **names}


@dataclass
class StoredFile:
    """A file known to the server, downloadable at /file/bot<token>/<file_path>."""

    file_id: str
    file_unique_id: str
    kind: str
    content: bytes
    file_path: str
    meta: JSON = field(default_factory=dict)

    def as_media(self) -> JSON:
        """The Bot API object (Document, Video, ...) describing this file."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
            **self.meta,
        }


@dataclass
class _Queued:
    update: JSON
    forced: bool  # an explicit update_id: delivered once even if below the offset
    unfiltered: bool = False  # delivered whatever allowed_updates says

    @property
    def id(self) -> int:
        return int(self.update["update_id"])

    @property
    def kind(self) -> str:
        return next((k for k in self.update if k != "update_id"), "")


ChatRef = int | User | Chat


class World:
    """Chats, messages, the update queue and files of one emulated bot."""

    def __init__(self, token: str) -> None:
        self.token = token
        bot_id = token.split(":", 1)[0]
        self.bot_user: JSON = {
            "id": int(bot_id) if bot_id.isdigit() else 1,
            "is_bot": True,
            "first_name": "Suara Warga",
            "username": "SuaraWargaBot",
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.clock: Callable[[], float] = time.time
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, StoredFile] = {}
        self.calls: list[tuple[str, JSON]] = []
        self.callback_answers: list[JSON] = []
        self.open_callbacks: dict[str, JSON] = {}  # callback_query id -> query, until answered
        self.my_commands: dict[tuple[str, str], list[JSON]] = {}  # (scope JSON, language)
        self.allowed_updates: list[str] = []
        self._queue: list[_Queued] = []
        self._update_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._callback_ids = itertools.count(4_000_000_001)
        self._changed = asyncio.Event()

    # -- setup ---------------------------------------------------------------------------
    def user(
        self,
        user_id: int,
        first_name: str,
        *,
        username: str | None = None,
        last_name: str | None = None,
        language_code: str | None = "id",
    ) -> User:
        """Create a user and their private chat with the bot (chat id == user id)."""
        user = User(user_id, first_name, username, last_name, language_code)
        self.chats[user_id] = Chat(user_id, "private", user=user, members={user_id})
        return user

    def group(self, chat_id: int, title: str, *, supergroup: bool = False) -> Chat:
        """Create a group (or supergroup) chat that the bot is a member of."""
        chat = Chat(chat_id, "supergroup" if supergroup else "group", title=title)
        self.chats[chat_id] = chat
        return chat

    def add_member(self, chat: ChatRef, user: User) -> None:
        """Add `user` to a group chat (sending in a group adds the sender too)."""
        self.chat(chat).members.add(user.id)

    def block(self, chat: ChatRef, *, notify: bool = False) -> None:
        """The user blocks the bot (or a group kicks it): sends answer 403.
        With `notify`, also queue the my_chat_member update Telegram sends."""
        target = self.chat(chat)
        target.blocked = True
        if notify and target.user is not None:
            old = {"user": self.bot_user, "status": "member"}
            self._push(
                "my_chat_member",
                {
                    "chat": target.to_dict(),
                    "from": target.user.to_dict(),
                    "date": self.now(),
                    "old_chat_member": old,
                    "new_chat_member": {**old, "status": "kicked", "until_date": 0},
                },
            )

    def unblock(self, chat: ChatRef) -> None:
        self.chat(chat).blocked = False

    # -- helpers -------------------------------------------------------------------------
    def now(self) -> int:
        return int(self.clock())

    def chat(self, ref: ChatRef) -> Chat:
        """The Chat for a chat id, a User (their private chat) or a Chat."""
        chat_id = ref if isinstance(ref, int) else ref.id
        if chat_id not in self.chats:
            raise KeyError(f"unknown chat {chat_id}; create it with emu.user() or emu.group()")
        return self.chats[chat_id]

    def add_file(self, kind: str, content: bytes, **meta: Any) -> StoredFile:
        """Store `content` as a new file of `kind` (photo, document, ...) with fresh ids."""
        n = next(self._file_ids)
        stored = StoredFile(
            f"{_FILE_PREFIX.get(kind, 'CAAC')}{kind[:3]}{n:06d}",
            f"AQAD{n:06d}",
            kind,
            content,
            f"{kind}s/file_{n}.{_EXTENSION.get(kind, 'bin')}",
            {**FILE_META.get(kind, {}), **meta},
        )
        self.files[stored.file_id] = stored
        return stored

    def photo_sizes(self, content: bytes) -> list[JSON]:
        """Two PhotoSize dicts (thumbnail and full size), each a downloadable file."""
        return [
            self.add_file("photo", content, width=w, height=h).as_media()
            for w, h in ((90, 67), (1280, 960))
        ]

    async def changed(self) -> None:
        """Wait for the next change (a queued update, a sent message, a webhook set...)."""
        await self._changed.wait()

    def _notify(self) -> None:
        """Wake everything waiting for a change (long polls, wait_for, wait_until)."""
        self._changed.set()
        self._changed = asyncio.Event()

    # -- the update queue ----------------------------------------------------------------
    def _push(self, kind: str, payload: JSON) -> JSON:
        update = {"update_id": next(self._update_ids), kind: copy.deepcopy(payload)}
        self._queue.append(_Queued(update, forced=False))
        self._notify()
        return update

    def enqueue_raw(self, update: JSON, *, unfiltered: bool = False) -> JSON:
        """Queue `update` as is. A missing update_id is assigned; an explicit one is kept and
        delivered once even if already confirmed (to test duplicate delivery). `unfiltered`
        delivers it even if its kind is not in allowed_updates (a kind Telegram adds)."""
        update = copy.deepcopy(update)
        forced = "update_id" in update
        update.setdefault("update_id", next(self._update_ids))
        self._queue.append(_Queued(update, forced, unfiltered))
        self._notify()
        return update

    def pending_updates(self) -> int:
        """Number of queued updates not yet confirmed by a getUpdates offset."""
        return len(self._queue)

    def drop_pending(self) -> None:
        self._queue.clear()

    def confirm(self, offset: int) -> None:
        """Apply getUpdates' offset: lower ids are forgotten; a negative one keeps the last -N."""
        if offset < 0:
            self._queue = self._queue[offset:]
        elif offset > 0:
            self._queue = [q for q in self._queue if q.id >= offset or q.forced]

    def take_updates(self, limit: int) -> list[JSON]:
        """Up to `limit` queued updates; types not in allowed_updates are dropped."""
        allowed = set(self.allowed_updates)
        self._queue = [
            q
            for q in self._queue
            if q.unfiltered
            or q.kind in allowed
            or (not allowed and q.kind not in DEFAULT_EXCLUDED_UPDATES)
        ]
        for queued in self._queue[:limit]:
            queued.forced = False
        return [copy.deepcopy(q.update) for q in self._queue[:limit]]

    # -- messages ------------------------------------------------------------------------
    def new_message(self, chat: Chat, sender: JSON, content: JSON, reply_to: int | None) -> JSON:
        """Create and store a message in `chat` (the bot's if `sender` is a bot)."""
        message: JSON = {
            "message_id": next(chat.ids),
            "from": sender,
            "chat": chat.to_dict(),
            "date": self.now(),
        }
        if reply_to is not None and reply_to in chat.messages:
            message["reply_to_message"] = copy.deepcopy(chat.messages[reply_to])
            message["reply_to_message"].pop("reply_to_message", None)
        message.update(content)
        chat.messages[message["message_id"]] = message
        if sender.get("is_bot"):
            chat.bot_sent.append(message["message_id"])
            chat.shown.append((message["message_id"], shown_text(message)))
        self._notify()
        return message


def shown_text(message: JSON) -> str:
    """What a message shows as text: its text or caption."""
    return str(message.get("text") or message.get("caption") or "")
