"""Telegram's updates from raw JSON to settled: read each, handle it, settle it.

Shared by the poll loop and the webhook server. Each update is read on its own: PTB's
`Bot.get_updates` reads a whole batch at once, so one malformed update (a missing
`message_id`) failed them all, and PTB logged the raw batch, names included, at
CRITICAL. An update is *settled* when it was handled, or given up on
(`service.dead_letters`); only settled updates are confirmed to Telegram.

Handlers put the exception of an update they could not handle in `failures` (update
id → exception); so does the application's error handler, for what escapes a handler.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.pressed import lean_press
from service.dead_letters import DeadLetters, Poison

log = logging.getLogger(__name__)

Failures = dict[int, BaseException]
"""Updates whose handling failed in this process, by id, until settled."""
_KIND = re.compile(r"[a-z_]{1,40}")
_CHAT_HOLDERS = ("message", "edited_message", "channel_post", "edited_channel_post")


def update_id_of(data: object) -> int | None:
    """The update id of a raw update, if it has a usable one."""
    uid = data.get("update_id") if isinstance(data, dict) else None
    return uid if isinstance(uid, int) and not isinstance(uid, bool) else None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def raw_poison(data: dict[str, Any], update_id: int) -> Poison:
    """What a raw update that could not be read is (its kind, its chat if any)."""
    kind = next((key for key in data if key != "update_id"), "")
    body = data.get(kind)
    if kind == "callback_query" and isinstance(body, dict):
        body = body.get("message")
    chat = body.get("chat") if isinstance(body, dict) else None
    chat_id = _int(chat.get("id")) if isinstance(chat, dict) else None
    return Poison(update_id, kind if _KIND.fullmatch(kind) else "unknown", chat_id)


def chat_key(update: Update) -> int | None:
    """The update's chat id, if it has a usable one."""
    try:
        chat = update.effective_chat
    except Exception:  # a malformed update PTB could read but not make sense of
        return None
    return None if chat is None else _int(chat.id)


def poison_of(update: Update) -> Poison:
    """What an update that failed is (its kind, its chat if any)."""
    kind = next((k for k in Update.ALL_TYPES if getattr(update, k, None) is not None), "unknown")
    return Poison(update.update_id, kind, chat_key(update))


def by_chat(updates: Sequence[Update]) -> list[list[Update]]:
    """Group updates per chat, keeping their order (updates without a chat stand alone)."""
    groups: dict[object, list[Update]] = defaultdict(list)
    for update in updates:
        chat = chat_key(update)
        groups[chat if chat is not None else ("update", update.update_id)].append(update)
    return list(groups.values())


async def process_batch(
    updates: Sequence[Update], handle: Callable[[Update], Awaitable[bool]]
) -> set[int]:
    """Handle chats concurrently, each chat's updates one after another; returns the ids
    not settled. After a chat's first unsettled update its later ones wait too (they
    come again with it), so a chat's updates are applied in order."""
    unsettled: set[int] = set()

    async def one_chat(chat_updates: list[Update]) -> None:
        for position, update in enumerate(chat_updates):
            if not await handle(update):
                unsettled.update(u.update_id for u in chat_updates[position:])
                return

    await asyncio.gather(*(one_chat(group) for group in by_chat(updates)))
    return unsettled


class Intake:
    """Reads, handles and settles updates; see the module docstring."""

    def __init__(
        self,
        app: Application,  # type: ignore[type-arg]
        dead_letters: DeadLetters,
        failures: Failures,
    ) -> None:
        self.app = app
        self.dead_letters = dead_letters
        self.failures = failures
        self.handling = 0  # updates being handled now

    def busy(self) -> bool:
        """Whether updates are being handled now (housekeeping waits for a gap)."""
        return self.handling > 0

    def read(self, data: dict[str, Any]) -> Update:
        """The update (a press's read lean, `bot.pressed`); any exception means
        Telegram's JSON is not one PTB can read."""
        update = Update.de_json(lean_press(data), self.app.bot)
        if not isinstance(update.update_id, int):
            raise TypeError("update_id is not an integer")
        return update

    async def give_up_unreadable(
        self, data: dict[str, Any], update_id: int, error: BaseException
    ) -> bool:
        """An update that cannot be read is given up on at once (reading it again gives
        the same error); False if even that failed (to be delivered again)."""
        return await self.dead_letters.failed(raw_poison(data, update_id), error, at_once=True)

    async def handle(self, update: Update) -> bool:
        """Run the handlers on the update; True when it is settled."""
        self.handling += 1
        try:
            await self.app.process_update(update)
        finally:
            self.handling -= 1
        error = self.failures.pop(update.update_id, None)
        if error is None:
            return True
        return await self.dead_letters.failed(poison_of(update), error)

    async def settle_batch(self, batch: Sequence[object]) -> set[int]:
        """Read and handle a batch of raw updates (`process_batch`); returns the ids of
        those not settled, to be delivered again."""
        unsettled: set[int] = set()
        updates: list[Update] = []
        for data in batch:
            uid = update_id_of(data)
            if uid is None or not isinstance(data, dict):
                log.warning("an update without an id was skipped")
                continue
            try:
                updates.append(self.read(data))
            except Exception as exc:  # any malformed JSON: never stops the loop
                if not await self.give_up_unreadable(data, uid, exc):
                    unsettled.add(uid)
        return unsettled | await process_batch(updates, self.handle)
