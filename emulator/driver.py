"""The test-driver API: what the human users do, and what tests observe of the bot.

Each human action (`send_text`, `press`, ...) queues one update and returns it as a dict.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Callable

from .malformed import malformed_updates
from .world import FILE_META, JSON, ChatRef, User, World

Predicate = Callable[[JSON], bool] | str | None
_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?")


class Driver(World):
    """The World as tests drive and observe it."""

    def _from_user(
        self, user: User, chat: ChatRef | None, content: JSON, reply_to: JSON | None = None
    ) -> JSON:
        target = self.chat(chat if chat is not None else user)
        target.members.add(user.id)
        reply_id = None if reply_to is None else int(reply_to["message_id"])
        return self._push("message", self.new_message(target, user.to_dict(), content, reply_id))

    # -- the human side: each call queues one update and returns it ------------------------
    def send_text(
        self, user: User, text: str, *, chat: ChatRef | None = None, reply_to: JSON | None = None
    ) -> JSON:
        """A text message (in `chat`, default the private chat); a leading /command gets its
        bot_command entity."""
        content: JSON = {"text": text}
        if match := _COMMAND_RE.match(text):
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": match.end()}]
        return self._from_user(user, chat, content, reply_to)

    def _with_caption(
        self,
        user: User,
        chat: ChatRef | None,
        content: JSON,
        caption: str | None,
        reply_to: JSON | None = None,
    ) -> JSON:
        return self._from_user(
            user, chat, content if caption is None else {**content, "caption": caption}, reply_to
        )

    def send_photo(
        self,
        user: User,
        caption: str | None = None,
        content: bytes = b"\xff\xd8\xff",
        *,
        chat: ChatRef | None = None,
        reply_to: JSON | None = None,
    ) -> JSON:
        """A photo of two PhotoSizes (files downloadable via getFile)."""
        sizes = {"photo": self.photo_sizes(content)}
        return self._with_caption(user, chat, sizes, caption, reply_to)

    def send_document(
        self,
        user: User,
        content: bytes = b"%PDF-1.4",
        *,
        file_name: str = "dokumen.pdf",
        mime_type: str = "application/pdf",
        caption: str | None = None,
        chat: ChatRef | None = None,
        file_size: int | None = None,
    ) -> JSON:
        """A file; `file_size` states a size other than the content's (a large file)."""
        meta = _sized({"file_name": file_name, "mime_type": mime_type}, file_size)
        document = self.add_file("document", content, **meta)
        return self._with_caption(user, chat, {"document": document.as_media()}, caption)

    def send_video(
        self,
        user: User,
        content: bytes = b"\x00\x00\x00\x18ftypmp42",
        *,
        caption: str | None = None,
        chat: ChatRef | None = None,
        duration: int = 5,
        file_size: int | None = None,
    ) -> JSON:
        """A video; `file_size` states a size other than the content's (a large file)."""
        video = self.add_file("video", content, **_sized({"duration": duration}, file_size))
        return self._with_caption(user, chat, {"video": video.as_media()}, caption)

    def send_video_note(
        self,
        user: User,
        content: bytes = b"\x00\x00\x00\x18ftypmp42",
        *,
        duration: int = 4,
        chat: ChatRef | None = None,
    ) -> JSON:
        """A round video message (no caption, as in Telegram)."""
        note = self.add_file("video_note", content, duration=duration).as_media()
        return self._from_user(user, chat, {"video_note": note})

    def send_animation(
        self, user: User, content: bytes = b"GIF89a", *, chat: ChatRef | None = None
    ) -> JSON:
        """A GIF: as Telegram sends one, with both `animation` and `document`."""
        gif = self.add_file("animation", content).as_media()
        document = {k: gif[k] for k in ("file_id", "file_unique_id", "file_size", "file_name")}
        return self._from_user(
            user, chat, {"animation": gif, "document": {**document, "mime_type": "video/mp4"}}
        )

    def send_voice(
        self,
        user: User,
        content: bytes = b"OggS",
        *,
        duration: int = 3,
        chat: ChatRef | None = None,
        caption: str | None = None,
    ) -> JSON:
        voice = self.add_file("voice", content, duration=duration).as_media()
        return self._with_caption(user, chat, {"voice": voice}, caption)

    def send_sticker(self, user: User, emoji: str = "👍", *, chat: ChatRef | None = None) -> JSON:
        sticker = self.add_file("sticker", b"RIFF\x00\x00\x00\x00WEBP", emoji=emoji).as_media()
        return self._from_user(user, chat, {"sticker": sticker})

    def send_location(
        self, user: User, latitude: float, longitude: float, *, chat: ChatRef | None = None
    ) -> JSON:
        location = {"latitude": latitude, "longitude": longitude}
        return self._from_user(user, chat, {"location": location})

    def send_contact(
        self,
        user: User,
        phone_number: str,
        user_id: int | None = None,
        *,
        first_name: str | None = None,
        chat: ChatRef | None = None,
    ) -> JSON:
        """A shared contact; user_id defaults to the sender's own (pass 0 to leave it out)."""
        contact: JSON = {"phone_number": phone_number, "first_name": first_name or user.first_name}
        if user_id != 0:
            contact["user_id"] = user.id if user_id is None else user_id
        return self._from_user(user, chat, {"contact": contact})

    def send_malformed(self, user: User) -> dict[str, JSON]:
        """Queue the corpus of malformed updates (`malformed.malformed_updates`) of `user`'s
        private chat, kinds outside allowed_updates included; returns them by name."""
        corpus = malformed_updates(user, next(self.chat(user).ids))
        return {
            name: self.enqueue_raw(update, unfiltered=not allowed)
            for name, update, allowed in corpus
        }

    def edit_text(self, user: User, message: JSON, text: str) -> JSON:
        """The user edits their own text message: an edited_message update."""
        stored = self.chat(message["chat"]["id"]).messages[message["message_id"]]
        assert stored["from"]["id"] == user.id, "users can only edit their own messages"
        stored.update(text=text, edit_date=self.now())
        stored.pop("entities", None)
        return self._push("edited_message", stored)

    def press(self, user: User, message: JSON, data: str, *, strict: bool = True) -> JSON:
        """The user presses an inline button (callback `data`) on a message the bot sent.
        With `strict`, a button with that data must be in the message's current keyboard."""
        chat = self.chat(message["chat"]["id"])
        current = chat.messages.get(message["message_id"], message)
        if strict and data not in [d for _, d in self.buttons(current)]:
            raise AssertionError(f"no button with data {data!r}: {self.buttons(current)}")
        chat.members.add(user.id)
        query_id = str(next(self._callback_ids))
        query = {
            "id": query_id,
            "from": user.to_dict(),
            "message": current,
            "chat_instance": f"ci{chat.id}",
            "data": data,
        }
        self.open_callbacks[query_id] = query
        return self._push("callback_query", query)

    # -- observing the bot ---------------------------------------------------------------
    def sent(self, chat: ChatRef) -> list[JSON]:
        """Messages the bot sent to `chat` and did not delete, in order, as currently shown."""
        target = self.chat(chat)
        return [target.messages[i] for i in target.bot_sent if i not in target.deleted]

    def last(self, chat: ChatRef) -> JSON:
        """The bot's last message still shown in `chat`."""
        sent = self.sent(chat)
        assert sent, f"the bot sent nothing to chat {self.chat(chat).id}"
        return sent[-1]

    def keyboard(self, chat: ChatRef) -> JSON | None:
        """The reply keyboard (ReplyKeyboardMarkup dict) shown in `chat`, if any."""
        return self.chat(chat).keyboard

    def mark(self, chat: ChatRef) -> None:
        """Make `wait_for` ignore everything sent to `chat` so far."""
        target = self.chat(chat)
        target.cursor = len(target.bot_sent)

    @property
    def commands(self) -> list[JSON]:
        """BotCommand dicts for the default scope and language (see `my_commands`)."""
        return self.my_commands.get(('{"type": "default"}', ""), [])

    @staticmethod
    def buttons(message: JSON) -> list[tuple[str, str]]:
        """(text, callback_data or url) of every inline button, row by row."""
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data", b.get("url", ""))) for r in rows for b in r]

    def button_data(self, message: JSON, text_substring: str) -> str:
        """callback_data of the first button whose text contains `text_substring`."""
        for text, data in self.buttons(message):
            if text_substring in text:
                return data
        raise AssertionError(f"no button containing {text_substring!r}: {self.buttons(message)}")

    def dump(self, chat: ChatRef) -> str:
        """A readable listing of what the bot sent to `chat`."""
        target, lines = self.chat(chat), []
        for i in target.bot_sent:
            msg = target.messages[i]
            kind = next((k for k in ("photo", *FILE_META, "location") if k in msg), "message")
            body = msg.get("text") or msg.get("caption") or f"<{kind}>"
            gone = " (deleted)" if i in target.deleted else ""
            lines.append(f"  #{i}{gone}: {body!r} buttons={self.buttons(msg)}")
        return "\n".join(lines) or "  (nothing)"

    async def wait_until(
        self,
        condition: Callable[[], bool],
        timeout: float = 5.0,  # noqa: ASYNC109
        message: str | None = None,
    ) -> None:
        """Wait until `condition()` holds; re-checked on every change and every 20 ms."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not condition():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(message or f"condition not met within {timeout} s")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(remaining, 0.02))

    async def wait_for(
        self,
        chat: ChatRef,
        predicate: Predicate = None,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> JSON:
        """The next new message the bot sends to `chat` (after the previous wait_for or mark)
        that matches `predicate`: a callable, or a substring of the text/caption."""
        target = self.chat(chat)
        found: list[JSON] = []

        def matches(msg: JSON) -> bool:
            if isinstance(predicate, str):
                return predicate in (msg.get("text") or msg.get("caption") or "")
            return predicate is None or predicate(msg)

        def check() -> bool:
            for idx in range(target.cursor, len(target.bot_sent)):
                if matches(msg := target.messages[target.bot_sent[idx]]):
                    target.cursor = idx + 1
                    found.append(msg)
                    return True
            return False

        try:
            await self.wait_until(check, timeout)
        except AssertionError:
            raise AssertionError(
                f"no new message to chat {target.id} matched within {timeout} s; "
                f"the bot sent:\n{self.dump(target)}"
            ) from None
        return found[0]


def _sized(meta: JSON, file_size: int | None) -> JSON:
    """`meta` with a stated file size, when one is given."""
    return meta if file_size is None else {**meta, "file_size": file_size}
