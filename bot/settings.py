"""What the Telegram shell runs with, handed in by `suara_warga` (which reads and
validates the configuration file): bot/ never imports the configuration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.pacing import SendLimits
from flows.learned_model import Trainer
from flows.office import Office
from flows.rules import Rules
from service.assembly import Database
from service.retraining import DEFAULT_RETRAIN_POLICY, RetrainPolicy
from web.settings import WebSettings


@dataclass(frozen=True)
class WebhookSettings:
    """Webhook mode: where to listen, the address Telegram posts to, the shared secret
    (`public_url` empty or `secret_token` None: webhook mode cannot run)."""

    listen_host: str
    port: int
    path: str
    public_url: str
    url: str
    secret_token: str | None
    max_connections: int


@dataclass(frozen=True)
class BotSettings:
    """Everything `bot.runner.run_bot` needs: the Bot API, the database, the rules and
    the office, the sender's limits, housekeeping's rhythm, webhook mode, and the public
    board served alongside (None: not served)."""

    token: str
    base_url: str
    base_file_url: str
    poll_timeout: int
    max_update_attempts: int
    database: Database
    rules: Rules
    office: Office
    limits: SendLimits
    check_every: timedelta
    retention: timedelta
    webhook: WebhookSettings
    board: WebSettings | None = None
    retraining: RetrainPolicy = DEFAULT_RETRAIN_POLICY
    retrainer: Trainer | None = None  # None: the classifier's own trainer
