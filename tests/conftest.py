"""Suite-wide settings."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

# python-telegram-bot's opt-in for timedelta durations; without it, reading
# RetryAfter.retry_after (and other durations) emits a deprecation warning, which the
# suite turns into an error. The bot sets the same in its entry point.
os.environ.setdefault("PTB_TIMEDELTA", "true")

# `postgres_server` and `pg_url`: a PostgreSQL database per test, for storage and bot tests.
pytest_plugins = ["tests.postgres_cluster"]

RUN_CACHE = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    """Caches go to a folder of this run (`XDG_CACHE_HOME`, which the bot's processes
    started by tests inherit), not the user's ~/.cache: the routing model
    (`suara_warga.model_training.default_cache`) is trained once per run, and models
    retrained with the tests' lessons never outlive it."""
    folder = Path(tempfile.mkdtemp(prefix="suara-warga-test-cache-"))
    config.stash[RUN_CACHE] = folder
    os.environ["XDG_CACHE_HOME"] = str(folder)


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(RUN_CACHE, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
