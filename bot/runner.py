"""Runs the bot against Telegram: poll loop, outbox sender and housekeeping, together."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from telegram import Update

from bot.app import bot_commands, build_application
from bot.engine import Engine, learn_from_storage
from bot.handlers.resident import ResidentChat
from bot.polling import ALLOWED_UPDATES, poll
from bot.sender import OutboxSender, SendLimits
from bot.waiting import nap
from storage import open_store
from suara_warga.config import Config

log = logging.getLogger(__name__)

HOUSEKEEPING_EVERY = timedelta(minutes=10)


async def run_bot(config: Config, stop: asyncio.Event) -> None:
    """Run until `stop` is set; every piece shuts down cleanly."""
    token = config.telegram.token
    if token is None:
        raise ValueError("run_bot needs a Telegram token")
    store = await open_store(config.storage.path, synchronous=config.storage.synchronous)
    try:
        wake = asyncio.Event()
        rules = config.rules()
        learned = await learn_from_storage(store, rules)
        log.info("classifier learned %d routing examples from officers", learned)
        engine = Engine(
            store, rules, admin_chat_id=config.telegram.admin_chat_id, on_commit=wake.set
        )
        resident = ResidentChat(engine)
        app = build_application(
            token.get_secret_value(),
            config.telegram.base_url,
            config.telegram.base_file_url,
            resident,
        )
        async with app:
            await app.bot.delete_webhook()
            await app.bot.set_my_commands(bot_commands())
            limits = SendLimits(
                messages_per_second=config.sender.messages_per_second,
                private_chat_per_second=config.sender.private_chat_per_second,
                group_per_minute=config.sender.group_per_minute,
            )
            sender = OutboxSender(store, app.bot, limits, wake=wake)
            timeout = config.telegram.poll_timeout

            async def get_updates(offset: int | None) -> tuple[Update, ...]:
                updates: tuple[Update, ...] = await app.bot.get_updates(
                    offset=offset, timeout=timeout, allowed_updates=ALLOWED_UPDATES
                )
                return updates

            log.info("bot @%s running", app.bot.username)
            async with asyncio.TaskGroup() as group:
                group.create_task(sender.run(stop))
                group.create_task(housekeeping(engine, stop))
                offset = await poll(get_updates, app.process_update, resident.failed, stop)
            if offset is not None:  # confirm the last batch, as PTB's updater does
                await app.bot.get_updates(offset=offset, timeout=0, limit=1)
    finally:
        await store.close()


async def housekeeping(engine: Engine, stop: asyncio.Event) -> None:
    """Expire abandoned drafts and forget old update ids, every few minutes."""
    while not stop.is_set():
        try:
            expired = await engine.expire_drafts()
            if expired:
                log.info("expired %d abandoned drafts", expired)
            await engine.prune_updates()
        except Exception:
            log.exception("housekeeping failed; will try again")
        await nap(stop, HOUSEKEEPING_EVERY.total_seconds())
