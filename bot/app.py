"""Builds the python-telegram-bot Application: transport only, no conversation state."""

from __future__ import annotations

import logging

from telegram import BotCommand, Update
from telegram.ext import Application, ApplicationBuilder, BaseHandler, ContextTypes

from flows.texts import COMMANDS

log = logging.getLogger(__name__)


def build_application(
    token: str,
    base_url: str,
    base_file_url: str,
    handlers: list[BaseHandler[Update, ContextTypes.DEFAULT_TYPE, None]],
) -> Application:  # type: ignore[type-arg]
    """The Application with our handlers (first match wins); updates come from our own
    poll loop."""
    app = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .base_file_url(base_file_url)
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
