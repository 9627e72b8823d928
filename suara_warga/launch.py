"""From the validated configuration to running objects: the settings bot/ and service/
are handed (they never import the configuration), and `run_bot` to start the bot."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta

from bot import runner
from bot.pacing import SendLimits
from bot.settings import BotSettings, WebhookSettings
from flows.backlog import Backlog
from flows.deadlines import indonesian_holidays
from flows.office import Office
from service.assembly import Database
from service.clock import utc_now
from suara_warga.config import Config
from suara_warga.model_training import default_cache, trainer_for
from web.settings import Partner, WebSettings


def office_of(config: Config, now: datetime) -> Office:
    """The complaint unit's settings from the configuration."""
    officers = config.officers
    return Office(
        roles=officers.roles(config.telegram.admin_chat_id),
        templates=tuple(officers.templates),
        followup_after=timedelta(days=officers.followup_days),
        deadlines=config.deadlines.rules(),
        holidays=indonesian_holidays(range(now.year - 1, now.year + 3)),
        public_url=config.web.public_url,
        central_check=config.closing.central_check,
        backlog=Backlog(
            chat_per_second=config.sender.private_chat_per_second,
            group_per_minute=config.sender.group_per_minute,
            notice_after=timedelta(seconds=config.sender.busy_notice_after_seconds),
            digest_horizon=timedelta(minutes=config.sender.digest_after_minutes),
        ),
    )


def database_of(config: Config) -> Database:
    """Where the data lives, from `[storage]`."""
    storage = config.storage
    return Database(
        storage.path, synchronous=storage.synchronous, busy_timeout=storage.busy_timeout_seconds
    )


def webhook_of(config: Config) -> WebhookSettings:
    """Webhook mode's settings, from `[webhook]`."""
    hook = config.webhook
    secret = hook.secret_token
    return WebhookSettings(
        listen_host=hook.listen_host,
        port=hook.port,
        path=hook.path,
        public_url=hook.public_url,
        url=hook.url(),
        secret_token=None if secret is None else secret.get_secret_value(),
        max_connections=hook.max_connections,
    )


def web_settings(config: Config) -> WebSettings:
    """The public board's settings, from `[web]` (its partners' keys unwrapped)."""
    web = config.web
    return WebSettings(
        host=web.host,
        port=web.port,
        public_url=web.public_url,
        tiles_url=web.tiles_url,
        tiles_attribution=web.tiles_attribution,
        partners={
            partner_id: Partner(
                name=partner.name,
                api_key=partner.api_key.get_secret_value(),
                per_hour=partner.per_hour,
            )
            for partner_id, partner in web.partners.items()
        },
    )


def board_settings(config: Config) -> WebSettings | None:
    """The board a running bot or terminal chat serves alongside; None when `[web]
    enabled` is false."""
    return web_settings(config) if config.web.enabled else None


def bot_settings(config: Config, now: datetime) -> BotSettings:
    """What `bot.runner.run_bot` runs with; the configuration must have a token."""
    telegram = config.telegram
    if telegram.token is None:
        raise ValueError("run_bot needs a Telegram token")
    sender = config.sender
    return BotSettings(
        token=telegram.token.get_secret_value(),
        base_url=telegram.base_url,
        base_file_url=telegram.base_file_url,
        poll_timeout=telegram.poll_timeout,
        max_update_attempts=telegram.max_update_attempts,
        database=database_of(config),
        rules=config.rules(),
        office=office_of(config, now),
        limits=SendLimits(
            messages_per_second=sender.messages_per_second,
            private_chat_per_second=sender.private_chat_per_second,
            group_per_minute=sender.group_per_minute,
        ),
        check_every=timedelta(minutes=config.deadlines.check_every_minutes),
        retention=timedelta(days=config.privacy.retention_days),
        webhook=webhook_of(config),
        board=board_settings(config),
        retraining=config.learning.policy(),
        retrainer=trainer_for(default_cache(), lessons=True),
    )


async def run_bot(
    config: Config,
    stop: asyncio.Event,
    clock: Callable[[], datetime] = utc_now,
    *,
    webhook: bool = False,
) -> None:
    """Run the bot on this configuration until `stop` is set (`bot.runner.run_bot`)."""
    await runner.run_bot(bot_settings(config, clock()), stop, clock, webhook=webhook)
