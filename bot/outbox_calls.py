"""One outbox message carried out on the Bot API: a new message (answering the message
it replies to, when that was sent in the same chat), the pressed message replaced, or
every copy of a report's message edited.

The calls themselves are `bot.render`'s; what the outcome means (sent, retried, failed)
is the sender's (`bot.sender`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import Bot
from telegram.error import BadRequest

from bot.pacing import Pacer
from bot.render import edit, send, show_in_pressed
from service.outbox import edit_parts
from service.outgoing import Outgoing
from storage.base import OutboxMessage, Store

__all__ = ["NothingToEdit", "OutboxCalls"]

log = logging.getLogger(__name__)


class NothingToEdit(Exception):
    """The message an edit is for was never sent (or is gone from our records)."""


@dataclass(frozen=True)
class OutboxCalls:
    """Makes the Bot API calls of outbox messages; later copies of an edit wait for the
    chat's turn at the `pacer`."""

    bot: Bot
    store: Store
    pacer: Pacer

    async def perform(self, message: OutboxMessage, out: Outgoing, chat_id: int) -> int | None:
        """Send the message to `chat_id` (the message's chat, or where it moved) and
        return its Telegram id, or make the edit it asks for (None)."""
        if out.replace is not None:
            return await show_in_pressed(self.bot, chat_id, out)
        if out.edit is None:
            return await send(self.bot, chat_id, out, await self._reply_target(message, out))
        report_id, purpose = out.edit
        async with self.store.transaction() as tx:
            copies = await tx.message_copies(report_id, purpose, message.chat_id)
        if not copies:
            raise NothingToEdit(f"no sent message of report {report_id} ({purpose}) to edit")
        parts = edit_parts(out)
        edited, failure = 0, None
        for number, copy in enumerate(copies):
            try:
                await self._edit_copy(message, chat_id, copy, parts, paced=number > 0)
                edited += 1
            except BadRequest as exc:  # e.g. officers deleted this copy: edit the others
                failure = exc
        if failure is not None and not edited:
            raise failure
        return None

    async def _edit_copy(
        self,
        message: OutboxMessage,
        chat_id: int,
        copy: list[int],
        parts: list[Outgoing],
        *,
        paced: bool,
    ) -> None:
        """Edit one copy of a message: a long text went out in parts, part i replaces
        sent message i."""
        chat = message.chat_id
        if len(parts) != len(copy):
            log.warning("edit in chat %s: %d parts, %d messages", chat, len(parts), len(copy))
        for number, (target, part) in enumerate(zip(copy, parts, strict=False)):
            if paced or number:
                await self.pacer.turn(chat, message.lane)
            await edit(self.bot, chat_id, target, part)

    async def _reply_target(self, message: OutboxMessage, out: Outgoing) -> int | None:
        """The message this one answers (e.g. the report's card), if it was sent here."""
        if out.reply_to is None:
            return None
        report_id, purpose = out.reply_to
        async with self.store.transaction() as tx:
            sent = await tx.messages_for_report(report_id, purpose)
        targets = [message_id for chat, message_id in sent if chat == message.chat_id]
        return targets[-1] if targets else None
