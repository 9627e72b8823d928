"""How PostgreSQL migrates, for the shared runner (`storage.migrate`): every migration
transaction first takes one advisory lock, so that of several processes opening a new
database at once each migration runs in exactly one and the others wait for it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import asyncpg

from storage.errors import StorageError
from storage.postgres.core import LOCK_SPACE, rollback_quietly, translate_errors

if TYPE_CHECKING:
    from storage.postgres.core import Connection

MIGRATION_LOCK_TIMEOUT = "300s"
"""How long a migration waits for locks (another opener's migration, a busy table)."""

_MIGRATION_LOCK = 1
"""Second key of the advisory lock held while migrating (the first is LOCK_SPACE)."""


@dataclass(frozen=True)
class PostgresMigrations:
    """How PostgreSQL migrates: every migration transaction takes the advisory lock."""

    connection: Connection
    failures: tuple[type[Exception], ...] = (StorageError, ValueError, asyncpg.PostgresError)

    def migrating(self, doing: str) -> AbstractAsyncContextManager[None]:
        return _migrating(self.connection, doing)

    async def create_table(self) -> None:
        await self.connection.execute(
            "CREATE TABLE IF NOT EXISTS migrations ("
            "name text PRIMARY KEY, applied_at timestamptz NOT NULL, "
            "seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE)"
        )

    async def applied_names(self) -> list[str]:
        rows = await self.connection.fetch("SELECT name FROM migrations ORDER BY seq")
        return [str(row["name"]) for row in rows]

    async def record(self, name: str) -> None:
        await self.connection.execute(
            "INSERT INTO migrations (name, applied_at) VALUES ($1, $2)", name, datetime.now(UTC)
        )


@asynccontextmanager
async def _migrating(conn: Connection, doing: str) -> AsyncIterator[None]:
    """One migration transaction holding the migration lock; asyncpg errors become
    StorageErrors (a MigrationError raised inside passes through as it is)."""
    transaction = conn.transaction()
    with translate_errors(doing):
        await transaction.start()
    try:
        with translate_errors(doing):
            await conn.execute(f"SET LOCAL lock_timeout = '{MIGRATION_LOCK_TIMEOUT}'")
            await conn.execute(
                "SELECT pg_advisory_xact_lock($1::integer, $2::integer)",
                LOCK_SPACE,
                _MIGRATION_LOCK,
            )
            yield
            await transaction.commit()
    except BaseException:
        await rollback_quietly(conn, transaction)
        raise
