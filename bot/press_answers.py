"""Answering a button press: by its own call, or in the webhook's answer.

Every press must be answered (`answerCallbackQuery`) to stop the spinner on the
resident's button. Polling, the answer is a call of its own. In webhook mode Telegram
also takes one method call in the body of the webhook's 200 ("Making requests when
getting updates", Bot API): the answer travels back with the update's acknowledgement,
once its effects are committed, and saves a request per press (62% of a resident's
updates in the intake walk, docs/benchmarks.md §17). The bot cannot learn whether that
call succeeded, which is as before: a failed answer was only logged.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import CallbackQuery
from telegram.error import TelegramError

log = logging.getLogger(__name__)

ANSWER_METHOD = "answerCallbackQuery"


class PressAnswers:
    """The answers to presses: sent at once, or (`in_webhook_answer`) kept by update id
    until the webhook server `take`s them into its answer."""

    def __init__(self, *, in_webhook_answer: bool) -> None:
        self.in_webhook_answer = in_webhook_answer
        self._kept: dict[int, dict[str, Any]] = {}

    async def answer(self, update_id: int, query: CallbackQuery, text: str | None) -> None:
        """Answer `query` (a toast `text`, or none); a late or repeated answer is harmless."""
        if self.in_webhook_answer:
            call: dict[str, Any] = {"method": ANSWER_METHOD, "callback_query_id": query.id}
            if text:
                call["text"] = text
            self._kept[update_id] = call
            return
        try:
            await query.answer(text)
        except TelegramError as exc:
            log.info("callback answer failed: %s", exc)

    def take(self, update_id: int) -> dict[str, Any] | None:
        """The call kept for update `update_id` (forgotten here), or None."""
        return self._kept.pop(update_id, None)
