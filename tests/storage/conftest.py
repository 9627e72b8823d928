"""Fixtures: a fresh, migrated store on each backend.

`db` runs a test twice, like sqlite-utils' ``fresh_db`` but once per backend:

* ``[sqlite]``: a file under tmp_path (a real file, so WAL, locking and reopening are
  real);
* ``[postgres]``: a database created for the test and dropped after it, on the cluster
  named by ``SUARA_WARGA_TEST_POSTGRES`` (default: the one `.ci/postgres.sh` starts).

Without a reachable cluster the PostgreSQL tests skip, with one line in the summary
saying how to enable them. Under ``CI=true``, or when SUARA_WARGA_TEST_POSTGRES is set,
they fail instead: there the cluster is meant to be up.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage import open_store
from storage.base import Store
from storage.postgres import PostgresStore
from storage.sqlite import SqliteStore
from tests.postgres_cluster import BACKENDS


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the SQLite test database lives (a real file, so WAL and locking are real)."""
    return tmp_path / "suara-warga.sqlite3"


@pytest.fixture(params=BACKENDS)
def db_location(request: pytest.FixtureRequest, db_path: Path) -> str:
    """What `open_store` is given: a SQLite file path or a PostgreSQL URL, per backend."""
    if request.param == "sqlite":
        return str(db_path)
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
async def db(db_location: str) -> AsyncIterator[Store]:
    """A freshly migrated store of each backend; closed afterwards."""
    store = await open_store(db_location)
    try:
        yield store
    finally:
        await store.close()


@pytest.fixture
async def sqlite_db(db_path: Path) -> AsyncIterator[SqliteStore]:
    """A freshly migrated SQLite store, for what only SQLite has (WAL, the file)."""
    store = await SqliteStore.open(db_path)
    try:
        yield store
    finally:
        await store.close()


@pytest.fixture
async def pg_db(pg_url: str) -> AsyncIterator[PostgresStore]:
    """A freshly migrated PostgreSQL store, for what only PostgreSQL has."""
    store = await PostgresStore.open(pg_url)
    try:
        yield store
    finally:
        await store.close()


@pytest.fixture
async def other(pg_url: str) -> AsyncIterator[Store]:
    """A second process on the same database as `pg_db`."""
    store = await open_store(pg_url)
    try:
        yield store
    finally:
        await store.close()
