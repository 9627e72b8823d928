"""Officers' chats (groups): card buttons, replies to cards, officer commands."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from telegram import Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.convert import command_of
from bot.intake import Failures
from bot.press_answers import PressAnswers
from service.desk import Desk

T = TypeVar("T")


class OfficerChat:
    """Turns officers' updates into desk calls. See `ResidentChat` for `failures` and
    `answers`."""

    def __init__(self, desk: Desk, failures: Failures, answers: PressAnswers) -> None:
        self.desk = desk
        self.failures = failures
        self.answers = answers

    def handlers(self) -> list[BaseHandler[Update, ContextTypes.DEFAULT_TYPE, None]]:
        """Which updates this feature takes: everything in groups, and card buttons."""
        groups = filters.ChatType.GROUPS & filters.UpdateType.MESSAGE
        return [
            CallbackQueryHandler(self.button, pattern=r"^o:"),
            MessageHandler(groups & filters.COMMAND, self.command),
            MessageHandler(groups & filters.REPLY & (filters.TEXT | filters.PHOTO), self.reply),
        ]

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A press on a card button."""
        query = update.callback_query
        assert query is not None
        message = query.message
        toast = None
        if isinstance(message, Message):
            toast = await self._guard(
                update,
                self.desk.press(
                    message.chat.id,
                    query.from_user.id,
                    message.message_id,
                    query.data or "",
                    update.update_id,
                ),
            )
        await self.answers.answer(update.update_id, query, toast)

    async def command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """`/antrian`, `/cari`, `/laporan`, ... in an officers' chat."""
        message, user = update.effective_message, update.effective_user
        parsed = command_of(message.text or "") if message else None
        if message is None or user is None or parsed is None:
            return
        if not self.desk.office.roles.is_officer_chat(message.chat.id):
            return  # a group we are not configured for: stay silent
        await self._guard(
            update,
            self.desk.command(message.chat.id, user.id, parsed.name, parsed.arg, update.update_id),
        )

    async def reply(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A reply to one of our messages: an answer to the reporter, a note, a code."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or message.reply_to_message is None:
            return
        if not self.desk.office.roles.is_officer_chat(message.chat.id):
            return
        photo = message.photo[-1].file_id if message.photo else None
        await self._guard(
            update,
            self.desk.message(
                message.chat.id,
                user.id,
                user.full_name,
                message.reply_to_message.message_id,
                message.text or message.caption or "",
                photo,
                update.update_id,
            ),
        )

    async def _guard(self, update: Update, work: Awaitable[T]) -> T | None:
        """Run the desk call; on failure leave the update to `bot.intake` (retried, or
        given up on)."""
        try:
            return await work
        except Exception as exc:
            self.failures[update.update_id] = exc
            return None
