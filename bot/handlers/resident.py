"""Residents' private chats: every update becomes one flow event for the engine."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.convert import event_of, sender_of
from bot.intake import Failures
from bot.press_answers import PressAnswers
from service.engine import Engine


class ResidentChat:
    """Turns private-chat updates into flow events and runs them through the engine.

    An update the engine could not apply (its transaction rolled back, nothing changed)
    goes into `failures`: it is not confirmed, so Telegram delivers it again, until it is
    applied or given up on (`bot.intake`, `service.dead_letters`). A busy database is
    waited out that way, never answered with an apology that would lose the message.
    A press is answered through `answers` (at once, or in the webhook's answer).
    """

    def __init__(self, engine: Engine, failures: Failures, answers: PressAnswers) -> None:
        self.engine = engine
        self.failures = failures
        self.answers = answers

    def handlers(self) -> list[BaseHandler[Update, ContextTypes.DEFAULT_TYPE, None]]:
        """Which updates this feature takes."""
        private = filters.ChatType.PRIVATE
        return [
            MessageHandler(private & filters.UpdateType.MESSAGES, self.message),
            CallbackQueryHandler(self.button),
        ]

    async def message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Any new or edited message in a private chat."""
        await self._run(update)

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A press on one of our inline buttons; always answered, to stop the spinner."""
        query = update.callback_query
        assert query is not None
        chat = update.effective_chat
        if chat is not None and chat.type != chat.PRIVATE:
            await self.answers.answer(update.update_id, query, None)
            return
        notices = await self._run(update)
        await self.answers.answer(update.update_id, query, notices[0] if notices else None)

    async def _run(self, update: Update) -> list[str]:
        who, event = sender_of(update), event_of(update)
        if who is None or event is None:
            return []
        try:
            notices = await self.engine.handle(who, event, update.update_id)
        except Exception as exc:  # settled by bot.intake: retried, or given up on
            self.failures[update.update_id] = exc
            return []
        return [notice.text for notice in notices]
