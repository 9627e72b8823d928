"""Small helpers for the storage tests (sample data: `tests.factories`)."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from storage.base import Store
from storage.postgres import PostgresStore
from storage.sqlite import SqliteStore


def query(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
    """Read the file directly with sqlite3, as a second process would."""
    with closing(sqlite3.connect(path)) as conn:
        return list(conn.execute(sql, params).fetchall())


def is_postgres(location: str) -> bool:
    """Whether `open_store` takes `location` for PostgreSQL."""
    return location.startswith(("postgresql://", "postgres://"))


def with_database(dsn: str, name: str) -> str:
    """The PostgreSQL URL `dsn`, pointed at the database `name`."""
    return urlunsplit(urlsplit(dsn)._replace(path=f"/{name}"))


async def fetch(
    where: Store | str, sql: str, params: tuple[object, ...] = ()
) -> list[tuple[Any, ...]]:
    """Read a store's database directly, as a second process would, on either backend.

    `where` is a store or what `open_store` was given. Write ``?`` placeholders; they
    become ``$1, $2, ...`` for PostgreSQL.
    """
    if isinstance(where, SqliteStore):
        return query(where.path, sql, params)
    location = where.dsn if isinstance(where, PostgresStore) else where
    if not isinstance(location, str):
        raise TypeError(f"not a store of a known backend: {where!r}")
    if not is_postgres(location):
        return query(Path(location), sql, params)
    numbered = iter(range(1, sql.count("?") + 1))
    conn = await asyncpg.connect(location)
    try:
        rows = await conn.fetch(re.sub(r"\?", lambda _: f"${next(numbered)}", sql), *params)
    finally:
        await conn.close()
    return [tuple(row) for row in rows]
