"""How long Telegram asks us to wait after a 429."""

from __future__ import annotations

from datetime import timedelta

from telegram.error import RetryAfter


def flood_wait(exc: RetryAfter) -> timedelta:
    """How long a 429 asks us to wait (PTB gives seconds or a timedelta)."""
    wait = exc.retry_after
    return wait if isinstance(wait, timedelta) else timedelta(seconds=wait)
