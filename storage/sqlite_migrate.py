"""How SQLite migrates, for the shared runner (`storage.migrate`): ``BEGIN IMMEDIATE``
takes the file's write lock; the ``migrations`` table is read in rowid order."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import aiosqlite

from storage.errors import StorageError
from storage.sqlite_core import begin_immediate, rollback_quietly, to_db_time, translate_errors


@dataclass(frozen=True)
class SqliteMigrations:
    """How SQLite migrates: ``BEGIN IMMEDIATE`` takes the file's write lock."""

    connection: aiosqlite.Connection
    failures: tuple[type[Exception], ...] = (StorageError, ValueError, sqlite3.Error)

    @asynccontextmanager
    async def migrating(self, doing: str) -> AsyncIterator[None]:
        await begin_immediate(self.connection)
        try:
            with translate_errors(doing):
                yield
                await self.connection.execute("COMMIT")
        except BaseException:
            await rollback_quietly(self.connection)
            raise

    async def create_table(self) -> None:
        await self.connection.execute(
            "CREATE TABLE IF NOT EXISTS migrations ("
            "name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )

    async def applied_names(self) -> list[str]:
        with translate_errors("read applied migrations"):
            rows = await self.connection.execute_fetchall(
                "SELECT name FROM migrations ORDER BY rowid"
            )
        return [str(row[0]) for row in rows]

    async def record(self, name: str) -> None:
        await self.connection.execute(
            "INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
            (name, to_db_time(datetime.now(UTC))),
        )
