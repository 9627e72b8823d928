"""Runs the bot against Telegram: poll loop, outbox sender and housekeeping, together."""

from __future__ import annotations

import asyncio
import gc
import logging
import socket
from collections.abc import Callable
from datetime import datetime

from telegram.error import TelegramError
from telegram.ext import Application

from bot.aiohttp_request import AiohttpRequest
from bot.app import POLL_POOL, bot_commands, build_application
from bot.handlers.officer import OfficerChat
from bot.handlers.resident import ResidentChat
from bot.intake import Failures, Intake
from bot.metrics import Metrics
from bot.polling import ALLOWED_UPDATES, fetch_updates, poll
from bot.press_answers import PressAnswers
from bot.sender import OutboxSender
from bot.settings import BotSettings, WebhookSettings
from bot.startup import connect, keep_trying
from bot.webhook import WebhookServer
from service.alerts import alert_group_unreachable
from service.assembly import Services, open_services
from service.clock import utc_now
from service.dead_letters import DeadLetters
from service.housekeeping import keep_house
from service.learning import keep_learning
from service.retraining import Retraining, keep_retraining
from storage.base import Store
from web.app import board_address, install_board, serve_board
from web.site import Site

log = logging.getLogger(__name__)


def worker_name(port: int, webhook: bool) -> str:
    """Who this worker is, for leases: its host and its slot (the webhook `port`, or
    "polling"). Stable across restarts, so a worker restarted after a crash takes its
    own lease back at once instead of waiting for it to expire."""
    slot = f"webhook-{port}" if webhook else "polling"
    return f"{socket.gethostname()}:{slot}"


def board_site(
    settings: BotSettings, services: Services, clock: Callable[[], datetime]
) -> Site | None:
    """The public board this bot serves alongside (None when not configured); Open311
    partners file through the residents' engine."""
    if settings.board is None:
        return None
    return Site(
        services.store,
        services.rules,
        services.office,
        settings=settings.board,
        clock=clock,
        filer=services.engine.file_for_partner,
    )


async def run_bot(
    settings: BotSettings,
    stop: asyncio.Event,
    clock: Callable[[], datetime] = utc_now,
    *,
    webhook: bool = False,
) -> None:
    """Run until `stop` is set (long polling, or a webhook server); every piece shuts
    down cleanly."""
    wake = asyncio.Event()
    metrics = Metrics()
    async with open_services(
        settings.database,
        settings.rules,
        settings.office,
        clock=clock,
        on_commit=wake.set,
        on_escalation=metrics.deadlines_missed.inc,
    ) as services:
        store, rules, office = services.store, services.rules, services.office
        desk = services.desk
        failures: Failures = {}
        answers = PressAnswers(in_webhook_answer=webhook)
        resident = ResidentChat(services.engine, failures, answers)
        officers = OfficerChat(desk, failures, answers)
        poll_request = AiohttpRequest(connection_pool_size=POLL_POOL)
        app = build_application(
            settings.token,
            settings.base_url,
            settings.base_file_url,
            [*officers.handlers(), *resident.handlers()],
            failures=failures,
            poll_request=poll_request,
        )
        dead_letters = DeadLetters(
            store,
            office,
            settings.max_update_attempts,
            clock,
            on_commit=wake.set,
            on_dead=metrics.dead_letters.inc,
        )
        intake = Intake(app, dead_letters, failures)
        services.housekeeping.pressure = intake.busy  # housekeeping yields to residents
        if not await connect(app, stop):
            return
        async with app:  # initialized above: this only shuts it down at the end
            if not webhook and not await keep_trying(app.bot.delete_webhook, "deleteWebhook", stop):
                return
            commands = bot_commands()
            if not await keep_trying(
                lambda: app.bot.set_my_commands(commands), "setMyCommands", stop
            ):
                return
            desk.bot_username = app.bot.username
            holder = worker_name(settings.webhook.port, webhook)
            sender = OutboxSender(
                store,
                app.bot,
                settings.limits,
                clock=clock,
                wake=wake,
                lease_holder=holder,
                record=lambda result: metrics.sends.labels(result).inc(),
                on_unreachable_group=lambda chat_id: alert_group_unreachable(
                    store, office, rules, chat_id, clock()
                ),
            )
            timeout = settings.poll_timeout
            base_url = app.bot.base_url

            async def get_updates(offset: int | None) -> list[object]:
                return await fetch_updates(poll_request, base_url, offset, timeout)

            log.info("bot @%s running (%s)", app.bot.username, "webhook" if webhook else "polling")
            # What start-up built (catalogue, classifier, PTB) lives as long as the process:
            # the collector need not walk it again on every full collection (shorter pauses).
            gc.collect()
            gc.freeze()
            board = board_site(settings, services, clock)
            hook_at = (settings.webhook.listen_host, settings.webhook.port)
            shared = webhook and board is not None and board.at == hook_at
            async with asyncio.TaskGroup() as group:
                group.create_task(sender.run(stop))
                group.create_task(
                    keep_house(
                        services.engine,
                        services.housekeeping,
                        settings.check_every,
                        settings.retention,
                        holder,
                        stop,
                    )
                )
                group.create_task(keep_learning(services.learning, stop))
                retraining = Retraining(
                    services.store, services.rules.classifier, settings.retrainer
                )
                group.create_task(keep_retraining(retraining, stop, settings.retraining))
                if board is not None and not shared:
                    group.create_task(serve_board(board, *board.at, stop))
                if webhook:
                    await serve_webhook(
                        settings.webhook, app, intake, answers, store, clock, metrics,
                        stop, board=board if shared else None,
                    )  # fmt: skip
                else:
                    offset = await poll(get_updates, intake.settle_batch, stop)
                    if offset is not None:  # confirm the last batch, as PTB's updater does
                        try:
                            await fetch_updates(poll_request, base_url, offset, 0, limit=1)
                        except TelegramError as exc:  # they come again and are skipped
                            log.info("could not confirm the last updates: %s", exc)


async def serve_webhook(
    hook: WebhookSettings,
    app: Application,  # type: ignore[type-arg]
    intake: Intake,
    answers: PressAnswers,
    store: Store,
    clock: Callable[[], datetime],
    metrics: Metrics,
    stop: asyncio.Event,
    board: Site | None = None,
) -> None:
    """Register the webhook with Telegram and serve it until `stop` is set; `board`
    (the public board on the same host and port) is served by the same server."""
    if hook.secret_token is None or not hook.public_url:
        raise ValueError("webhook mode needs [webhook] public_url and secret_token")
    secret = hook.secret_token
    server = WebhookServer(
        intake,
        answers,
        secret=secret,
        path=hook.path,
        store=store,
        metrics=metrics,
        clock=clock,
    )
    if board is not None:
        install_board(server.web, board)
    await server.start(hook.listen_host, hook.port)
    if board is not None:
        print(f"Papan transparansi: {board_address(board, hook.listen_host, hook.port)}")
    try:
        await keep_trying(
            lambda: app.bot.set_webhook(
                url=hook.url,
                secret_token=secret,
                allowed_updates=ALLOWED_UPDATES,
                max_connections=hook.max_connections,
            ),
            "setWebhook",
            stop,
        )
        log.info("webhook serving on %s:%d%s", hook.listen_host, hook.port, hook.path)
        await stop.wait()
    finally:
        await server.stop()
