"""Fixtures for the application layer: a store on a fresh SQLite file, migrations applied."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage import Store, open_store


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await open_store(tmp_path / "suara-warga.sqlite3")
    try:
        yield opened
    finally:
        await opened.close()
