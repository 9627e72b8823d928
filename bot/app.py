"""Builds the python-telegram-bot Application: transport only, no conversation state."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import BotCommand, Update
from telegram.ext import Application, ApplicationBuilder, BaseHandler, ContextTypes
from telegram.request import BaseRequest

from bot.aiohttp_request import AiohttpRequest
from bot.intake import Failures
from flows.texts import COMMANDS

log = logging.getLogger(__name__)

# Connections for the Bot API calls: the outbox sender's sends (paced to about 30/s,
# so only a few at once are on the wire) and the handlers' own calls. The long poll
# is one request at a time (bot.polling), as PTB's default pool of 1 for it assumes.
REQUEST_POOL = 64
POLL_POOL = 1


def build_application(
    token: str,
    base_url: str,
    base_file_url: str,
    handlers: list[BaseHandler[Update, ContextTypes.DEFAULT_TYPE, None]],
    *,
    failures: Failures | None = None,
    poll_request: BaseRequest | None = None,
) -> Application:  # type: ignore[type-arg]
    """The Application with our handlers (first match wins); updates come from our own
    poll loop (through `poll_request`) or webhook. Requests go over aiohttp
    (`AiohttpRequest`: PTB's timeouts, less CPU). An error escaping a handler is put in
    `failures`, for `bot.intake` to settle."""
    app = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .base_file_url(base_file_url)
        .request(AiohttpRequest(connection_pool_size=REQUEST_POOL))
        .get_updates_request(poll_request or AiohttpRequest(connection_pool_size=POLL_POOL))
        .updater(None)
        .build()
    )
    app.add_handlers(handlers)
    app.add_error_handler(error_handler({} if failures is None else failures))
    return app


def error_handler(
    failures: Failures,
) -> Callable[[object, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]:
    """The one error handler. An update's error goes into `failures`: `bot.intake`
    retries the update or gives up on it, and logs it without the update's content;
    any other error is logged with its traceback (never the token or a phone)."""

    async def record_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if isinstance(update, Update) and context.error is not None:
            failures[update.update_id] = context.error
        else:
            log.error("error outside an update", exc_info=context.error)

    return record_error


def bot_commands() -> list[BotCommand]:
    """The command menu, in Indonesian."""
    return [BotCommand(name, about) for name, about in COMMANDS]
