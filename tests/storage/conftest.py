"""Fixtures: a fresh SQLite file under tmp_path with every migration applied."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.sqlite import SqliteStore


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the test database lives (a real file, so WAL and locking are real)."""
    return tmp_path / "suara-warga.sqlite3"


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[SqliteStore]:
    """A freshly migrated store, like sqlite-utils' ``fresh_db``; closed afterwards."""
    store = await SqliteStore.open(db_path)
    try:
        yield store
    finally:
        await store.close()
