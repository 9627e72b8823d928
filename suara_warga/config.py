"""Configuration: one pydantic model, read from a TOML file, overridden by environment.

Every key is documented in `config.example.toml`. Environment variables override the
file, with the prefix `SUARA_WARGA_` and `__` between section and key, e.g.
`SUARA_WARGA_TELEGRAM__TOKEN=123:ABC`. Errors come out as one readable `ConfigError`.
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from flows.city import CityPack
from flows.city_pack import DEFAULT_PACK, CityPackError, load_city_pack
from flows.deadlines import (
    DEFAULT_ANSWER_DAYS,
    DEFAULT_DECIDE_DAYS,
    DEFAULT_VERIFY_WORKING_DAYS,
    DeadlineRules,
)
from flows.relays import DEFAULT_MAX_RELAYS, DEFAULT_RELAY_WINDOW
from flows.roles import Roles
from flows.rules import (
    DEFAULT_MAX_DESCRIPTION,
    DEFAULT_MAX_PHOTOS,
    DEFAULT_MAX_REPORTS_PER_DAY,
    Rules,
)
from service.retraining import RetrainPolicy
from storage.sqlite import DEFAULT_BUSY_TIMEOUT
from suara_warga.evidence_config import EvidenceConfig
from suara_warga.model_training import default_cache, trainer_for
from web.settings import OSM_ATTRIBUTION, OSM_TILES

DEFAULT_CONFIG_FILE = Path("config.toml")
DEFAULT_DATABASE = "data/suara-warga.sqlite3"
DEFAULT_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_BASE_FILE_URL = "https://api.telegram.org/file/bot"
DEFAULT_MAX_UPDATE_ATTEMPTS = 3


class ConfigError(Exception):
    """The configuration is missing, unreadable or invalid; the message says what to fix."""


class Section(BaseModel):
    """Base of the config sections: unknown keys are errors (typos never pass silently)."""

    model_config = ConfigDict(extra="forbid")


class TelegramConfig(Section):
    """How to reach Telegram."""

    token: SecretStr | None = None
    base_url: str = DEFAULT_BASE_URL
    base_file_url: str = DEFAULT_BASE_FILE_URL
    admin_chat_id: int | None = None
    poll_timeout: int = Field(default=30, ge=0, le=50)
    max_update_attempts: int = Field(default=DEFAULT_MAX_UPDATE_ATTEMPTS, ge=1, le=10)

    @field_validator("token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        bot_id, _, secret = value.get_secret_value().strip().partition(":")
        if not bot_id.isdigit() or not secret:
            raise ValueError("must look like 123456789:ABC... (as given by @BotFather)")
        return value


class StorageConfig(Section):
    """Where the data lives."""

    path: str = DEFAULT_DATABASE  # a file, sqlite:///file, or postgresql://user:pass@host/db

    def sqlite_file(self) -> Path | None:
        """The SQLite file, or None for PostgreSQL."""
        if self.path.startswith(("postgresql://", "postgres://")):
            return None
        return Path(self.path.removeprefix("sqlite:///"))

    synchronous: Literal["FULL", "NORMAL"] = "FULL"
    busy_timeout_seconds: float = Field(default=DEFAULT_BUSY_TIMEOUT, gt=0, le=600)


class ConversationConfig(Section):
    """Limits of the intake conversation."""

    draft_ttl_hours: float = Field(default=72.0, gt=0)
    max_description: int = Field(default=DEFAULT_MAX_DESCRIPTION, ge=100, le=3000)
    max_photos: int = Field(default=DEFAULT_MAX_PHOTOS, ge=0, le=50)
    timezone: str | None = None  # None: the city pack's
    places_file: Path | None = None
    max_reports_per_day: int = Field(default=DEFAULT_MAX_REPORTS_PER_DAY, ge=1)
    max_relays_per_window: int = Field(default=DEFAULT_MAX_RELAYS, ge=1)
    relay_window_minutes: float = Field(
        default=DEFAULT_RELAY_WINDOW.total_seconds() / 60, gt=0, le=24 * 60
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


class CityConfig(Section):
    """Which city pack (catalogue, places, lexicon, the city's name) the bot serves; it is
    read and checked with the whole configuration (`Config.city_pack`)."""

    pack: str = DEFAULT_PACK  # a built-in pack's name, or the path of a pack folder


class LearningConfig(Section):
    """When officers' corrections are retrained into the routing's learned model
    (`service.retraining`): after `retrain_after` new lessons, or after fewer once none
    came for `retrain_quiet_minutes`."""

    retrain_after: int = Field(default=20, ge=1)
    retrain_quiet_minutes: float = Field(default=10.0, gt=0)

    def policy(self) -> RetrainPolicy:
        """The retraining policy these settings describe."""
        return RetrainPolicy(after=self.retrain_after, quiet=self.retrain_quiet_minutes * 60)


class SenderConfig(Section):
    """How fast the outbox may send. The defaults keep within Telegram's limits with a
    margin; higher values are for a self-hosted Bot API server or tests."""

    messages_per_second: float = Field(default=29.5, gt=0)
    private_chat_per_second: float = Field(default=1.0, gt=0)
    group_per_minute: float = Field(default=20.0, gt=0)
    busy_notice_after_seconds: float = Field(default=10.0, gt=0)
    digest_after_minutes: float = Field(default=3.0, gt=0)


DEFAULT_TEMPLATES = (
    "Terima kasih atas laporan Anda. Laporan sedang kami periksa dan akan segera ditindaklanjuti.",
    "Petugas kami akan meninjau lokasi dalam beberapa hari ke depan.",
    "Mohon kirimkan foto atau keterangan lokasi yang lebih jelas agar dapat kami tindak lanjuti.",
    "Perbaikan sudah dijadwalkan. Terima kasih atas kesabaran Anda.",
)


class OpdChat(Section):
    """The chat of one OPD's complaint unit (UP4) and its officers."""

    chat_id: int
    officers: list[int] = []


class OfficersConfig(Section):
    """Who works the reports, and where."""

    central: list[int] = []
    trust_chat_members: bool = False
    opd: dict[str, OpdChat] = {}
    templates: list[str] = list(DEFAULT_TEMPLATES)
    followup_days: float = Field(default=3.0, ge=0)

    def roles(self, central_chat: int | None) -> Roles:
        """The officers' chats, for flows."""
        return Roles(
            central_chat=central_chat,
            central_officers=frozenset(self.central),
            opd_chats={body: chat.chat_id for body, chat in self.opd.items()},
            opd_officers={chat.chat_id: frozenset(chat.officers) for chat in self.opd.values()},
            trust_chat_members=self.trust_chat_members,
        )


class DeadlinesConfig(Section):
    """Legal deadlines (see DOMAIN.md) and how early to remind."""

    verify_working_days: int = Field(default=DEFAULT_VERIFY_WORKING_DAYS, ge=0)
    answer_days: int = Field(default=DEFAULT_ANSWER_DAYS, ge=0)
    decide_days: int = Field(default=DEFAULT_DECIDE_DAYS, ge=0)
    remind_before_hours: float = Field(default=24.0, ge=0)
    check_every_minutes: float = Field(default=10.0, gt=0)

    def rules(self) -> DeadlineRules:
        """The deadline rules for flows."""
        return DeadlineRules(
            verify_working_days=self.verify_working_days,
            answer_days=self.answer_days,
            decide_days=self.decide_days,
            remind_before=timedelta(hours=self.remind_before_hours),
        )


class WebhookConfig(Section):
    """Webhook mode (`suara-warga run --webhook`), behind a TLS reverse proxy."""

    listen_host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    path: str = "/telegram/webhook"
    public_url: str = ""  # e.g. https://bot.example.go.id (the proxy's address)
    secret_token: SecretStr | None = None
    max_connections: int = Field(default=40, ge=1, le=100)

    @field_validator("secret_token")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        secret = value.get_secret_value()
        if not 1 <= len(secret) <= 256 or not all(c.isalnum() or c in "_-" for c in secret):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("path")
    @classmethod
    def _absolute_path(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError("must start with /")
        return value

    def url(self) -> str:
        """The address Telegram posts to."""
        return self.public_url.rstrip("/") + self.path


class ClosingConfig(Section):
    """Closing a report: whether an OPD's "Selesai" waits for the central verifier."""

    central_check: bool = False  # JAKI's "menunggu validasi": the central chat confirms


class PrivacyConfig(Section):
    """Personal data (UU 27/2022): how long closed reports keep the reporter's identity."""

    retention_days: float = Field(default=365.0, gt=0)


class PartnerConfig(Section):
    """An app or city web form allowed to file reports through Open311 (`[web.partners.<id>]`)."""

    name: str = Field(min_length=1, max_length=80)  # the reporter when a request names none
    api_key: SecretStr
    per_hour: int = Field(default=60, ge=1, le=100_000)  # reports it may file per hour

    @field_validator("api_key")
    @classmethod
    def _key_shape(cls, value: SecretStr) -> SecretStr:
        key = value.get_secret_value()
        if not 16 <= len(key) <= 256 or not all(c.isalnum() or c in "_-" for c in key):
            raise ValueError("must be 16-256 characters of A-Z, a-z, 0-9, _ and -")
        return value


class WebConfig(Section):
    """The public board (papan transparansi), open data and Open311."""

    enabled: bool = True  # `suara-warga run` also serves the board
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    public_url: str = ""  # e.g. https://lapor.cilegon.go.id: links in messages to reporters
    tiles_url: str = OSM_TILES
    tiles_attribution: str = OSM_ATTRIBUTION
    partners: dict[str, PartnerConfig] = {}

    @field_validator("public_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("tiles_url")
    @classmethod
    def _tiles_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")) or "{z}" not in value:
            raise ValueError("must be an http(s) URL with {z}, {x} and {y}")
        return value


class Config(BaseSettings):
    """The whole configuration."""

    model_config = SettingsConfigDict(
        env_prefix="SUARA_WARGA_", env_nested_delimiter="__", extra="forbid"
    )

    telegram: TelegramConfig = TelegramConfig()
    storage: StorageConfig = StorageConfig()
    conversation: ConversationConfig = ConversationConfig()
    evidence: EvidenceConfig = EvidenceConfig()
    sender: SenderConfig = SenderConfig()
    officers: OfficersConfig = OfficersConfig()
    deadlines: DeadlinesConfig = DeadlinesConfig()
    closing: ClosingConfig = ClosingConfig()
    privacy: PrivacyConfig = PrivacyConfig()
    webhook: WebhookConfig = WebhookConfig()
    web: WebConfig = WebConfig()
    city: CityConfig = CityConfig()
    learning: LearningConfig = LearningConfig()
    _pack: CityPack | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _valid_city_pack(self) -> Config:
        # Read once, here, so a broken pack stops start-up with the pack's own message.
        try:
            self._pack = load_city_pack(self.city.pack, self.conversation.places_file)
        except CityPackError as exc:
            raise ValueError(f"city.pack: {exc}") from exc
        known = {body.id for body in self._pack.catalogue.bodies}
        unknown = sorted(set(self.officers.opd) - known)
        if unknown:
            raise ValueError(
                f"officers.opd: unknown OPD id(s) {', '.join(unknown)}; use the ids of "
                f"the city pack's bodies.toml ({self.city.pack})"
            )
        return self

    def city_pack(self) -> CityPack:
        """The validated city pack (with `[conversation] places_file` when given).

        >>> Config(city={"pack": "contoh"}).city_pack().city.example
        True
        """
        assert self._pack is not None
        return self._pack

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The environment wins over the file, which is passed in as init values.
        return (env_settings, init_settings)

    def rules(self) -> Rules:
        """The conversation rules this configuration asks for."""
        conv = self.conversation
        city_rules = Rules.for_city(self.city_pack(), trainer=trainer_for(default_cache()))
        return replace(
            city_rules,
            draft_ttl=timedelta(hours=conv.draft_ttl_hours),
            max_description=conv.max_description,
            max_photos=conv.max_photos,
            evidence=self.evidence.limits(),
            timezone=ZoneInfo(conv.timezone) if conv.timezone else city_rules.timezone,
            max_reports_per_day=conv.max_reports_per_day,
            max_relays=conv.max_relays_per_window,
            relay_window=timedelta(minutes=conv.relay_window_minutes),
        )


def load_config(path: Path | None = None) -> Config:
    """Read `path` (or ./config.toml when present; else defaults) and the environment."""
    values: dict[str, Any] = {}
    if path is None and DEFAULT_CONFIG_FILE.exists():
        path = DEFAULT_CONFIG_FILE
    if path is not None:
        try:
            values = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"config file not found: {path}") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read config file {path}: {exc}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    try:
        return Config(**values)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, path)) from exc


def _describe(exc: ValidationError, path: Path | None) -> str:
    """One line per problem: `[section] key: what is wrong`."""
    where = f" in {path}" if path else ""
    lines = [f"invalid configuration{where}:"]
    for error in exc.errors():
        location = ".".join(str(part) for part in error["loc"])
        lines.append(f"  {location}: {error['msg']}" if location else f"  {error['msg']}")
    return "\n".join(lines)
