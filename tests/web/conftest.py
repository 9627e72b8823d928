"""Fixtures: the board over a seeded database, served by aiohttp's test server.

`client` talks HTTP to a real aiohttp server on 127.0.0.1 over a seeded SQLite file
(`tests/web/seed.py`), with the clock stopped at `seed.NOW` and one Open311 partner.
`any_client` runs a test on both backends (PostgreSQL skips without a cluster).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from flows.deadlines import indonesian_holidays
from flows.office import Office
from flows.roles import Roles
from flows.rules import Rules
from service.engine import Engine
from storage import open_store
from storage.base import Store
from tests.postgres_cluster import BACKENDS
from tests.web.seed import NOW, seed
from web.app import board_app
from web.settings import Partner, WebSettings
from web.site import Site

Client = TestClient[web.Request, web.Application]
CENTRAL_CHAT = -100777
PARTNER_KEY = "kunci-mitra-uji-0123456789"
SETTINGS = WebSettings(
    public_url="https://lapor.example.go.id",
    partners={"webkota": Partner(name="Formulir web Pemkot", api_key=PARTNER_KEY, per_hour=3)},
)


def make_site(store: Store) -> Site:
    """The board over `store`, its clock at NOW, filing through a real Engine."""
    rules = Rules()
    office = Office(
        roles=Roles(central_chat=CENTRAL_CHAT), holidays=indonesian_holidays(range(2025, 2028))
    )
    engine = Engine(store, rules, office, clock=lambda: NOW)
    return Site(
        store, rules, office, settings=SETTINGS, clock=lambda: NOW, filer=engine.file_for_partner
    )


@pytest.fixture
async def seeded(tmp_path: Path) -> AsyncIterator[Store]:
    """A seeded SQLite file."""
    store = await open_store(tmp_path / "board.sqlite3")
    try:
        await seed(store)
        yield store
    finally:
        await store.close()


@pytest.fixture
async def client(seeded: Store) -> AsyncIterator[Client]:
    """An HTTP client of the board over the seeded SQLite file."""
    async with TestClient(TestServer(board_app(make_site(seeded)))) as test_client:
        yield test_client


@pytest.fixture(params=BACKENDS)
def board_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A SQLite file or a PostgreSQL database, per backend."""
    if request.param == "postgres":
        url: str = request.getfixturevalue("pg_url")
        return url
    return str(tmp_path / "board.sqlite3")


@pytest.fixture
async def any_store(board_location: str) -> AsyncIterator[Store]:
    """A seeded database of each backend (PostgreSQL skips without one)."""
    store = await open_store(board_location)
    try:
        await seed(store)
        yield store
    finally:
        await store.close()


@pytest.fixture
async def any_client(any_store: Store) -> AsyncIterator[Client]:
    """The board over a seeded database of each backend."""
    async with TestClient(TestServer(board_app(make_site(any_store)))) as test_client:
        yield test_client
