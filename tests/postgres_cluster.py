"""A PostgreSQL cluster for the tests: a fresh database per test, dropped after it.

The cluster is named by ``SUARA_WARGA_TEST_POSTGRES`` (default: the one `.ci/postgres.sh`
started, whose DSN it writes to ``$SUARA_WARGA_PG_DIR/dsn``). Without a reachable cluster
the PostgreSQL tests skip, with one line in the summary saying how to enable them. Under
``CI=true``, or when SUARA_WARGA_TEST_POSTGRES is set, they fail instead: there the
cluster is meant to be up.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from uuid import uuid4

import asyncpg
import pytest

from storage.postgres.core import describe
from tests.storage.helpers import with_database

POSTGRES_ENV = "SUARA_WARGA_TEST_POSTGRES"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
CLUSTER_DIR = Path(os.environ.get("SUARA_WARGA_PG_DIR", "/tmp/suara-warga-postgres"))
HOW_TO_ENABLE = (
    "PostgreSQL tests skipped: run `bash .ci/postgres.sh` (installs and starts a local "
    f"cluster) or set {POSTGRES_ENV}"
)
BACKENDS = [pytest.param("sqlite", id="sqlite"), pytest.param("postgres", id="postgres")]

_skipped_postgres: list[str] = []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line, not one per test, when the PostgreSQL tests were skipped."""
    if _skipped_postgres:
        terminalreporter.write_line(HOW_TO_ENABLE, yellow=True)


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The DSN of a PostgreSQL server the tests may create databases on."""
    dsn = os.environ.get(POSTGRES_ENV) or started_cluster() or DEFAULT_POSTGRES
    # A thread of its own, so its event loop cannot meet the tests' loops.
    with ThreadPoolExecutor(max_workers=1) as thread:
        error = thread.submit(asyncio.run, _probe(dsn)).result()
    if error is None:
        return dsn
    if os.environ.get("CI", "").lower() in ("true", "1") or os.environ.get(POSTGRES_ENV):
        pytest.fail(
            f"PostgreSQL at {describe(dsn)} is unreachable ({error}); the tests need it here"
        )
    _skipped_postgres.append(error)
    pytest.skip(HOW_TO_ENABLE)


def started_cluster() -> str | None:
    """The DSN `.ci/postgres.sh` wrote for the cluster it started, if any."""
    try:
        return (CLUSTER_DIR / "dsn").read_text().strip() or None
    except OSError:
        return None


async def _probe(dsn: str) -> str | None:
    """None if the server answers at `dsn`, else why not."""
    try:
        conn = await asyncpg.connect(dsn, timeout=5)
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        return f"{type(exc).__name__}: {exc}"
    await conn.close()
    return None


@pytest.fixture
async def pg_url(postgres_server: str) -> AsyncIterator[str]:
    """The URL of a new, empty database, dropped after the test."""
    name = f"sw_test_{os.getpid()}_{uuid4().hex[:10]}"
    admin = await asyncpg.connect(postgres_server)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    yield with_database(postgres_server, name)
    admin = await asyncpg.connect(postgres_server)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()
