"""Logging that never writes a phone number, a resident's identity or the bot token.

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
    quiet_libraries()


QUIETED = {
    # httpx logs every request URL at INFO, and Telegram URLs contain the bot token.
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    # aiosqlite logs every statement with its values at DEBUG: names, phones, stories.
    "aiosqlite": logging.WARNING,
    # PTB logs every Bot API answer at DEBUG: the updates, with residents' names, ids,
    # usernames and (rahasia) stories; and the updates and messages it handles.
    "telegram": logging.INFO,
    "telegram.Bot": logging.INFO,
    "telegram.ext.ExtBot": logging.INFO,
}
"""Libraries whose chatty levels would write personal data or the token, even with
``--verbose``."""


def quiet_libraries() -> None:
    """Hold the `QUIETED` libraries at their levels."""
    for name, level in QUIETED.items():
        logging.getLogger(name).setLevel(level)
