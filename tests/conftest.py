"""Suite-wide settings."""

from __future__ import annotations

import os

# python-telegram-bot's opt-in for timedelta durations; without it, reading
# RetryAfter.retry_after (and other durations) emits a deprecation warning, which the
# suite turns into an error. The bot sets the same in its entry point.
os.environ.setdefault("PTB_TIMEDELTA", "true")

# `postgres_server` and `pg_url`: a PostgreSQL database per test, for storage and bot tests.
pytest_plugins = ["tests.postgres_cluster"]
