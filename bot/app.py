"""Builds the python-telegram-bot Application: transport only, no conversation state."""

from __future__ import annotations

import logging

from telegram import BotCommand, Update
from telegram.ext import Application, ApplicationBuilder, BaseHandler, ContextTypes

from bot.aiohttp_request import AiohttpRequest
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
) -> Application:  # type: ignore[type-arg]
    """The Application with our handlers (first match wins); updates come from our own
    poll loop. Requests go over aiohttp (`AiohttpRequest`: PTB's timeouts, less CPU)."""
    app = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .base_file_url(base_file_url)
        .request(AiohttpRequest(connection_pool_size=REQUEST_POOL))
        .get_updates_request(AiohttpRequest(connection_pool_size=POLL_POOL))
        .updater(None)
        .build()
    )
    app.add_handlers(handlers)
    app.add_error_handler(log_error)
    return app


async def log_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The one error handler: log with the traceback (never the token or a phone)."""
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("error while handling update %s", update_id, exc_info=context.error)


def bot_commands() -> list[BotCommand]:
    """The command menu, in Indonesian."""
    return [BotCommand(name, about) for name, about in COMMANDS]
