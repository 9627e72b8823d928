"""Logging that never writes a phone number or the bot token.

Every line (message and traceback) passes through `Redactor` before it is written:
Telegram request URLs carry the token, and residents' numbers must not end up in
log files (UU 27/2022).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_TOKEN = re.compile(r"(?<!\d)\d{5,12}:[A-Za-z0-9_-]{20,}")
_PHONE = re.compile(r"(?<![\w-])(?:\+?62|0)[\s-]?8\d(?:[\s-]?\d){6,11}(?!\w)")


def redact(text: str, secrets: Sequence[str] = ()) -> str:
    """The text without the given secrets, bot tokens or Indonesian phone numbers."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[token]")
    return _PHONE.sub("[nomor disembunyikan]", _TOKEN.sub("[token]", text))


class Redactor(logging.Formatter):
    """A formatter that redacts the whole formatted line, traceback included."""

    def __init__(self, fmt: str = FORMAT, secrets: Sequence[str] = ()) -> None:
        super().__init__(fmt)
        self.secrets = tuple(secrets)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.secrets)


def setup_logging(verbose: bool, secrets: Sequence[str] = ()) -> None:
    """Log to stderr through the redactor; quiet the libraries' per-request lines."""
    handler = logging.StreamHandler()
    handler.setFormatter(Redactor(FORMAT, secrets))
    level = logging.DEBUG if verbose else logging.INFO
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # httpx logs every request URL at INFO, and Telegram URLs contain the bot token;
    # aiosqlite logs every statement with its values at DEBUG; PTB logs the updates
    # and messages it receives and sends (names, texts) at DEBUG.
    for noisy in ("httpx", "httpcore", "aiosqlite"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.getLogger("telegram").setLevel(logging.INFO)
